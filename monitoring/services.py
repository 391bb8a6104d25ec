"""Writes of the monitoring app: resumable ingestion (store, deduplicate, match) and match review."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.imports.formats import ExportFormat
from monitoring.dedup import FingerprintIndex, canonical_url, simhash
from monitoring.ingest import (
    DEFAULT_MAX_ITEM_BYTES,
    Batch,
    Checkpoint,
    batches,
    media_file_notes,
    media_format,
    parse_path,
)
from monitoring.matcher import NameMatcher, Pattern, fold
from monitoring.models import (
    BatchStatus,
    IngestBatch,
    Item,
    Match,
    MatchStatus,
    Source,
)

logger = logging.getLogger(__name__)

SKIPPED_REASONS_KEPT = 200
SIGN = 1 << 63


def to_signed(fingerprint: int) -> int:
    """Store an unsigned 64-bit SimHash in a signed BigIntegerField."""
    return fingerprint - (1 << 64) if fingerprint >= SIGN else fingerprint


def to_unsigned(stored: int) -> int:
    return stored + (1 << 64) if stored < 0 else stored


def network_patterns() -> list[Pattern]:
    """Every organisation's name, short name and aliases (with the alias's exclusions), one pattern per text."""
    from network.models import Organisation, OrganisationAlias

    found: dict[tuple[int, str], tuple[str, set[str]]] = {}

    def add(key: int, text: str, exclusions: Iterable[str] = ()) -> None:
        text = text.strip()
        if not text or not fold(text).strip():
            return
        entry = found.setdefault((key, fold(text)), (text, set()))
        entry[1].update(e.strip() for e in exclusions if e.strip())

    for pk, name, short in Organisation.objects.values_list("pk", "name", "short_name"):
        add(pk, name)
        add(pk, short)
    for alias in OrganisationAlias.objects.all():
        add(alias.organisation_id, alias.name, alias.exclusions.splitlines())
    return [Pattern(key, text, tuple(sorted(excl))) for (key, _), (text, excl) in sorted(found.items())]


def network_matcher() -> NameMatcher | None:
    patterns = network_patterns()
    return NameMatcher(patterns) if patterns else None


def ingest_batch_create(*, source: Source, origin: str | Path) -> IngestBatch:
    return IngestBatch.objects.create(source=source, origin=str(origin))


def _fingerprint_index() -> FingerprintIndex:
    """Rebuilt from the database on every run, so a resumed run sees exactly what was committed."""
    index = FingerprintIndex()
    for pk, stored in Item.objects.originals().values_list("pk", "fingerprint").iterator(chunk_size=10_000):
        index.add(to_unsigned(stored), pk)
    return index


def _matches_for(items: Iterable[Item], matcher: NameMatcher | None) -> list[Match]:
    if matcher is None:
        return []
    found = []
    for item in items:
        seen = set()
        for hit in sorted(matcher.find(item.content), key=lambda h: (h.start, -h.end)):
            if (hit.key, hit.start) in seen:  # two spellings of one name at one place: one mention
                continue
            seen.add((hit.key, hit.start))
            found.append(
                Match(
                    item=item,
                    organisation_id=hit.key,
                    matched_name=hit.pattern_text,
                    start=hit.start,
                    end=hit.end,
                )
            )
    return found


@transaction.atomic
def _chunk_store(
    *, batch: IngestBatch, chunk: Batch, index: FingerprintIndex, matcher: NameMatcher | None
) -> None:
    """Store one chunk's items and matches together with the batch's new resume point and counts."""
    urls = {canonical_url(raw.url) for raw in chunk.items}
    taken = set(Item.objects.filter(canonical_url__in=urls).values_list("canonical_url", flat=True))
    originals: list[Item] = []
    copies: list[tuple[Item, object]] = []
    # This chunk's own items wait here until stored; the batch's index keeps only ids, so an ingest's memory does
    # not grow with the texts it has stored.
    unsaved = FingerprintIndex()
    duplicates = 0
    for raw in chunk.items:
        url = canonical_url(raw.url)
        if url in taken:
            duplicates += 1
            continue
        taken.add(url)
        fingerprint = simhash(raw.text or raw.title)
        item = Item(
            source=batch.source,
            batch=batch,
            title=raw.title,
            text=raw.text,
            url=raw.url,
            canonical_url=url,
            fingerprint=to_signed(fingerprint),
            published_at=raw.published,
            language=raw.language or batch.source.language,
        )
        original = index.find(fingerprint)
        if original is None:
            original = unsaved.find(fingerprint)
        if original is not None:
            duplicates += 1
            copies.append((item, original))
        else:
            originals.append(item)
            unsaved.add(fingerprint, item)
    Item.objects.bulk_create(originals)
    for item in originals:
        index.add(to_unsigned(item.fingerprint), item.pk)
    for item, original in copies:
        item.duplicate_of_id = original.pk if isinstance(original, Item) else original
    Item.objects.bulk_create([item for item, _ in copies])
    matches = Match.objects.bulk_create(_matches_for(originals, matcher))
    for skip in chunk.skipped:
        logger.warning("%s: record %s skipped: %s", batch.origin, skip.position, skip.reason)
    room = SKIPPED_REASONS_KEPT - len(batch.skipped_reasons)
    batch.skipped_reasons = [
        *batch.skipped_reasons,
        *({"position": s.position, "reason": s.reason} for s in chunk.skipped[: max(room, 0)]),
    ]
    batch.position = chunk.checkpoint.position
    batch.chunks_done += 1
    batch.read_count += len(chunk.items) + len(chunk.skipped)
    batch.stored_count += len(originals)
    batch.duplicate_count += duplicates
    batch.skipped_count += len(chunk.skipped)
    batch.match_count += len(matches)
    batch.save()


def ingest_batch_run(
    *,
    batch: IngestBatch,
    export_format: str = "",
    chunk_size: int = 500,
    max_item_bytes: int = DEFAULT_MAX_ITEM_BYTES,
    matcher: NameMatcher | None = None,
    progress: Callable[[IngestBatch], None] | None = None,
) -> IngestBatch:
    """Ingest (or resume) a batch from its stored position; each chunk commits its items and their matches with
    its resume point. ``export_format`` names the file's format (``monitoring.import_formats``); "" recognises it."""
    batch.refresh_from_db()
    if batch.status == BatchStatus.DONE:
        return batch
    matcher = matcher if matcher is not None else network_matcher()
    IngestBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, error="")
    batch.status = BatchStatus.RUNNING
    index = _fingerprint_index()
    source = batch.source
    try:
        records = parse_path(
            Path(batch.origin),
            export_format=media_format(Path(batch.origin), export_format),
            source=source.name,
            language=source.language,
            max_bytes=max_item_bytes,
        )
        for chunk in batches(
            records, batch_size=chunk_size, checkpoint=Checkpoint(source.name, position=batch.position)
        ):
            _chunk_store(batch=batch, chunk=chunk, index=index, matcher=matcher)
            if progress:
                progress(batch)
    except Exception as error:
        # The last committed chunk is the resume point; only the status and the reason are recorded here.
        IngestBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    batch.status = BatchStatus.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "finished_at"])
    return batch


def media_file_check(*, path: Path, export_format: str = "") -> tuple[ExportFormat, list[str]]:
    """The file's format (the one named, or recognised) and how it was read, before any batch is made.

    Raises ValueError (UnknownFormat, UnreadableFile) saying why the file cannot be ingested."""
    found = media_format(path, export_format)
    return found, media_file_notes(path, found)


def ingest_batch_for(*, source: Source, path: Path, create: bool = True) -> tuple[IngestBatch | None, bool]:
    """The unfinished batch of this file to resume, or a new one (None unless ``create``); and whether it is
    resumed."""
    origin = str(path.resolve())
    batch = (
        IngestBatch.objects.filter(source=source, origin=origin)
        .exclude(status=BatchStatus.DONE)
        .order_by("-created_at")
        .first()
    )
    if batch is not None:
        return batch, True
    return (ingest_batch_create(source=source, origin=origin) if create else None), False


@dataclass(frozen=True)
class SkipGroup:
    """Skipped records that share a reason (values in quotes aside): how many, the first reason, their positions."""

    count: int
    example: str
    positions: tuple[int, ...]

    def __str__(self) -> str:
        shown = ", ".join(str(p) for p in self.positions[:5])
        more = ", …" if self.count > 5 else ""
        return f"{self.count} × {self.example} (record{'s' if self.count > 1 else ''} {shown}{more})"


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def skipped_groups(batch: IngestBatch) -> list[SkipGroup]:
    """The batch's kept skip reasons grouped, commonest first (only the first SKIPPED_REASONS_KEPT are kept)."""
    groups: dict[str, list[dict]] = {}
    for skip in batch.skipped_reasons:
        groups.setdefault(_QUOTED.sub("…", skip["reason"]), []).append(skip)
    found = [
        SkipGroup(len(skips), skips[0]["reason"], tuple(s["position"] for s in skips))
        for skips in groups.values()
    ]
    return sorted(found, key=lambda g: -g.count)


@transaction.atomic
def items_rematch(*, items=None, matcher: NameMatcher | None = None) -> int:
    """Match items again (e.g. after aliases changed); reviewed matches that still hold keep their review."""
    matcher = matcher if matcher is not None else network_matcher()
    items = items if items is not None else Item.objects.originals()
    created = 0
    for chunk_start in range(0, items.count(), 2000):
        chunk = list(items.order_by("pk")[chunk_start : chunk_start + 2000])
        reviewed = {
            (m.item_id, m.organisation_id, m.start): m
            for m in Match.objects.filter(item__in=chunk).exclude(status=MatchStatus.PENDING)
        }
        Match.objects.filter(item__in=chunk).delete()
        fresh = _matches_for(chunk, matcher)
        for match in fresh:
            old = reviewed.get((match.item_id, match.organisation_id, match.start))
            if old:
                match.status, match.reviewed_by, match.reviewed_at = (
                    old.status,
                    old.reviewed_by,
                    old.reviewed_at,
                )
        created += len(Match.objects.bulk_create(fresh))
    return created


@transaction.atomic
def matches_review(*, matches, status: str, user) -> int:
    """Confirm or reject matches (one or many) on behalf of `user`."""
    if status not in (MatchStatus.CONFIRMED, MatchStatus.REJECTED, MatchStatus.PENDING):
        raise ValueError(f"Unknown status {status!r}.")
    return matches.update(status=status, reviewed_by=user, reviewed_at=timezone.now())


@transaction.atomic
def alias_exclusion_add(*, match: Match, phrase: str, user) -> None:
    """Make a rejected phrase an exclusion on the matched alias, and reject the pending matches it covers."""
    from network.models import OrganisationAlias

    phrase = " ".join(phrase.split())
    if fold(match.matched_name) not in fold(phrase):
        raise ValueError(f"The phrase {phrase!r} must contain the matched name {match.matched_name!r}.")
    alias, _ = OrganisationAlias.objects.get_or_create(
        organisation=match.organisation, name=match.matched_name
    )
    lines = [line for line in alias.exclusions.splitlines() if line.strip()]
    if phrase not in lines:
        alias.exclusions = "\n".join([*lines, phrase])
        alias.save(update_fields=["exclusions"])
    matches_review(matches=Match.objects.filter(pk=match.pk), status=MatchStatus.REJECTED, user=user)
    # Pending matches of the same alias inside the same phrase are rejected too: the exclusion says so.
    matcher = NameMatcher([Pattern(match.organisation_id, match.matched_name, (phrase,))])
    pending = Match.objects.filter(
        organisation=match.organisation, matched_name=match.matched_name, status=MatchStatus.PENDING
    ).select_related("item")
    covered = [m.pk for m in pending if not any(h.start == m.start for h in matcher.find(m.item.content))]
    matches_review(matches=Match.objects.filter(pk__in=covered), status=MatchStatus.REJECTED, user=user)
