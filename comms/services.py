"""Importing observations: validated and upserted in one streaming pass inside one transaction, idempotently; any
error rolls the whole file back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from comms import import_formats
from comms.models import Channel, ImportBatch, ImportSource, Measure, Observation
from core.imports.files import DayCell, UnreadableFile, open_tables
from core.imports.formats import ExportFormat, UnknownFormat, formats
from core.imports.numbers import NumberFormat, NumberProblem, parse_number
from core.imports.report import ImportReport
from core.imports.tables import Column, HeaderNotFound, Located, column_key, locate, without_totals

BATCH_SIZE = 5000
DAYS_REMEMBERED = 4096  # parsed date texts kept: a few years of daily exports, read once each
MAX_ERRORS = 200


class ImportRejected(Exception):
    """The file was not imported; ``errors`` says why, row by row."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


# A plain non-negative decimal, the shape of nearly every cell; anything else takes the slow, explaining path.
PLAIN_NUMBER = re.compile(r"\d{1,12}(?:\.\d{1,2})?", re.ASCII)
PLAIN_INTEGER = re.compile(r"\d{1,12}", re.ASCII)
# "1.2E+06" (or "1,2E+06"): how a spreadsheet displays a large number, rounded to the digits shown.
SCIENTIFIC = re.compile(r"[-+]?[\d.,]*\d[\d.,]*[eE][-+]?\d+", re.ASCII)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
TWO_PLACES = Decimal("0.01")


class DateInFuture(ValueError):
    """A valid date after today: an export cannot contain it."""


@dataclass
class Shape:
    """How the rows of one file become observations: where the date, the channel and each measure are."""

    label: str
    date_label: str
    date_index: int
    date_formats: tuple[str, ...]
    measures: list[tuple[str, str, int]]  # (column as the file heads it, measure, cell index)
    number_format: str
    channel_id: int | None = None
    channel_label: str = ""
    channel_index: int | None = None
    source: ImportSource | None = None
    export_format: str = ""


class _RowParser:
    """Turns one row into observations (channel id, measure, ISO date, value text), or error messages.

    Cells are addressed by index (looked up once from the header) and plain numbers are passed to the
    database as text, because per-row dicts and Decimal objects cost more than the insert itself.
    """

    def __init__(self, shape: Shape, today: date):
        self.shape = shape
        self.today = today
        self.channels = dict(Channel.objects.values_list("slug", "id"))
        self.columns = shape.measures
        self.date_index = shape.date_index
        self.channel_index = shape.channel_index
        self.iso = shape.date_formats == ("%Y-%m-%d",)
        self.today_iso = today.isoformat()
        # A decimal comma file cannot take "12.70" as twelve point seven: only whole numbers go the fast way.
        self.plain = PLAIN_INTEGER if shape.number_format == NumberFormat.COMMA else PLAIN_NUMBER
        self._days: dict[str, str] = {}  # exports repeat the same few hundred dates; parse each once
        self.channel_ids: set[int] = {shape.channel_id} if shape.channel_id else set()
        self.extra: tuple = (shape.source.pk if shape.source else None, None)  # source and batch ids

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
                parsed = self._parse_other(stripped)
            if len(self._days) >= DAYS_REMEMBERED:  # a file of many years must not grow memory day by day
                self._days.clear()
            day = self._days[text] = parsed.isoformat()
        if day > self.today_iso:
            raise DateInFuture(day)
        return day

    def _parse_other(self, text: str) -> date:
        for date_format in self.shape.date_formats:
            try:
                if date_format == "%Y%m%d" and len(text) == 8 and text.isascii() and text.isdigit():
                    # GA4's days, without strptime's cost (a long export holds thousands of distinct days)
                    return date(int(text[:4]), int(text[4:6]), int(text[6:]))
                if date_format == "iso":  # Meta's 2023-07-01T00:00:00, or a plain day
                    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
                return datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a calendar day)
            except ValueError:
                continue
        raise ValueError(text)

    def parse(self, number: int, row: list[str]) -> tuple[list[tuple], list[str]]:
        """(observations as upsert parameters, []) or ([], error messages) for one row."""
        errors = []
        shape = self.shape
        if self.channel_index is None:
            channel_id = shape.channel_id
        else:
            slug = row[self.channel_index].strip()
            channel_id = self.channels.get(slug)
            if channel_id is None:
                errors.append(f"Row {number}: {shape.channel_label} {slug!r} is not a known channel.")
            else:
                self.channel_ids.add(channel_id)
        raw_date = row[self.date_index]
        day = None
        try:
            day = self.parse_date(raw_date)
        except DateInFuture as future:
            errors.append(f"Row {number}: {shape.date_label} {future} is in the future.")
        except ValueError:
            errors.append(
                f"Row {number}: {shape.date_label} {raw_date!r} is not a date in the form "
                f"{' or '.join(DATE_FORMS.get(f, f) for f in shape.date_formats)}."
            )
        found = []
        for column, measure, index in self.columns:
            text = row[index].strip()
            if text == "":
                continue
            if self.plain.fullmatch(text) is None:
                text = self._explain_number(number, column, text, errors)
                if text is None:
                    continue
            found.append((channel_id, measure, day, text, *self.extra))
        if errors:
            return [], errors
        return found, []

    def _explain_number(self, number: int, column: str, text: str, errors: list[str]) -> str | None:
        """Read thousands separators and decimal spellings by the file's number format; say precisely what is
        wrong otherwise."""
        if SCIENTIFIC.fullmatch(text) is not None:
            errors.append(
                f"Row {number}: {column} {text!r} is in scientific notation, which rounds the count to the "
                "digits shown; format the column as a number, not scientific notation, and export it again."
            )
            return None
        try:
            value = parse_number(text, self.shape.number_format)
        except NumberProblem as problem:
            errors.append(f"Row {number}: {column} {problem}.")
            return None
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


DATE_FORMS = {"%Y-%m-%d": "%Y-%m-%d", "iso": "YYYY-MM-DDTHH:MM:SS"}


def observations_import(
    *,
    filename: str,
    content: bytes | Path,
    export_format: str = "",
    source_name: str = "",
    channel: str = "",
    number_format: str = "",
    write: bool = False,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one platform export, read as ``export_format`` (a registered format, recognised from the file
    when neither it nor ``source_name``, a custom ImportSource, is given). Nothing is written if any row is
    wrong, or unless ``write``.

    One streaming pass validates and upserts in batches inside one transaction, so a re-import updates rather
    than double counts; any error rolls the whole file back. Memory stays flat in the file's size. A dry run
    does the same and rolls back at the end, so it accepts exactly the files a write accepts.
    """
    report = ImportReport()
    try:
        _import(
            report,
            filename=filename,
            content=content,
            export_format=export_format,
            source_name=source_name,
            channel=channel,
            number_format=number_format,
            write=write,
            today=today or timezone.localdate(),
            progress=progress,
        )
    except ImportRejected as rejected:
        report.errors = rejected.errors
        report.created = 0
        report.written = False
    return report


def _import(report: ImportReport, *, filename, content, write, today, progress, **choice) -> None:
    def shapes() -> list[tuple[Shape, Located]]:
        try:
            return _shapes(filename, content, **choice)
        except UnreadableFile as error:
            raise ImportRejected([str(error)]) from None

    found = shapes()
    report.format_label = found[0][0].label
    # A dry run is the write rolled back: it checks exactly what a write checks (repeated keys, deleted
    # channels) and keeps nothing.
    with _foreign_keys_checked_by_us(), transaction.atomic():
        first = found[0][0]
        batch = ImportBatch.objects.create(
            source=first.source, export_format=first.export_format, filename=filename[:255]
        )
        for index, (shape, located) in enumerate(found):
            parser = _RowParser(shape, today)
            parser.extra = (parser.extra[0], batch.pk)
            writer = _Writer()

            def reread(index=index):
                return _rows(shapes()[index][1])

            count, observations, errors = _scan(
                parser, _rows(located), reread, writer=writer, progress=progress
            )
            if not errors and writer.written != observations:
                # The upsert skips a second row for the same key within this batch: a shortfall means duplicates.
                errors = _find_duplicates(parser, reread())
            if not errors and count == 0:
                errors = [f"{located.table.name} has a header but no data rows."]
            if errors:
                raise ImportRejected(errors)  # rolls back every row written so far, and the batch
            used = parser.channel_ids
            unknown = used - set(Channel.objects.filter(pk__in=used).values_list("pk", flat=True))
            if (
                unknown
            ):  # a channel deleted while the file was read (foreign keys may be unchecked, see below)
                raise ImportRejected(
                    [f"A channel was deleted during the import (id {min(unknown)}); import again."]
                )
            report.rows += count
            report.created += observations
            report.notes += located.notes()
            if shape.channel_id:
                report.notes.append(f"rows are for the channel {Channel.objects.get(pk=shape.channel_id)}")
            report.notes.append(
                "measures read: "
                + ", ".join(f"{column} → {measure}" for column, measure, _i in shape.measures)
            )
        if not write:
            transaction.set_rollback(True)
            return
        batch.row_count, batch.observation_count = report.rows, report.created
        batch.save(update_fields=["row_count", "observation_count"])
    report.written = True


def _shapes(filename: str, content, **choice) -> list[tuple[Shape, Located]]:
    """One shape per table to import: every metric file of a Meta zip, otherwise the one table found."""
    chosen = choice.get("export_format") or ""
    if not chosen and not choice.get("source_name"):
        try:
            recognised, _located = formats.recognise(open_tables(filename, content), kind=import_formats.KIND)
        except UnknownFormat as error:
            raise ImportRejected([str(error)]) from None
        if "metric_line" in recognised.options:
            found = _shapes(filename, content, **{**choice, "export_format": recognised.name})
            for shape, _located in found:
                shape.label += " (recognised from the file)"
            return found
    if not choice.get("source_name") and formats_with_metric_line(chosen):
        tables = open_tables(filename, content)
        found = []
        for table in tables:
            try:
                found.append(_shape(filename, [table], **choice))
            except ImportRejected:
                if len(tables) == 1:
                    raise
        if not found:
            raise ImportRejected([f"{filename} holds no Meta Business Suite metric file."])
        return found
    return [_shape(filename, open_tables(filename, content), **choice)]


def formats_with_metric_line(name: str) -> bool:
    """Whether the named format (or, when recognising, the file) may hold one metric per table."""
    try:
        return bool(name) and "metric_line" in formats.get(name, kind=import_formats.KIND).options
    except UnknownFormat:
        return False  # _shape says so


def _shape(
    filename: str, tables, *, export_format: str, source_name: str, channel: str, number_format: str
) -> tuple[Shape, Located]:
    """Which format the tables are and where their columns are; raises ImportRejected saying why not."""
    if number_format and number_format not in NumberFormat.values:
        raise ImportRejected(
            [f"Unknown number format {number_format!r}; use {', '.join(NumberFormat.values)}."]
        )
    if source_name:
        return _source_shape(source_name, tables, channel=channel, number_format=number_format)
    try:
        if export_format:
            chosen = formats.get(export_format, kind=import_formats.KIND)
            located = chosen.locate(tables)
            label = chosen.label
        else:
            chosen, located = formats.recognise(tables, kind=import_formats.KIND)
            label = f"{chosen.label} (recognised from the file)"
    except UnknownFormat as error:
        raise ImportRejected([str(error)]) from None
    measures = _format_measures(chosen, located)
    shape = Shape(
        label=label,
        date_label=located.header[located.positions[import_formats.DATE]],
        date_index=located.positions[import_formats.DATE],
        date_formats=chosen.date_formats,
        measures=measures,
        number_format=number_format or chosen.number_format,
        export_format=chosen.name,
    )
    if "channel" in located.positions:
        shape.channel_index, shape.channel_label = located.positions["channel"], "channel"
    else:
        kind = chosen.options.get("channel_kind") or _metric_line(chosen, located)[0]
        shape.channel_id = _channel_id(channel, kind, chosen.label)
    return shape, located


def _format_measures(chosen: ExportFormat, located: Located) -> list[tuple[str, str, int]]:
    if "metric_line" in chosen.options:
        measure = _metric_line(chosen, located)[1]
        return [(located.header[located.positions["primary"]], measure, located.positions["primary"])]
    measures = [
        (located.header[located.positions[c.key]], c.key, located.positions[c.key])
        for c in chosen.columns
        if c.key in Measure.values and c.key in located.positions
    ]
    if not measures:
        wanted = ", ".join(c.names[0] for c in chosen.columns if c.key in Measure.values)
        raise ImportRejected(
            [f"{located.table.name} has none of the columns {chosen.label} reads: {wanted}."]
        )
    return measures


def _metric_line(chosen: ExportFormat, located: Located) -> tuple[str, str]:
    """(channel kind, measure) from the metric's name Meta writes above the header, e.g. "Facebook follows"."""
    kinds, metrics = chosen.options["metric_line"], chosen.options["metrics"]
    lines = [" ".join(c for c in cells if c.strip()) for cells in located.lines_above]
    for line in lines:
        key = column_key(line)
        for platform, kind in kinds.items():
            if key.startswith(platform):
                metric = key.removeprefix(platform).strip().removeprefix("page ").strip()
                measure = metrics.get(metric) or metrics.get(key.removeprefix(platform).strip())
                if measure is None:
                    raise ImportRejected(
                        [
                            f"{located.table.name}: the metric {line!r} is not one Yearbook records; it reads "
                            f"{', '.join(sorted(metrics))} (one metric per file, as Meta exports them)."
                        ]
                    )
                return kind, measure
    raise ImportRejected(
        [
            f'{located.table.name}: no line above the header names the metric (e.g. "Facebook follows"); '
            "export each metric from Meta Business Suite as it comes."
        ]
    )


def _channel_id(slug: str, kind: str, label: str) -> int:
    """The channel named, or the only channel of the format's kind."""
    if slug:
        found = Channel.objects.filter(slug=slug).values_list("id", flat=True).first()
        if found is None:
            raise ImportRejected([f"There is no channel {slug!r}."])
        return found
    candidates = list(Channel.objects.filter(kind=kind).values_list("id", "slug"))
    if len(candidates) == 1:
        return candidates[0][0]
    if not candidates:
        raise ImportRejected(
            [f"{label} needs a channel of the kind {kind}; add one under Communications › Channels."]
        )
    raise ImportRejected(
        [f"Several channels are of the kind {kind} ({', '.join(s for _i, s in candidates)}); choose one."]
    )


def _source_shape(source_name: str, tables, *, channel: str, number_format: str) -> tuple[Shape, Located]:
    """The shape of a custom import source (Communications › Import sources): headers matched without regard
    to case, any of its measure columns enough."""
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
    columns = [Column("date", (source.date_column,))]
    if not source.channel_id:
        columns.append(Column("channel", (source.channel_column,)))
    columns += [Column(f"measure:{header}", (header,), required=False) for header in source.columns]
    try:
        located = locate(tables[0], columns)
    except HeaderNotFound as missing:
        needed = [source.date_column] + ([] if source.channel_id else [source.channel_column])
        first = missing.first_line
        raise ImportRejected(
            [f"Missing columns for {source.label}: {', '.join(needed)} (found: {first or 'none'})."]
        ) from None
    measures = [
        (located.header[located.positions[f"measure:{h}"]], m, located.positions[f"measure:{h}"])
        for h, m in source.columns.items()
        if f"measure:{h}" in located.positions
    ]
    if not measures:
        raise ImportRejected(
            [
                f"Missing columns for {source.label}: none of {', '.join(source.columns)} "
                f"(found: {', '.join(h for h in located.header if h)})."
            ]
        )
    shape = Shape(
        label=f"Import source {source.label}",
        date_label=source.date_column,
        date_index=located.positions["date"],
        date_formats=(source.date_format,),
        measures=measures,
        number_format=number_format or source.number_format,
        channel_id=source.channel_id or (_channel_id(channel, "", source.label) if channel else None),
        channel_label=source.channel_column,
        channel_index=None if source.channel_id or channel else located.positions["channel"],
        source=source,
    )
    return shape, located


def _rows(located: Located) -> Iterator[tuple[int, list[str]]]:
    try:  # around the loop, not a wrapping generator: a layer per row costs more than the reading
        yield from without_totals(located)
    except UnreadableFile as error:
        raise ImportRejected([str(error)]) from None


def _row_number(message: str) -> int:
    head = message.split(":", 1)[0]
    return int(head[4:]) if head.startswith("Row ") and head[4:].isdigit() else 10**12


def _scan(
    parser: _RowParser, rows, reread, *, writer: _Writer | None, progress
) -> tuple[int, int, list[str]]:
    """Parse every row; hand valid observations to the writer until the first error, keep collecting errors."""
    count = observations = 0
    errors: list[str] = []
    since_progress = 0
    for number, row in rows:
        count += 1
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
        errors.extend(_find_duplicates(parser, reread()))
        errors.sort(key=_row_number)
    return count, observations, errors


def _find_duplicates(parser: _RowParser, rows) -> list[str]:
    """A second read, only when something is wrong, naming each row that repeats an earlier one's key."""
    first: dict[tuple, int] = {}
    errors = []
    for number, row in rows:
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
