"""Importing observations: validate the whole file first, then write it in one transaction, idempotently."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from comms.models import Channel, ImportBatch, ImportSource, Measure, Observation

BATCH_SIZE = 5000
MAX_ERRORS = 200


class ImportRejected(Exception):
    """The file was not imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


@dataclass
class ImportResult:
    rows: int = 0
    observations: int = 0
    batch: ImportBatch | None = None
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path | str, *, filename: str = "") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number as a spreadsheet shows it, {header: text}) from a CSV or XLSX file, streaming."""
    path = Path(path)
    name = (filename or path.name).lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            for number, values in enumerate(rows, start=2):
                if all(v is None or v == "" for v in values):
                    continue
                yield number, {h: _cell(v) for h, v in zip(header, values, strict=False)}
        finally:
            workbook.close()
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        for number, values in enumerate(reader, start=2):
            if not any(values):
                continue
            yield number, dict(zip(header, values, strict=False))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_header(path: Path | str, *, filename: str = "") -> list[str]:
    path = Path(path)
    if (filename or path.name).lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            first = next(workbook.worksheets[0].iter_rows(values_only=True, max_row=1), ())
            return [str(h).strip() if h is not None else "" for h in first]
        finally:
            workbook.close()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [h.strip() for h in next(csv.reader(handle), [])]


def _row_number(message: str) -> int:
    head = message.split(":", 1)[0]
    return int(head[4:]) if head.startswith("Row ") and head[4:].isdigit() else 10**12


class _RowParser:
    """Turns one row into observations (channel id, measure, date, value), or an error message."""

    def __init__(self, source: ImportSource, today: date):
        self.source = source
        self.today = today
        self.channels = dict(Channel.objects.values_list("slug", "id"))
        self.columns = list(source.columns.items())
        self.iso = source.date_format == "%Y-%m-%d"

    def parse_date(self, text: str) -> date:
        text = text.strip()
        if self.iso:
            return date.fromisoformat(text[:10])
        return datetime.strptime(text, self.source.date_format).date()  # noqa: DTZ007 (a calendar day)

    def parse(
        self, number: int, row: dict[str, str]
    ) -> tuple[list[tuple[int, str, date, Decimal]], list[str]]:
        errors = []
        if self.source.channel_id:
            channel_id = self.source.channel_id
        else:
            slug = (row.get(self.source.channel_column) or "").strip()
            channel_id = self.channels.get(slug)
            if channel_id is None:
                errors.append(f"Row {number}: {self.source.channel_column} {slug!r} is not a known channel.")
        raw_date = row.get(self.source.date_column) or ""
        day = None
        try:
            day = self.parse_date(raw_date)
        except ValueError:
            errors.append(
                f"Row {number}: {self.source.date_column} {raw_date!r} is not a date in the form "
                f"{self.source.date_format}."
            )
        if day is not None and day > self.today:
            errors.append(f"Row {number}: {self.source.date_column} {day.isoformat()} is in the future.")
        found = []
        for column, measure in self.columns:
            text = (row.get(column) or "").strip().replace(",", "")
            if text == "":
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                errors.append(f"Row {number}: {column} {text!r} is not a number.")
                continue
            if not value.is_finite():
                errors.append(f"Row {number}: {column} {text!r} is not a number.")
            elif value < 0:
                errors.append(f"Row {number}: {column} {text} is negative; counts cannot be below zero.")
            else:
                found.append((channel_id, measure, day, value))
        if errors:
            return [], errors
        return found, []


def observations_import(
    *,
    path: Path | str,
    source_name: str,
    filename: str = "",
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one platform export. Raises ImportRejected, writing nothing, if any row is wrong.

    Pass one reads the whole file and collects every error; pass two writes observations in batches inside
    one transaction, updating any that exist for the same channel, measure and date (so re-imports do not
    double count).
    """
    today = today or timezone.localdate()
    filename = filename or Path(path).name
    source = ImportSource.objects.filter(name=source_name).first()
    if source is None:
        known = ", ".join(ImportSource.objects.order_by("name").values_list("name", flat=True)) or "none"
        raise ImportRejected([f"Unknown source {source_name!r}; known sources: {known}."])
    header = read_header(path, filename=filename)
    needed = [source.date_column, *source.columns]
    if not source.channel_id:
        needed.append(source.channel_column)
    missing = [c for c in needed if c not in header]
    if missing:
        raise ImportRejected(
            [
                f"Missing columns for {source.label}: {', '.join(missing)} (found: {', '.join(header) or 'none'})."
            ]
        )

    parser = _RowParser(source, today)
    measure_index = {m: i for i, m in enumerate(Measure.values)}
    # Compact integer keys (not rows) are kept to find duplicates within the file; the first occurrence of a
    # duplicated key is looked up in a second read only when there are duplicates.
    seen: set[int] = set()
    duplicates: list[tuple[int, int, str, date]] = []
    errors: list[str] = []
    rows = 0

    def key_of(channel_id: int, measure: str, day: date) -> int:
        return (channel_id * 64 + measure_index[measure]) * 4_000_000 + day.toordinal()

    for number, row in read_rows(path, filename=filename):
        rows += 1
        found, row_errors = parser.parse(number, row)
        errors.extend(row_errors)
        for channel_id, measure, day, _value in found:
            key = key_of(channel_id, measure, day)
            if key in seen:
                duplicates.append((number, key, measure, day))
            else:
                seen.add(key)
        if len(errors) + len(duplicates) > MAX_ERRORS:
            errors.append(f"Stopped after {MAX_ERRORS} errors; fix these and try again.")
            break
    del seen
    if duplicates:
        wanted = {key for _n, key, _m, _d in duplicates}
        first: dict[int, int] = {}
        for number, row in read_rows(path, filename=filename):
            for channel_id, measure, day, _value in parser.parse(number, row)[0]:
                key = key_of(channel_id, measure, day)
                if key in wanted:
                    first.setdefault(key, number)
            if len(first) == len(wanted):
                break
        errors.extend(
            f"Row {number}: duplicates row {first[key]} ({measure} on {day.isoformat()})."
            for number, key, measure, day in duplicates
        )
        errors.sort(key=_row_number)
    if errors:
        raise ImportRejected(errors)
    if dry_run:
        return ImportResult(rows=rows, dry_run=True)
    return _write(source=source, path=path, filename=filename, parser=parser, rows=rows, progress=progress)


UPSERT_SQL = (
    "INSERT INTO {table} (channel_id, measure, date, value, source_id, batch_id) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (channel_id, measure, date) DO UPDATE SET value = excluded.value, "
    "source_id = excluded.source_id, batch_id = excluded.batch_id"
)


@transaction.atomic
def _write(*, source, path, filename, parser, rows, progress) -> ImportResult:
    """Upsert in batches with one prepared statement (INSERT … ON CONFLICT works on SQLite and PostgreSQL).

    Model instances and bulk_create cost several times more per row than the database itself; the unique
    constraint on (channel, measure, date) is what makes a re-import update rather than add.
    """
    batch = ImportBatch.objects.create(source=source, filename=filename[:255], row_count=rows)
    sql = UPSERT_SQL.format(table=connection.ops.quote_name(Observation._meta.db_table))
    pending: list[tuple] = []
    written = 0
    done_rows = 0
    with connection.cursor() as cursor:
        for number, row in read_rows(path, filename=filename):
            found, _ = parser.parse(number, row)
            for channel_id, measure, day, value in found:
                pending.append((channel_id, measure, day, value, source.pk, batch.pk))
            done_rows += 1
            if len(pending) >= BATCH_SIZE:
                cursor.executemany(sql, pending)
                written += len(pending)
                pending = []
                if progress:
                    progress(done_rows)
                    done_rows = 0
        if pending:
            cursor.executemany(sql, pending)
            written += len(pending)
    if progress and done_rows:
        progress(done_rows)
    batch.observation_count = written
    batch.save(update_fields=["observation_count"])
    return ImportResult(rows=rows, observations=written, batch=batch)
