"""The demo years' media monitoring: generated corpora over three years, ingested, matched, partly reviewed.

Mentions are planted so that matched items (not rejected in review) give exactly the published changes: 75 → 156
traditional media items (+108%) and 100 → 211 social media items (+111%), years ending 31 July 2022 and 2023
(a sample small enough to load in about a second; the rates, not the volumes, are the seed's). A second corpus,
drawn from a generator of its own and ingested after the first, continues to 31 July 2024: 156 → 181 (+16.03%) and
211 → 253 (+19.91%), leaving every earlier item and count as it was.
The corpora also hold filler stories, syndicated copies, tracking-parameter duplicates, a word that contains ECPAT,
an excluded phrase, a surname a reviewer rejected, and a few bad records.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.demo import DemoContext, demo_step

SEED = 250
YEARS = ((date(2021, 8, 1), date(2022, 7, 31)), (date(2022, 8, 1), date(2023, 7, 31)))
MATCHED = {"traditional_media": (75, 156), "social_mentions": (100, 211)}  # +108%, +111%
FILLER_PER_YEAR = 160
REJECTED_PER_YEAR = 6  # "Mr Ecpat" stories, rejected in review: not counted
EXCLUDED_PHRASE = "Ecpat Lane"

SOURCES = [
    # name, url, kind, country, language, channel, collection
    (
        "Nairobi Morning Ledger",
        "https://ledger.example.ke",
        "traditional_news",
        "KE",
        "en",
        "traditional_media",
        "east-africa-press",
    ),
    (
        "Kampala Evening Courier",
        "https://courier.example.ug",
        "traditional_news",
        "UG",
        "en",
        "traditional_media",
        "east-africa-press",
    ),
    (
        "Brussels Policy Wire",
        "https://policywire.example.eu",
        "traditional_news",
        "BE",
        "en",
        "traditional_media",
        "eu-policy-press",
    ),
    (
        "Radio Bangkok Today",
        "https://radio.example.th",
        "broadcast",
        "TH",
        "en",
        "traditional_media",
        "asia-pacific-press",
    ),
    (
        "Public posts on X",
        "https://x.com",
        "social_platform",
        "",
        "en",
        "social_mentions",
        "social-platforms",
    ),
    (
        "Public Facebook pages",
        "https://facebook.com",
        "social_platform",
        "",
        "en",
        "social_mentions",
        "social-platforms",
    ),
    (
        "Child Rights Notebook",
        "https://notebook.example.org",
        "blog",
        "GB",
        "en",
        "social_mentions",
        "social-platforms",
    ),
]
COLLECTIONS = {
    "east-africa-press": "East Africa press",
    "eu-policy-press": "EU policy press",
    "asia-pacific-press": "Asia-Pacific press",
    "social-platforms": "Social platforms",
}
# How items name the network: exact names, other cases, and an accent-free spelling of an accented name.
MENTIONS = [
    "ECPAT International",
    "ECPAT",
    "ecpat international",
    "ECPAT Foundation",
    "Defence for Children – ECPAT the Netherlands",
    "Associacao Criancas Desfavorecidas",
    "COMMUNAUTÉ ABEL",
]
WORDS = [
    "children",
    "online",
    "safety",
    "report",
    "hotline",
    "tourism",
    "travel",
    "abuse",
    "exploitation",
    "survivors",
    "policy",
    "law",
    "court",
    "minister",
    "school",
    "teachers",
    "parents",
    "helpline",
    "campaign",
    "study",
    "research",
    "data",
    "platform",
    "police",
    "training",
    "community",
    "shelter",
    "youth",
    "girls",
    "boys",
    "rights",
    "protection",
    "network",
    "members",
    "conference",
    "summit",
    "budget",
    "trafficking",
    "justice",
    "victims",
    "support",
    "services",
    "awareness",
    "prevention",
    "grooming",
    "images",
    "reporting",
    "industry",
    "hotels",
]


def _days(first: date, last: date, count: int) -> list[date]:
    span = (last - first).days + 1
    return [first + timedelta(days=i * span // count) for i in range(count)]


def _sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length))


@dataclass(frozen=True)
class Corpus:
    """One generated corpus: its years, the matched items planted per channel and year, and how it is drawn."""

    label: str  # "" for the first corpus, whose files keep the names they always had
    seed: int
    years: tuple[tuple[date, date], ...]
    matched: dict[str, tuple[int, ...]]  # channel → matched items in each of the years
    mentions: tuple[str, ...]
    first_serial: int = 0  # story URLs are numbered from here, so no corpus reuses another's address
    confirmed_year: int = 2022  # a reviewer confirms a sample of the mentions published in this calendar year
    bad_record: bool = False


CORPORA = (
    Corpus("", SEED, YEARS, MATCHED, tuple(MENTIONS), bad_record=True),
    Corpus(
        "2023-2024",
        SEED + 1,
        ((date(2023, 8, 1), date(2024, 7, 31)),),
        {"traditional_media": (181,), "social_mentions": (253,)},  # +16.03%, +19.91% on 2022-2023
        (*MENTIONS, "Pahayag Youth Network", "Mtoto Salama Foundation"),  # two members that joined that year
        first_serial=100_000,
        confirmed_year=2024,
    ),
)


def corpus(spec: Corpus = CORPORA[0]) -> dict[str, list[dict]]:
    """Records per source name, the same on every run."""
    rng = random.Random(spec.seed)  # noqa: S311 (demo data, not security)
    by_channel: dict[str, list[str]] = {}
    for name, *_, channel, _ in SOURCES:
        by_channel.setdefault(channel, []).append(name)
    records: dict[str, list[dict]] = {name: [] for name, *_ in SOURCES}
    serial = spec.first_serial

    def add(source: str, day: date, title: str, text: str, url: str | None = None) -> dict:
        nonlocal serial
        serial += 1
        host = next(s[1] for s in SOURCES if s[0] == source)
        row = {
            "title": title,
            "text": text,
            "url": url or f"{host}/stories/{serial}",
            "published": datetime(day.year, day.month, day.day, 12, tzinfo=UTC).isoformat(),
        }
        records[source].append(row)
        return row

    for channel, totals in spec.matched.items():
        sources = by_channel[channel]
        for (first, last), total in zip(spec.years, totals, strict=True):
            for n, day in enumerate(_days(first, last, total)):
                name = spec.mentions[n % len(spec.mentions)]
                text = f"{_sentence(rng, 18)}. {name} said {_sentence(rng, 14)}. {_sentence(rng, 12)}."
                row = add(sources[n % len(sources)], day, _sentence(rng, 5).capitalize(), text)
                if n % 25 == 7:  # syndicated: the same text on another outlet of the channel
                    add(sources[(n + 1) % len(sources)], day, row["title"] + " (syndicated)", text)
                if n % 30 == 11:  # the same story shared again with tracking parameters
                    add(
                        row_source(records, row),
                        day,
                        row["title"],
                        text,
                        row["url"] + "?utm_source=newsletter",
                    )
    for first, last in spec.years:
        for n, day in enumerate(_days(first, last, FILLER_PER_YEAR)):
            source = SOURCES[n % len(SOURCES)][0]
            text = f"{_sentence(rng, 20)}. {_sentence(rng, 16)}."
            if n % 20 == 3:  # a word that contains ECPAT is not a mention
                text = f"{_sentence(rng, 10)} the ECPATHY index rose. {_sentence(rng, 16)}."
            elif n % 20 == 13:  # an excluded phrase (a street) is not a mention
                text = f"{_sentence(rng, 10)} a market opened on {EXCLUDED_PHRASE}. {_sentence(rng, 16)}."
            add(source, day, _sentence(rng, 5).capitalize(), text)
        for n, day in enumerate(_days(first, last, REJECTED_PER_YEAR)):
            text = f"{_sentence(rng, 12)}. Baker Tom Ecpat won a prize {_sentence(rng, 10)}."
            add(SOURCES[n % 2][0], day, "Local baker wins prize", text)
    if spec.bad_record:
        records[SOURCES[0][0]].append(
            {"title": "Undated wire copy", "url": "https://ledger.example.ke/undated"}
        )
    return records


def row_source(records: dict[str, list[dict]], row: dict) -> str:
    return next(name for name, rows in records.items() if any(r is row for r in rows))


def _file_name(spec: Corpus, source) -> str:
    """The first corpus's files are named after their source (as they always were), later ones also by label."""
    return f"{source.pk}.{spec.label}.jsonl" if spec.label else f"{source.pk}.jsonl"


def _ingested(spec: Corpus, sources: list) -> bool:
    """Whether this corpus was ingested already, told by its batches' file names: a database the demo built before
    a corpus was added gets only the new corpus."""
    from monitoring.models import IngestBatch

    batches = IngestBatch.objects.filter(source__in=sources)
    if spec.label:
        return batches.filter(origin__endswith=f".{spec.label}.jsonl").exists()
    for later in CORPORA[1:]:
        batches = batches.exclude(origin__endswith=f".{later.label}.jsonl")
    return batches.exists()


@demo_step(order=250)
def build_monitoring(ctx: DemoContext) -> None:
    from monitoring.attention import comms_mentions_update
    from monitoring.models import Collection, Match, MatchStatus, Source
    from monitoring.services import ingest_batch_create, ingest_batch_run, network_matcher
    from network.models import Organisation, OrganisationAlias

    secretariat = Organisation.objects.get(name="ECPAT International")
    alias, _ = OrganisationAlias.objects.get_or_create(organisation=secretariat, name="ECPAT")
    if EXCLUDED_PHRASE not in alias.exclusions.splitlines():
        alias.exclusions = "\n".join(filter(None, [alias.exclusions.strip(), EXCLUDED_PHRASE]))
        alias.save(update_fields=["exclusions"])

    sources = {}
    for name, url, kind, country, language, *_ in SOURCES:
        sources[name], _ = Source.objects.update_or_create(
            name=name, defaults={"url": url, "kind": kind, "country": country, "language": language}
        )
    for slug, label in COLLECTIONS.items():
        collection, _ = Collection.objects.update_or_create(slug=slug, defaults={"name": label})
        collection.sources.set([sources[s[0]] for s in SOURCES if s[6] == slug])

    matcher = None
    for spec in CORPORA:
        if _ingested(spec, list(sources.values())):
            continue
        matcher = matcher or network_matcher()
        batches = []
        with tempfile.TemporaryDirectory() as folder:
            for name, rows in corpus(spec).items():
                path = Path(folder) / _file_name(spec, sources[name])
                path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
                batch = ingest_batch_create(source=sources[name], origin=path)
                ingest_batch_run(batch=batch, chunk_size=1000, matcher=matcher)
                batches.append(batch)
        # A reviewer's work: the baker's surname rejected, a sample of real mentions confirmed. The ids are read
        # first: on freshly filled, unanalysed PostgreSQL tables an UPDATE over a LIKE subquery took minutes.
        ingested = Match.objects.filter(item__batch__in=batches)
        baker = list(ingested.filter(item__text__contains="Tom Ecpat").values_list("pk", flat=True))
        Match.objects.filter(pk__in=baker).update(status=MatchStatus.REJECTED)
        sample = ingested.filter(
            status=MatchStatus.PENDING, item__published_at__year=spec.confirmed_year
        ).order_by("pk")
        Match.objects.filter(pk__in=list(sample.values_list("pk", flat=True)[:20])).update(
            status=MatchStatus.CONFIRMED
        )
    written = comms_mentions_update()
    ctx.log(f"Monitoring: {len(sources)} sources, mentions for {written} source-days sent to comms.")
