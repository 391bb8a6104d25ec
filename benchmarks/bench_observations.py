"""Observation import throughput against a row-by-row baseline, and a YoY figure over 10 million rows in SQL."""

from __future__ import annotations

import csv
import os
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
BASELINE_ROWS = int(os.environ.get("BENCH_BASELINE_ROWS", "5000"))
YOY_ROWS = int(os.environ.get("BENCH_YOY_ROWS", "10000000"))
CHANNELS = 20
LAST_DAY = date(2023, 7, 31)


def _say(text: str) -> None:
    print(f"   {text}", flush=True)  # noqa: T201


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _sql(statement: str, params: list) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _setup():
    from comms.models import Channel, ImportSource

    channels = [
        Channel.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench {n}", "kind": "website"})[
            0
        ]
        for n in range(CHANNELS + 2)
    ]
    ImportSource.objects.get_or_create(
        name="bench",
        defaults={
            "label": "Bench observations",
            "channel_column": "channel",
            "date_column": "date",
            "columns": {"visits": "visits"},
        },
    )
    return channels


def _write_csv(path: Path, rows: int) -> None:
    per_channel = rows // CHANNELS
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["channel", "date", "visits"])
        for n in range(rows):
            channel, offset = divmod(n, per_channel)
            writer.writerow(
                [f"bench-{channel}", (LAST_DAY - timedelta(days=offset)).isoformat(), 100 + n % 997]
            )


def bench_baseline(channels) -> float:
    from django.db import transaction

    from comms.models import Observation

    channel = channels[-1]
    started = time.perf_counter()
    with transaction.atomic():
        for n in range(BASELINE_ROWS):
            Observation.objects.create(
                channel=channel, measure="visits", date=LAST_DAY - timedelta(days=n), value=100 + n % 997
            )
    elapsed = time.perf_counter() - started
    _sql("DELETE FROM comms_observation WHERE channel_id = %s", [channel.id])
    rate = BASELINE_ROWS / elapsed
    _say(
        f"baseline Observation.objects.create: {BASELINE_ROWS:,} rows in {elapsed:.1f}s = {rate:,.0f} rows/s"
    )
    return rate


def _import_file(path: Path, **choice):
    from comms.services import observations_import

    report = observations_import(filename=path.name, content=path, write=True, today=LAST_DAY, **choice)
    if report.errors:
        raise RuntimeError(f"{path.name} did not import: {report.errors[:3]}")
    return report


def bench_import(workdir: Path, baseline_rate: float) -> None:
    from comms.models import Observation

    path = workdir / "observations.csv"
    started = time.perf_counter()
    _write_csv(path, IMPORT_ROWS)
    _say(
        f"wrote {IMPORT_ROWS:,}-row CSV ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f}s"
    )
    rss_before = _maxrss_mb()
    started = time.perf_counter()
    result = _import_file(path, source_name="bench")
    elapsed = time.perf_counter() - started
    rate = result.rows / elapsed
    _say(
        f"import (validate + upsert): {result.rows:,} rows in {elapsed:.1f}s = {rate:,.0f} rows/s "
        f"(target 50,000); {rate / baseline_rate:.1f}x the row-by-row baseline"
    )
    _say(f"peak RSS {_maxrss_mb():.0f} MB (grew {_maxrss_mb() - rss_before:.0f} MB during the import)")
    started = time.perf_counter()
    again = _import_file(path, source_name="bench")
    _say(
        f"re-import of the same file: {time.perf_counter() - started:.1f}s; "
        f"observations {Observation.objects.filter(channel__slug__startswith='bench-').count():,} "
        f"(still {again.rows:,}: no double counting)"
    )
    path.unlink()


def bench_yoy() -> None:
    """Fill ten million observations with INSERT … SELECT from a recursive CTE, then time the YoY figures."""
    from django.db import connection, transaction

    from comms.models import Channel
    from comms.statistics import yoy_compute

    _sql("DELETE FROM comms_observation", [])
    channels = list(Channel.objects.filter(slug__startswith="bench-").values_list("id", flat=True))[:CHANNELS]
    per_channel = YOY_ROWS // len(channels)
    start = LAST_DAY - timedelta(days=per_channel - 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for channel_id in channels:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
                "INSERT INTO comms_observation (channel_id, measure, date, value) "
                "SELECT %s, 'visits', date(%s, '+' || i || ' days'), 100 + (i * 7919) %% 997 FROM n",
                [per_channel - 1, channel_id, start.isoformat()],
            )
    _say(f"generated {per_channel * len(channels):,} observations in {time.perf_counter() - started:.1f}s")
    slug = Channel.objects.get(id=channels[0]).slug
    started = time.perf_counter()
    yoy = yoy_compute(channel=slug, measure="visits", period_end=LAST_DAY)
    one = time.perf_counter() - started
    started = time.perf_counter()
    for channel_id in channels:
        yoy_compute(channel=Channel.objects.get(id=channel_id).slug, measure="visits", period_end=LAST_DAY)
    every = time.perf_counter() - started
    _say(f"YoY visits for one channel ({per_channel:,} rows): {one * 1000:.1f} ms, change {yoy.change_text}")
    _say(f"YoY visits for all {len(channels)} channels: {every * 1000:.1f} ms")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT channel_id, SUM(CASE WHEN date > %s THEN value END), SUM(CASE WHEN date <= %s THEN value END) "
            "FROM comms_observation WHERE measure = 'visits' AND date > %s GROUP BY channel_id",
            ["2022-07-31", "2022-07-31", "2021-07-31"],
        )
        cursor.fetchall()
        cursor.execute("SELECT COUNT(*), SUM(value) FROM comms_observation")
        count, _ = cursor.fetchone()
    _say(
        f"one grouped query over the table ({count:,} rows): {(time.perf_counter() - started) * 1000:.1f} ms "
        "(full scan incl. COUNT/SUM of every row)"
    )


# --- Platform exports as downloaded, at 5 and 50 MB ----------------------------------------------------------
# Each kind of file is written as the platform writes it (GA4's comment block and totals row in UTF-8, Matomo's
# UTF-16 tab-separated export, a Yearbook sheet over twenty channels with decimal-comma numbers), with one row per
# day going back from the last day (the calendar holds enough days). Every import runs in a forked child, so its
# peak memory is the child's own maximum resident set size.
EXPORT_SIZES_MB = tuple(int(n) for n in os.environ.get("BENCH_EXPORT_SIZES_MB", "5,50").split(","))


def _ga4_rows(n: int):
    # GA4 writes a dozen metrics a day: rows wide enough that 50 MB of days fits in the calendar.
    for i in range(n):
        day = LAST_DAY - timedelta(days=i)
        sessions = 1200 + (i * 7919) % 2400
        yield (
            f"{day.year:04d}{day.month:02d}{day.day:02d},{sessions},{sessions * 2 + 17},{sessions * 3 // 4},"
            f"{sessions // 3},{(i % 97) / 100:.2f},{sessions * 2 // 3},{(i % 89) / 100:.4f},{40 + i % 200}.{i % 97:02d},"
            f"{sessions * 7},{i % 13},{(i * 31) % 5000}.{i % 100:02d}\n"
        )


def _write_ga4(path: Path, megabytes: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("# ----------------------------------------\n# Reports snapshot\n# Property: bench\n#\n")
        out.write(
            "Date,Sessions,Views,Active users,New users,Bounce rate,Engaged sessions,Engagement rate,"
            "Average engagement time per session,Event count,Key events,Total revenue\n"
        )
        out.write("Grand total,1,1,1,1,0.5,1,0.5,1,1,1,1\n")
        _fill(out, _ga4_rows, megabytes)


def _matomo_rows(n: int):
    for i in range(n):
        day = LAST_DAY - timedelta(days=i)
        visits = 900 + (i * 7919) % 1900
        yield f"{day.isoformat()}\t{visits - 80}\t0\t{visits}\t{visits * 2}\t{visits * 2 - 40}\n"


def _write_matomo(path: Path, megabytes: int) -> None:
    with path.open("w", encoding="utf-16", newline="") as out:  # "utf-16" writes the BOM Matomo writes
        out.write("label\tnb_uniq_visitors\tnb_users\tnb_visits\tnb_actions\tnb_pageviews\n")
        _fill(out, _matomo_rows, megabytes, bytes_per_character=2)


def _sheet_rows(n: int):
    for i in range(n):
        offset, channel = divmod(i, CHANNELS)
        day = LAST_DAY - timedelta(days=offset)
        value = 10_000 + (i * 7919) % 90_000
        yield f'bench-{channel};{day.isoformat()};"{value // 1000}.{value % 1000:03d}"\n'


def _write_sheet(path: Path, megabytes: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Channel;Date;Visits\n")
        _fill(out, _sheet_rows, megabytes, rows_wanted=10**9)


def _fill(out, rows, megabytes: int, *, bytes_per_character: int = 1, rows_wanted: int = 0) -> None:
    target = megabytes * 1_000_000 // bytes_per_character
    written = 0
    # One row a day back from LAST_DAY: a single-channel file stops where the calendar does (about 49 MB here).
    for line in rows(rows_wanted or (LAST_DAY - date.min).days):
        out.write(line)
        written += len(line)
        if written >= target:
            return


EXPORTS = [
    ("GA4 CSV, UTF-8, comment block", "ga4.csv", _write_ga4, {"export_format": "google-analytics-4"}),
    ("Matomo TSV, UTF-16 LE", "matomo.tsv", _write_matomo, {"export_format": "matomo"}),
    ("Yearbook sheet, 20 channels, 1.234 numbers", "sheet.csv", _write_sheet, {"number_format": "comma"}),
]


def _in_child(path: Path, choice: dict) -> tuple[int, float, float]:
    """(rows, seconds, peak RSS in MB) of one import run in a forked child process."""
    import json

    from django.db import connection

    connection.close()  # the child opens its own
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        started = time.perf_counter()
        report = _import_file(path, **choice)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        os.write(write_end, json.dumps([report.rows, elapsed, peak]).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        data = answer.read()
    _pid, status = os.waitpid(pid, 0)
    if status or not data:
        raise RuntimeError(f"the import of {path.name} failed in its child process")
    rows, elapsed, peak = json.loads(data)
    return rows, elapsed, peak


def bench_exports(workdir: Path, baseline_rate: float) -> None:
    from comms.models import Channel, ImportSource

    Channel.objects.get_or_create(slug="bench-website", defaults={"name": "Bench website", "kind": "website"})
    Channel.objects.filter(kind="website").exclude(slug="bench-website").update(kind="newsletter")
    ImportSource.objects.update_or_create(
        name="bench-sheet",
        defaults={
            "label": "Bench sheet",
            "channel_column": "Channel",
            "date_column": "Date",
            "columns": {"Visits": "visits"},
            "number_format": "comma",
        },
    )
    for label, name, write, choice in EXPORTS:
        if name == "sheet.csv":
            choice = {**choice, "source_name": "bench-sheet"}
        peaks = []
        for megabytes in EXPORT_SIZES_MB:
            _sql("DELETE FROM comms_observation", [])
            path = workdir / f"{megabytes}-{name}"
            write(path, megabytes)
            rows, elapsed, peak = _in_child(path, choice)
            peaks.append(peak)
            _say(
                f"{label}, {path.stat().st_size / 1e6:.0f} MB: {rows:,} rows in {elapsed:.1f}s = "
                f"{rows / elapsed:,.0f} rows/s ({rows / elapsed / baseline_rate:.1f}x row by row); "
                f"peak RSS {peak:.0f} MB"
            )
            path.unlink()
        if len(peaks) > 1:
            _say(
                f"   memory {EXPORT_SIZES_MB[-1]} MB vs {EXPORT_SIZES_MB[0]} MB file: {peaks[-1] / peaks[0]:.2f}x (flat is 1.0)"
            )


def run() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        _say("skipped: this benchmark runs on SQLite only")
        return
    workdir = Path(os.environ.get("BENCH_WORKDIR") or tempfile.gettempdir())
    channels = _setup()
    baseline = bench_baseline(channels)
    bench_import(workdir, baseline)
    bench_exports(workdir, baseline)
    bench_yoy()
