"""Reading spreadsheets (CSV in UTF-8, or XLSX) row by row, for the importers of every app: an upload held in memory
(``read_rows``) or a large file streamed from a path (``stream_rows``), with the same cells and the same messages;
and ``inert_cell`` for what the exports write."""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, TextIO

from django import forms

MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024
YES_WORDS = frozenset({"yes", "y", "true", "1", "x"})
NO_WORDS = frozenset({"no", "n", "false", "0", ""})


@dataclass
class ImportReport:
    """What an import found: one line per problem, and how many rows would be (or were) written."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class SpreadsheetUploadField(forms.FileField):
    """An upload that must be a .csv or .xlsx of at most 5 MB (the importers read it into memory)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(f"“{upload.name}” is not a .csv or .xlsx file.")
        if upload and upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Split it and import each part."
            )
        return upload


def yes_no(value: str) -> bool | None:
    """True/False for the words a spreadsheet uses for yes and no (an empty cell is no); None for anything else."""
    word = value.strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


YES_NO_HELP = "use yes/no, true/false, y/n, 1/0 or x (or leave it empty for no)"


class UnreadableFile(ValueError):
    """The file as a whole cannot be read as a spreadsheet; the message says where and why, for the person who
    gave it."""


def stream_rows(path: Path | str, *, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cell texts as written) for every row of a CSV (UTF-8) or XLSX file,
    header and blank rows included, streamed from ``path``: for CSV, memory stays flat in the file's size.

    ``filename`` (by default the path's name) tells CSV from XLSX by its extension and names the file in messages.
    A file that cannot be read raises UnreadableFile saying where and why, after the rows read before that point;
    a missing or unreadable path raises OSError for the caller to explain."""
    path = Path(path)
    name = filename or path.name
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(path, name)
    return _csv_file_rows(path)


class DayCell(str):
    """The ISO text of a spreadsheet cell that holds a date: a real day, whatever format its column's text uses."""

    __slots__ = ()


def _cell(value) -> str:
    """The text of an XLSX cell as a person typed it: whole numbers without “.0”, other numbers never in scientific
    notation (the workbook holds them exactly, not as displayed), dates and datetimes as the ISO day."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        return DayCell(value.date().isoformat())
    if isinstance(value, datetime.date):
        return DayCell(value.isoformat())
    return str(value)


def _xlsx_rows(source: Path | BinaryIO, name: str) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows, numbered from 1."""
    from openpyxl import load_workbook

    not_xlsx = UnreadableFile(
        f"{name} is not a valid .xlsx file; open it in a spreadsheet program and save it as .xlsx or CSV UTF-8."
    )
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except OSError:
        if isinstance(source, Path) and not source.is_file():
            raise  # a missing file, a directory: the caller says so
        raise not_xlsx from None  # openpyxl raises OSError for a zip without a workbook in it, too
    # A file that is not XLSX fails in many ways: BadZipFile, KeyError, InvalidFileException, XML errors…
    except Exception:
        raise not_xlsx from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for number, values in enumerate(rows, start=1):
            yield number, [_cell(v) for v in values]
    # A sheet is read lazily: its XML can turn out to be broken half way.
    except Exception:
        raise not_xlsx from None
    finally:
        workbook.close()


# csv's default field limit: no organisation, person, attendance or observation field comes near it.
MAX_CELL_CHARACTERS = 128 * 1024


def _csv_file_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Decoded as it is read, so memory stays flat; a byte that is not UTF-8 is found by a second read."""
    return _csv_rows(
        lambda: path.open(newline="", encoding="utf-8-sig"), not_utf8=lambda: _not_utf8(path.open("rb"))
    )


def _csv_content_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """An upload is decoded before any row is read, so a file that is not UTF-8 is reported alone."""

    def not_utf8() -> str:
        return _not_utf8(io.BytesIO(content))

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(not_utf8()) from None
    return _csv_rows(lambda: io.StringIO(text, newline=""), not_utf8=not_utf8)


def _csv_rows(
    open_text: Callable[[], TextIO], *, not_utf8: Callable[[], str]
) -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text numbered from 1; ``not_utf8`` explains a decoding error while reading it.

    One generator around csv.reader, opening the text itself, because the observation import reads millions of
    rows and every layer costs."""
    number = 0
    csv_limit = csv.field_size_limit
    try:
        with open_text() as lines:
            for number, values in enumerate(csv.reader(lines), start=1):
                # Our own limit, not only csv's: csv.field_size_limit() is process-wide and other readers raise
                # it. While it is at or below ours, csv refuses a longer cell itself and the cells need no
                # measuring (asking is cheaper than measuring, and the import reads millions of rows).
                if (
                    csv_limit() > MAX_CELL_CHARACTERS
                    and max(map(len, values), default=0) > MAX_CELL_CHARACTERS
                ):
                    raise UnreadableFile(
                        f"Row {number}: a cell is longer than {MAX_CELL_CHARACTERS // 1024} KB; "
                        "nothing was read after this row."
                    )
                yield number, values
    except UnicodeDecodeError:
        raise UnreadableFile(not_utf8()) from None
    except csv.Error as error:
        reason = (
            f"a cell is longer than {csv.field_size_limit() // 1024} KB"
            if "field larger than field limit" in str(error)
            else f"the row cannot be read as CSV ({error})"
        )
        raise UnreadableFile(f"Row {number + 1}: {reason}; nothing was read after this row.") from None


class _NotUtf8(Exception):
    def __init__(self, offset: int):
        self.offset = offset


_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _utf8_lines(handle: BinaryIO) -> Iterator[str]:
    """The text lines of a binary file, as ``open(newline="")`` splits them; raises _NotUtf8 at the first bad byte."""
    offset = 0
    for raw in handle:  # split at b"\n", which never occurs inside a UTF-8 sequence
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _NotUtf8(offset + error.start) from None
        if offset == 0:
            text = text.removeprefix("\ufeff")
        offset += len(raw)
        yield from _LINES.findall(text)


def _not_utf8(handle: BinaryIO) -> str:
    """Where a file stops being UTF-8, by byte and row (both from 1): a second read, only when the first failed."""
    advice = "save it as CSV UTF-8 (or .xlsx) and import it again."
    with handle:
        if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return f"The file is UTF-16, not UTF-8 (byte 1, row 1): {advice}"
        handle.seek(0)
        number = 0
        try:
            for number, _values in enumerate(csv.reader(_utf8_lines(handle)), start=1):  # noqa: B007
                pass
        except _NotUtf8 as bad:
            return f"The file is not UTF-8 (byte {bad.offset + 1}, row {number + 1}): {advice}"
        except csv.Error:
            pass
    return f"The file is not UTF-8: {advice}"


def read_rows(
    filename: str, content: bytes, *, required: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, lower-cased column → text) from CSV (UTF-8) or XLSX.

    The first row is the header and must name every ``required`` column, each once. Blank rows are skipped. Problems
    with the file as a whole (not a spreadsheet, no header, no data rows, a cell that cannot be read or lies outside
    the named columns) raise ValueError with a message for the person who uploaded it."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(io.BytesIO(content), filename)
    else:
        rows = _csv_content_rows(content)
    header = [h.strip().lower() for h in next(rows, (1, []))[1]]
    if not any(header):
        raise ValueError("The file is empty: the first row must be a header naming the columns.")
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:  # which of the two cells would count is anybody's guess
        raise ValueError(f"The header names {', '.join(twice)} more than once; name each column once.")
    missing = [c for c in required if c not in header]
    if missing:
        first_row = ", ".join(h for h in header if h)
        raise ValueError(
            f"The header lacks the column(s): {', '.join(missing)}. "
            f"The first row must name the columns; it reads: {first_row[:200]}."
        )
    data_rows = 0
    for number, raw in rows:
        values = [v.strip() for v in raw]
        if not any(values):
            continue
        row = {h: "" for h in header if h}
        for position, v in enumerate(values):
            h = header[position] if position < len(header) else ""
            if h:
                row[h] = v
            elif v:  # data no column names would be dropped without a word
                raise ValueError(
                    f"Row {number}: cell {position + 1} holds {v[:40]!r} but the header names no column there."
                )
        for h, v in row.items():
            if "\x00" in v:
                raise ValueError(f"Row {number}: {h}: the cell holds a NUL character; is this a text file?")
        data_rows += 1
        yield number, row
    if not data_rows:
        raise ValueError("The file has no data rows.")


# What a spreadsheet program runs as a formula when a cell's text starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value):
    """A text that a spreadsheet program would run as a formula, prefixed with ' so it shows as typed (names and
    descriptions come from public forms and member editors); any other value as it is. For every export."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
