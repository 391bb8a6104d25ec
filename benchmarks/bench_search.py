"""Site search over 10,000 generated publications with extracted PDF text: median and p95 query time.

Runs on the database the benchmark runner configured (a throwaway SQLite file, i.e. the SQLite FTS5 backend);
the same module on PostgreSQL measures its full-text backend (see docs/publications.md)."""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta

PUBLICATIONS = int(os.environ.get("BENCH_SEARCH_PUBLICATIONS", "10000"))
WORDS_PER_TEXT = int(os.environ.get("BENCH_SEARCH_WORDS", "400"))
ROUNDS = 5
VOCABULARY = [
    "child",
    "protection",
    "online",
    "exploitation",
    "trafficking",
    "tourism",
    "marriage",
    "survivors",
    "boys",
    "girls",
    "police",
    "court",
    "shelter",
    "hotline",
    "helpline",
    "prevention",
    "school",
    "family",
    "community",
    "service",
    "provider",
    "research",
    "overview",
    "convention",
    "standard",
    "compliance",
    "government",
    "network",
    "member",
    "region",
    "training",
    "law",
    "prosecution",
    "evidence",
    "referral",
    "recovery",
    "counselling",
    "outreach",
    "street",
    "migration",
    "border",
    "platform",
    "grooming",
    "livestream",
    "payment",
]
RARE = [f"rareword{n}" for n in range(50)]
QUERIES = [
    "online exploitation",
    "trafficking",
    "survivors",
    "boys hotline",
    "convention compliance",
    "rareword7",
    "rareword42 police",
    "nothingmatchesthis",
    "street outreach boys",
    "grooming livestream payment",
]


def _say(text: str) -> None:
    print(f"   {text}", flush=True)  # noqa: T201


def _build(n: int) -> None:
    from django.db import transaction
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, Page
    from wagtail.search.backends import get_search_backend
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from core.factories import site_with_home_page
    from publications.models import (
        DocumentText,
        ExtractionStatus,
        PublicationFile,
        PublicationIndexPage,
        PublicationKind,
        PublicationPage,
    )

    rng = random.Random(6)  # noqa: S311 (reproducible filler text, not security)
    site = site_with_home_page()
    index = PublicationIndexPage(title="Publications", slug="publications")
    site.root_page.add_child(instance=index)
    collection = Collection.get_first_root_node()
    Document = get_document_model()
    kinds = PublicationKind.values
    started = time.perf_counter()
    # Index once in bulk at the end instead of page by page on save (what `update_index` does too).
    from django.db.models.signals import post_save
    from wagtail.search import signal_handlers

    post_save.disconnect(signal_handlers.post_save_signal_handler, sender=PublicationPage)
    # Children are placed by computing their tree paths directly: `add_child` re-reads the parent's last child on
    # every call (50-80 ms a page at this size); the pages, their files and extracted text are the same either way.
    depth = index.depth + 1
    with transaction.atomic(), disable_reference_index_auto_update():
        for number in range(n):
            words = rng.choices(VOCABULARY, k=WORDS_PER_TEXT)
            if number % 200 == 0:
                words.append(RARE[(number // 200) % len(RARE)])
            page = PublicationPage(
                title=f"Publication {number}: {' '.join(rng.sample(VOCABULARY, 4))}",
                slug=f"publication-{number}",
                kind=kinds[number % len(kinds)],
                publication_date=date(2015, 1, 1) + timedelta(days=number % 3000),
                summary=" ".join(rng.sample(VOCABULARY, 20)),
                depth=depth,
                path=PublicationPage._get_path(index.path, depth, number + 1),
                numchild=0,
                locale_id=index.locale_id,
            )
            page.save(clean=False)
            document = Document.objects.create(
                title=page.title, file=f"documents/bench-{number}.pdf", collection=collection
            )
            DocumentText.objects.create(
                document=document, status=ExtractionStatus.EXTRACTED, text=" ".join(words), pages=4
            )
            PublicationFile.objects.create(page=page, document=document, sort_order=0)
            if number % 1000 == 999:
                _say(f"  {number + 1:,} publications created")
        Page.objects.filter(pk=index.pk).update(numchild=n)
    created = time.perf_counter() - started
    started = time.perf_counter()
    post_save.connect(signal_handlers.post_save_signal_handler, sender=PublicationPage)
    backend = get_search_backend()
    batch = []
    for page in PublicationPage.objects.all().iterator(chunk_size=500):
        batch.append(page)
        if len(batch) == 500:
            backend.add_bulk(PublicationPage, batch)
            batch = []
    if batch:
        backend.add_bulk(PublicationPage, batch)
    _say(
        f"{n} publications created in {created:.1f}s, full text indexed in {time.perf_counter() - started:.1f}s"
    )
    assert Page.objects.type(PublicationPage).count() == n  # noqa: S101


def _time(query: str) -> float:
    from django.http import QueryDict

    from publications.search import site_search

    params = QueryDict(mutable=True)
    params["q"] = query
    started = time.perf_counter()
    site_search(params=params)
    return time.perf_counter() - started


def run() -> None:
    from django.db import connection

    _build(PUBLICATIONS)
    _say(
        f"database: {connection.vendor}; search: "
        + (
            "FTS5 index, one ranked pass"
            if connection.vendor == "sqlite"
            else "Wagtail's PostgreSQL full-text backend"
        )
    )
    for query in QUERIES:  # warm caches once
        _time(query)
    timings = [_time(query) for _ in range(ROUNDS) for query in QUERIES]
    timings.sort()
    median = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95) - 1] * 1000
    _say(
        f"site search ({len(timings)} queries, facets and snippets included): median {median:.0f} ms, p95 {p95:.0f} ms"
    )
    for query in QUERIES[:3] + ["rareword7"]:
        _say(f"  {query!r}: {_time(query) * 1000:.0f} ms")
