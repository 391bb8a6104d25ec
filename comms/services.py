"""Importing observations: validated and upserted in one streaming pass inside one transaction, idempotently; any
error rolls the whole file back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from comms.models import Channel, ImportBatch, ImportSource, Observation
from core.tabular import DayCell, UnreadableFile, stream_rows

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


def read_rows(path: Path | str, *, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """Yield (row number as a spreadsheet shows it, cell texts) from a CSV or XLSX file after its header, streaming.

    A file that cannot be read (not UTF-8, not a workbook, broken CSV) raises ImportRejected saying where.
    """
    records = stream_rows(path, filename=filename)
    try:  # around the loop, not a wrapping generator: a layer per row costs more than the reading
        next(records, None)
        for number, values in records:
            if any(values):
                yield number, values
    except UnreadableFile as error:
        raise ImportRejected([str(error)]) from None


def read_header(path: Path | str, *, filename: str = "") -> list[str]:
    records = stream_rows(path, filename=filename)
    try:
        _number, first = next(records, (1, []))
    except UnreadableFile as error:
        raise ImportRejected([str(error)]) from None
    finally:
        records.close()
    return [h.strip() for h in first]


def _row_number(message: str) -> int:
    head = message.split(":", 1)[0]
    return int(head[4:]) if head.startswith("Row ") and head[4:].isdigit() else 10**12


# A plain non-negative decimal, the shape of nearly every cell; anything else takes the slow, explaining path.
PLAIN_NUMBER = re.compile(r"\d{1,12}(?:\.\d{1,2})?", re.ASCII)
# Thousands separated by commas in groups of three ("12,700.5"); "1,5" is not one (a decimal comma, or a typo).
THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
# "1.2E+06" (or "1,2E+06"): how a spreadsheet displays a large number, rounded to the digits shown.
SCIENTIFIC = re.compile(r"[-+]?[\d.,]*\d[\d.,]*[eE][-+]?\d+", re.ASCII)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
TWO_PLACES = Decimal("0.01")


class DateInFuture(ValueError):
    """A valid date after today: an export cannot contain it."""


class _RowParser:
    """Turns one row into observations (channel id, measure, ISO date, value text), or error messages.

    Cells are addressed by index (looked up once from the header) and plain numbers are passed to the
    database as text, because per-row dicts and Decimal objects cost more than the insert itself.
    """

    def __init__(self, source: ImportSource, header: list[str], today: date):
        self.source = source
        self.today = today
        self.channels = dict(Channel.objects.values_list("slug", "id"))
        position = {name: index for index, name in reversed(list(enumerate(header)))}
        self.columns = [(column, measure, position[column]) for column, measure in source.columns.items()]
        self.date_index = position[source.date_column]
        self.channel_index = None if source.channel_id else position[source.channel_column]
        self.iso = source.date_format == "%Y-%m-%d"
        self.width = len(header)
        self.today_iso = today.isoformat()
        self._days: dict[str, str] = {}  # exports repeat the same few hundred dates; parse each once
        self.channel_ids: set[int] = {source.channel_id} if source.channel_id else set()
        self.extra: tuple = (source.pk, None)  # source and batch ids appended to every observation

    def parse_date(self, text: str) -> str:
        """The day as ISO text; raises ValueError, or DateInFuture for a day after ``today``."""
        if isinstance(text, DayCell):  # a spreadsheet's date cell: already a day, whatever the format
            day = str(text)
        elif (day := self._days.get(text)) is None:
            stripped = text.strip()
            if self.iso:
                if ISO_DAY.fullmatch(stripped) is None:  # not a time, not trailing text, not 20230101
                    raise ValueError(stripped)
                parsed = date.fromisoformat(stripped)
            else:
                parsed = datetime.strptime(stripped, self.source.date_format).date()  # noqa: DTZ007 (a calendar day)
            day = self._days[text] = parsed.isoformat()
        if day > self.today_iso:
            raise DateInFuture(day)
        return day

    def parse(self, number: int, row: list[str]) -> tuple[list[tuple], list[str]]:
        """(observations as upsert parameters, []) or ([], error messages) for one row."""
        if len(row) < self.width:
            row = row + [""] * (self.width - len(row))
        errors = []
        if self.channel_index is None:
            channel_id = self.source.channel_id
        else:
            slug = row[self.channel_index].strip()
            channel_id = self.channels.get(slug)
            if channel_id is None:
                errors.append(f"Row {number}: {self.source.channel_column} {slug!r} is not a known channel.")
            else:
                self.channel_ids.add(channel_id)
        raw_date = row[self.date_index]
        day = None
        try:
            day = self.parse_date(raw_date)
        except DateInFuture as future:
            errors.append(f"Row {number}: {self.source.date_column} {future} is in the future.")
        except ValueError:
            errors.append(
                f"Row {number}: {self.source.date_column} {raw_date!r} is not a date in the form "
                f"{self.source.date_format}."
            )
        found = []
        for column, measure, index in self.columns:
            text = row[index].strip()
            if text == "":
                continue
            if PLAIN_NUMBER.fullmatch(text) is None:
                text = self._explain_number(number, column, text, errors)
                if text is None:
                    continue
            found.append((channel_id, measure, day, text, *self.extra))
        if errors:
            return [], errors
        return found, []

    @staticmethod
    def _explain_number(number: int, column: str, text: str, errors: list[str]) -> str | None:
        """Accept thousands separators and other decimal spellings; say precisely what is wrong otherwise."""
        if SCIENTIFIC.fullmatch(text) is not None:
            errors.append(
                f"Row {number}: {column} {text!r} is in scientific notation, which rounds the count to the "
                "digits shown; format the column as a number, not scientific notation, and export it again."
            )
            return None
        plain = text
        if "," in text:
            if THOUSANDS.fullmatch(text) is None:
                errors.append(
                    f"Row {number}: {column} {text!r} has a comma that is not a thousands separator; write "
                    "thousands as 1,500 or 1500 and decimals with a point, e.g. 1.5."
                )
                return None
            plain = text.replace(",", "")
        if NUMBER.fullmatch(plain) is None:
            errors.append(f"Row {number}: {column} {text!r} is not a number.")
            return None
        value = Decimal(plain)
        if value < 0:
            errors.append(f"Row {number}: {column} {text} is negative; counts cannot be below zero.")
        elif value >= Decimal(10) ** 12:
            errors.append(f"Row {number}: {column} {text} is too large for a count.")
        elif value != value.quantize(TWO_PLACES):
            errors.append(
                f"Row {number}: {column} {text} has more than two decimal places; round it to two, "
                f"e.g. {value.quantize(TWO_PLACES)}."
            )
        else:
            return str(value.quantize(TWO_PLACES))
        return None


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

    One streaming pass validates and upserts in batches inside one transaction, so a re-import updates rather
    than double counts; any error rolls the whole file back. Memory stays flat in the file's size. A dry run
    does the same and rolls back at the end, so it accepts exactly the files a write accepts.
    """
    today = today or timezone.localdate()
    filename = filename or Path(path).name
    source = ImportSource.objects.filter(name=source_name).first()
    if source is None:
        known = ", ".join(ImportSource.objects.order_by("name").values_list("name", flat=True)) or "none"
        raise ImportRejected([f"Unknown source {source_name!r}; known sources: {known}."])
    problems = source.configuration_errors()
    if problems:
        raise ImportRejected(
            [
                f"The import source {source.label} cannot read files: {' '.join(problems.values())} "
                "Fix it under Communications › Import sources."
            ]
        )
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
    parser = _RowParser(source, header, today)
    # A dry run is the write rolled back: it checks exactly what a write checks (repeated keys, deleted
    # channels) and keeps nothing.
    with _foreign_keys_checked_by_us(), transaction.atomic():
        batch = ImportBatch.objects.create(source=source, filename=filename[:255])
        parser.extra = (source.pk, batch.pk)
        writer = _Writer()
        rows, observations, errors = _scan(parser, path, filename, writer=writer, progress=progress)
        if not errors and writer.written != observations:
            # The upsert skips a second row for the same key within this batch, so a shortfall means duplicates.
            errors = _find_duplicates(parser, path, filename)
        if not errors and rows == 0:
            errors = ["The file has a header but no data rows."]
        if errors:
            raise ImportRejected(errors)  # rolls back every row written so far, and the batch
        used = parser.channel_ids
        unknown = used - set(Channel.objects.filter(pk__in=used).values_list("pk", flat=True))
        if unknown:  # a channel deleted while the file was read (foreign keys may be unchecked, see below)
            raise ImportRejected(
                [f"A channel was deleted during the import (id {min(unknown)}); import again."]
            )
        if dry_run:
            transaction.set_rollback(True)
            return ImportResult(rows=rows, observations=observations, dry_run=True)
        batch.row_count, batch.observation_count = rows, observations
        batch.save(update_fields=["row_count", "observation_count"])
    return ImportResult(rows=rows, observations=observations, batch=batch)


def _scan(
    parser: _RowParser, path, filename, *, writer: _Writer | None, progress
) -> tuple[int, int, list[str]]:
    """Parse every row; hand valid observations to the writer until the first error, keep collecting errors."""
    rows = observations = 0
    errors: list[str] = []
    since_progress = 0
    for number, row in read_rows(path, filename=filename):
        rows += 1
        found, row_errors = parser.parse(number, row)
        if row_errors:
            errors.extend(row_errors)
            writer = None  # the transaction will be rolled back; stop writing, keep explaining
            if len(errors) > MAX_ERRORS:
                errors.append(f"Stopped after {MAX_ERRORS} errors; fix these and try again.")
                break
            continue
        observations += len(found)
        if writer is not None:
            writer.add(found)
        since_progress += 1
        if progress and since_progress >= BATCH_SIZE:
            progress(since_progress)
            since_progress = 0
    if writer is not None:
        writer.flush()
    if progress and since_progress:
        progress(since_progress)
    if errors:
        errors.extend(_find_duplicates(parser, path, filename))
        errors.sort(key=_row_number)
    return rows, observations, errors


def _find_duplicates(parser: _RowParser, path, filename) -> list[str]:
    """A second read, only when something is wrong, naming each row that repeats an earlier one's key."""
    first: dict[tuple, int] = {}
    errors = []
    for number, row in read_rows(path, filename=filename):
        for channel_id, measure, day, *_rest in parser.parse(number, row)[0]:
            key = (channel_id, measure, day)
            if key in first:
                errors.append(f"Row {number}: duplicates row {first[key]} ({measure} on {day}).")
                if len(errors) >= MAX_ERRORS:
                    return errors
            else:
                first[key] = number
    return errors


UPSERT_SQL = (
    "INSERT INTO {table} (channel_id, measure, date, value, source_id, batch_id) VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (channel_id, measure, date) DO UPDATE SET value = excluded.value, "
    "source_id = excluded.source_id, batch_id = excluded.batch_id "
    "WHERE {table}.batch_id IS NULL OR {table}.batch_id <> excluded.batch_id"
)


class _Writer:
    """Upserts observations in batches with one prepared statement (works on SQLite and PostgreSQL).

    The conflict clause skips a row already written by this batch, so ``written`` falls short of the rows
    handed in exactly when the file repeats a key: duplicate detection without holding keys in memory.
    """

    def __init__(self):
        self.sql = UPSERT_SQL.format(table=connection.ops.quote_name(Observation._meta.db_table))
        self.pending: list[tuple] = []
        self.written = 0

    def add(self, found: list[tuple]) -> None:
        self.pending.extend(found)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.pending)
            self.written += cursor.rowcount
        self.pending = []


@contextmanager
def _foreign_keys_checked_by_us():
    """On SQLite, skip per-row foreign-key lookups for the import (they triple its cost).

    Safe because every channel id comes from the Channel table and the source and batch were just read or
    made inside the import's transaction, and the channels are checked again before it commits.
    Inside an outer transaction (tests) SQLite ignores the pragma and the checks simply stay on.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.constraint_checks_disabled():
        yield
