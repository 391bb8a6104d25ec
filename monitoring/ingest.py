"""Stream coverage items from RSS/Atom feeds and JSONL/CSV dumps, in resumable batches.

Every record carries a position (line or entry number); a bad record becomes a `Skipped` with its reason, and
`batches()` emits a `Checkpoint` after each batch so a re-run after a crash continues without double counting.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import feedparser

__all__ = [
    "DEFAULT_MAX_ITEM_BYTES",
    "Batch",
    "Checkpoint",
    "RawItem",
    "Skipped",
    "batches",
    "parse_csv",
    "parse_feed",
    "parse_jsonl",
    "parse_path",
]

DEFAULT_MAX_ITEM_BYTES = 100 * 1024 * 1024
_READ_CHUNK = 1024 * 1024

TITLE_FIELDS = ("title", "headline")
TEXT_FIELDS = ("text", "body", "content", "description", "summary", "full_text")
URL_FIELDS = ("url", "link", "permalink")
DATE_FIELDS = ("published", "publish_date", "published_at", "publishedAt", "date", "created_at", "pubDate")
LANGUAGE_FIELDS = ("language", "lang")
SOURCE_FIELDS = ("source", "source_name", "media_name", "domain", "site")


@dataclass(frozen=True, slots=True)
class RawItem:
    """One article or post as collected, before deduplication and matching."""

    title: str
    text: str
    url: str
    published: datetime
    source: str
    language: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that was not ingested: its line (or entry) number and why."""

    position: int
    reason: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Resume point for one ingest: records up to `position` are done; counts are cumulative."""

    source: str
    batch: int = 0
    position: int = 0
    items: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch of items and skips; store its results together with `checkpoint`, atomically."""

    number: int
    items: tuple[RawItem, ...]
    skipped: tuple[Skipped, ...]
    checkpoint: Checkpoint


Record = tuple[int, RawItem | Skipped]


def _first(row: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def parse_datetime(value: Any) -> datetime | None:
    """Parse ISO 8601, RFC 2822 or a Unix timestamp into an aware datetime (naive means UTC)."""
    if value is None:
        return None
    parsed: datetime | None = None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(
            UTC
        )  # 0001-01-01T00:00+05:00 has no UTC time: storing it would fail the whole chunk
    except (OverflowError, ValueError):
        return None
    return parsed


_SPACES = re.compile(r"[^\S\n]+")  # runs of whitespace other than line breaks, no-break spaces included
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def clean_text(value: Any) -> str:
    """Collapse runs of spaces to one and blank lines to one line break, so names split by spacing still match;
    drop NUL characters, which PostgreSQL cannot store in text (one would fail its whole chunk, every rerun)."""
    text = _SPACES.sub(" ", str(value or "").replace("\x00", ""))
    return _LINE_BREAKS.sub("\n", text).strip()


def _url_problem(url: str) -> str:
    """Why a URL cannot identify an item (deduplication parses it), or "" when it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (parsing the port is the check: "http://x:99999/" raises)
    except ValueError as error:
        return f"unreadable URL {url[:80]!r}: {error}"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "\x00" in url:
        return f"not a web address {url[:80]!r}"
    return ""


def item_from_mapping(row: Mapping[str, Any], *, source: str = "", language: str = "") -> RawItem | str:
    """Build a `RawItem` from a news-API-shaped mapping, or return the reason it cannot be one."""
    url = _first(row, URL_FIELDS)
    if not url or not str(url).strip():
        return "no URL"
    if problem := _url_problem(str(url).strip()):
        return problem
    raw_date = _first(row, DATE_FIELDS)
    if raw_date is None:
        return "no publication date"
    published = parse_datetime(raw_date)
    if published is None:
        return f"unreadable publication date {str(raw_date)[:40]!r}"
    item_source = _first(row, SOURCE_FIELDS)
    if isinstance(item_source, Mapping):  # NewsAPI: {"id": ..., "name": ...}
        item_source = item_source.get("name") or item_source.get("id")
    return RawItem(
        title=clean_text(_first(row, TITLE_FIELDS)),
        text=clean_text(_first(row, TEXT_FIELDS)),
        url=str(url).strip(),
        published=published,
        source=clean_text(item_source or source),
        language=clean_text(_first(row, LANGUAGE_FIELDS) or language).lower(),
    )


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, str | Skipped]]:
    """Yield (line number, decoded line or Skipped); an oversized line is drained in chunks, never held whole."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes:
            size = len(line)
            while not line.endswith(b"\n"):
                line = stream.readline(_READ_CHUNK)
                if not line:
                    break
                size += len(line)
            yield number, Skipped(number, f"item larger than the {max_bytes:,}-byte limit ({size:,} bytes)")
            continue
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield number, Skipped(number, f"invalid UTF-8 at byte {error.start}: {error.reason}")


def parse_jsonl(
    stream: BinaryIO, *, source: str = "", language: str = "", max_bytes: int = DEFAULT_MAX_ITEM_BYTES
) -> Iterator[Record]:
    """Yield (line number, RawItem or Skipped) for each non-blank line of a JSON Lines dump."""
    for number, line in _lines(stream, max_bytes):
        if isinstance(line, Skipped):
            yield number, line
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, Skipped(number, f"not valid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(row, dict):
            yield number, Skipped(number, "not a JSON object")
            continue
        result = item_from_mapping(row, source=source, language=language)
        yield number, (Skipped(number, result) if isinstance(result, str) else result)


def parse_csv(
    stream: BinaryIO, *, source: str = "", language: str = "", max_bytes: int = DEFAULT_MAX_ITEM_BYTES
) -> Iterator[Record]:
    """Yield (line number, RawItem or Skipped) for each row of a CSV dump with a header row."""
    problems: list[Skipped] = []
    last_line = [0]

    def good_lines() -> Iterator[str]:
        for number, line in _lines(stream, max_bytes):
            if isinstance(line, Skipped):
                problems.append(line)
            else:
                last_line[0] = number
                yield line

    previous_limit = csv.field_size_limit(max_bytes)  # process-wide: restored below for other CSV readers
    reader = csv.DictReader(good_lines())
    try:
        for row in reader:
            while problems:
                problem = problems.pop(0)
                yield problem.position, problem
            number = last_line[0]
            if None in row:
                yield number, Skipped(number, "more cells than header columns")
                continue
            result = item_from_mapping(row, source=source, language=language)
            yield number, (Skipped(number, result) if isinstance(result, str) else result)
    except csv.Error as error:
        yield last_line[0], Skipped(last_line[0], f"malformed CSV: {error}")
    finally:
        csv.field_size_limit(previous_limit)
    for problem in problems:
        yield problem.position, problem


def parse_feed(
    stream: BinaryIO, *, source: str = "", language: str = "", max_bytes: int = DEFAULT_MAX_ITEM_BYTES
) -> Iterator[Record]:
    """Yield (entry number, RawItem or Skipped) for each entry of an RSS or Atom feed."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield 1, Skipped(1, f"feed larger than the {max_bytes:,}-byte limit")
        return
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield 1, Skipped(1, f"malformed feed: {feed.get('bozo_exception', 'unreadable')}")
        return
    feed_source = source or feed.feed.get("title", "")
    feed_language = (language or feed.feed.get("language", "") or "").split("-")[0]
    for number, entry in enumerate(feed.entries, start=1):
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content") or []
        row = {
            "title": entry.get("title", ""),
            "text": (content[0].get("value") if content else None) or entry.get("summary", ""),
            "url": entry.get("link", ""),
            "published": datetime(*parsed[:6], tzinfo=UTC).isoformat() if parsed else None,
            "language": entry.get("language") or feed_language,
        }
        result = item_from_mapping(row, source=feed_source, language=feed_language)
        yield number, (Skipped(number, result) if isinstance(result, str) else result)


PARSERS = {".jsonl": parse_jsonl, ".ndjson": parse_jsonl, ".csv": parse_csv, ".xml": parse_feed}


def parse_path(path: Path, **options: Any) -> Iterator[Record]:
    """Parse a file by extension (.jsonl/.ndjson, .csv, otherwise RSS/Atom)."""
    parser = PARSERS.get(path.suffix.lower(), parse_feed)
    with path.open("rb") as stream:
        yield from parser(stream, **options)


def batches(records: Iterable[Record], *, batch_size: int, checkpoint: Checkpoint) -> Iterator[Batch]:
    """Group records into batches after `checkpoint.position`; each batch carries the checkpoint after it."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    items: list[RawItem] = []
    skipped: list[Skipped] = []
    position = checkpoint.position
    for record_position, record in records:
        if record_position <= checkpoint.position:
            continue
        position = record_position
        (skipped if isinstance(record, Skipped) else items).append(record)  # type: ignore[arg-type]
        if len(items) + len(skipped) >= batch_size:
            checkpoint = replace(
                checkpoint,
                batch=checkpoint.batch + 1,
                position=position,
                items=checkpoint.items + len(items),
                skipped=checkpoint.skipped + len(skipped),
            )
            yield Batch(checkpoint.batch, tuple(items), tuple(skipped), checkpoint)
            items, skipped = [], []
    if items or skipped:
        checkpoint = replace(
            checkpoint,
            batch=checkpoint.batch + 1,
            position=position,
            items=checkpoint.items + len(items),
            skipped=checkpoint.skipped + len(skipped),
        )
        yield Batch(checkpoint.batch, tuple(items), tuple(skipped), checkpoint)


def jsonl_bytes(rows: Iterable[Mapping[str, Any]]) -> io.BytesIO:
    """Encode mappings as a JSON Lines stream (for tests, demos and benchmarks)."""
    return io.BytesIO(b"".join(json.dumps(row).encode() + b"\n" for row in rows))
