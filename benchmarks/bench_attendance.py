"""Attendance import of Zoom-webinar-shaped reports of about 5 MB and 50 MB: rows per second (goal 50,000) and peak
memory (RSS), which should be about the same at both sizes (the file is streamed, people written in batches)."""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from pathlib import Path

SIZES_MB = tuple(int(s) for s in os.environ.get("BENCH_ATTENDANCE_MB", "5,50").split(","))
GOAL_ROWS_PER_SECOND = 50_000

HEADER = (
    "Attendee Report\r\n"
    'Report Generated:,"Mar 15, 2024 09:12 AM",\r\n'
    "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,"
    "Total Users,Max Concurrent Views,\r\n"
    'Benchmark webinar,834 5512 0987,"Mar 14, 2024 01:58 PM",92,0,0,0,0,0,\r\n'
    "\r\n"
    "Host Details,\r\n"
    "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,"
    "Country/Region Name,\r\n"
    'Yes,Bench Host,host@bench.example.org,"Mar 14, 2024 01:58 PM","Mar 14, 2024 03:30 PM",92,No,Kenya,\r\n'
    "Attendee Details,\r\n"
    "Attended,User Name (Original Name),First Name,Last Name,Email,City,Country/Region,Organization,Job Title,"
    "Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,"
    "Country/Region Name,\r\n"
)
# Names in several scripts, as a worldwide audience registers them.
FIRST = (
    "Chloé",
    "José",
    "Åsa",
    "Zoë",
    "Олег",
    "Мария",
    "سارة",
    "محمد",
    "芳",
    "伟",
    "Jae-won",
    "Amara",
    "Nguyễn",
)
LAST = (
    "Martin",
    "Pérez",
    "Øvergaard",
    "Петров",
    "Иванова",
    "الحسن",
    "العلي",
    "王",
    "李",
    "김",
    "Okafor",
    "Trần",
)
COUNTRIES = (
    "Kenya",
    "France",
    "Brazil",
    "Kazakhstan",
    "Jordan",
    "Taiwan",
    "United States",
    "India",
    "Türkiye",
)


def _say(text: str) -> None:
    print(f"   {text}", flush=True)  # noqa: T201


def write_report(path: Path, size_mb: int, seed: int = 2024) -> int:
    """A Zoom webinar attendee report of about ``size_mb``: every third person re-joins once (two rows), every
    tenth registrant never came. Returns the number of attendee rows."""
    rng = random.Random(seed)
    target = size_mb * 1_000_000
    rows = person = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(HEADER)
        written = len(HEADER.encode())
        while written < target:
            person += 1
            first, last, country = rng.choice(FIRST), rng.choice(LAST), rng.choice(COUNTRIES)
            email = f"p{person}.{rng.randrange(10**6)}@example{person % 50}.org"
            joins = 0 if person % 10 == 0 else (2 if person % 3 == 0 else 1)
            lines = []
            if not joins:
                lines.append(
                    f"No,{first} {last},{first},{last},{email},City,{country},Org {person % 700},,"
                    f'"Mar 01, 2024 10:15 AM",approved,--,--,--,Yes,--,\r\n'
                )
            for _join in range(joins):
                lines.append(
                    f"Yes,{first} {last},{first},{last},{email},City,{country},Org {person % 700},Officer,"
                    f'"Mar 01, 2024 10:15 AM",approved,"Mar 14, 2024 02:01 PM","Mar 14, 2024 02:40 PM",'
                    f"{rng.randrange(1, 90)},Yes,{country},\r\n"
                )
            text = "".join(lines)
            handle.write(text)
            written += len(text.encode())
            rows += len(lines)
    return rows


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def bench(workdir: Path, size_mb: int) -> tuple[float, float]:
    from events.attendance import attendance_import
    from events.factories import EventIndexPageFactory, EventPageFactory
    from events.models import EventIndexPage

    path = workdir / f"attendance-{size_mb}mb.csv"
    started = time.perf_counter()
    rows = write_report(path, size_mb)
    size = path.stat().st_size
    _say(
        f"wrote {rows:,}-row Zoom webinar report ({size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f}s"
    )
    index = EventIndexPage.objects.first() or _index(EventIndexPageFactory)
    event = EventPageFactory(parent=index, title=f"Bench attendance {size_mb} MB")
    rss_before = _maxrss_mb()
    started = time.perf_counter()
    report = attendance_import(event=event, filename=path.name, content=path, write=True)
    elapsed = time.perf_counter() - started
    peak = _maxrss_mb()
    if report.errors:
        raise SystemExit(f"the import failed: {report.errors[:3]}")
    rate = report.rows / elapsed
    _say(
        f"{size_mb} MB: {report.rows:,} rows → {report.created:,} participants in {elapsed:.1f}s = "
        f"{rate:,.0f} rows/s (goal {GOAL_ROWS_PER_SECOND:,}); peak RSS {peak:.0f} MB "
        f"(grew {peak - rss_before:.0f} MB during the import)"
    )
    path.unlink()
    return rate, peak


def _index(factory):
    from wagtail.models import Site

    return factory(parent=Site.objects.get(is_default_site=True).root_page, slug="bench-events")


def run() -> None:
    """Call from benchmarks/__main__.py (it sets up the throwaway database): prints both sizes and the ratio."""
    workdir = Path(os.environ.get("BENCH_WORKDIR") or tempfile.gettempdir())
    peaks = {}
    for size_mb in SIZES_MB:
        _rate, peaks[size_mb] = bench(workdir, size_mb)
    if len(peaks) > 1:
        small, large = min(peaks), max(peaks)
        _say(
            f"peak RSS after the {large} MB file / after the {small} MB file: {peaks[large] / peaks[small]:.2f}x (flat is about 1x)"
        )
