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


def bench_import(workdir: Path, baseline_rate: float) -> None:
    from comms.models import Observation
    from comms.services import observations_import

    path = workdir / "observations.csv"
    started = time.perf_counter()
    _write_csv(path, IMPORT_ROWS)
    _say(
        f"wrote {IMPORT_ROWS:,}-row CSV ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f}s"
    )
    rss_before = _maxrss_mb()
    started = time.perf_counter()
    result = observations_import(path=path, source_name="bench", today=LAST_DAY)
    elapsed = time.perf_counter() - started
    rate = result.rows / elapsed
    _say(
        f"import (validate + upsert): {result.rows:,} rows in {elapsed:.1f}s = {rate:,.0f} rows/s "
        f"(target 50,000); {rate / baseline_rate:.1f}x the row-by-row baseline"
    )
    _say(f"peak RSS {_maxrss_mb():.0f} MB (grew {_maxrss_mb() - rss_before:.0f} MB during the import)")
    started = time.perf_counter()
    again = observations_import(path=path, source_name="bench", today=LAST_DAY)
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


def run() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        _say("skipped: this benchmark runs on SQLite only")
        return
    workdir = Path(os.environ.get("BENCH_WORKDIR") or tempfile.gettempdir())
    channels = _setup()
    baseline = bench_baseline(channels)
    bench_import(workdir, baseline)
    bench_yoy()
