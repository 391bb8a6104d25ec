"""Reading uploaded spreadsheets (CSV in UTF-8, or XLSX) row by row, for the importers of every app."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

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


def _cell(value) -> str:
    """The text of an XLSX cell: whole numbers without “.0”, midnight datetimes as plain dates."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()
    return str(value).strip()


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        rows = iter(sheet.iter_rows(values_only=True))
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            yield [_cell(v) for v in values]
    # A file that is not XLSX fails in many ways: BadZipFile, KeyError, InvalidFileException, XML errors…
    except Exception as exc:
        raise ValueError(
            f"The file is not a valid .xlsx file ({type(exc).__name__}); "
            "save it again as Excel Workbook (.xlsx) or CSV UTF-8."
        ) from None


# csv's default field limit: no organisation, person or attendance field comes near it.
MAX_CELL_CHARACTERS = 128 * 1024


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"The file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8 or XLSX.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = csv.field_size_limit() // 1024
            reason = (
                f"a cell is longer than {limit} KB"
                if "field larger than field limit" in str(exc)
                else f"it cannot be read as CSV ({exc})"
            )
            raise ValueError(f"Row {number}: {reason}; nothing was read after this row.") from None
        # Our own limit, not only csv's: csv.field_size_limit() is process-wide and other readers raise it.
        if any(len(v) > MAX_CELL_CHARACTERS for v in values):
            raise ValueError(
                f"Row {number}: a cell is longer than {MAX_CELL_CHARACTERS // 1024} KB; nothing was read after this row."
            )
        number += 1
        yield [v.strip() for v in values]


def read_rows(
    filename: str, content: bytes, *, required: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, lower-cased column → text) from CSV (UTF-8) or XLSX.

    The first row is the header and must name every ``required`` column. Blank rows are skipped. Problems with the
    file as a whole (not a spreadsheet, no header, no data rows, a cell that cannot be read) raise ValueError with a
    message for the person who uploaded it."""
    rows = _xlsx_rows(content) if filename.lower().endswith(".xlsx") else _csv_rows(content)
    header = [h.strip().lower() for h in next(rows, [])]
    if not any(header):
        raise ValueError("The file is empty: the first row must be a header naming the columns.")
    missing = [c for c in required if c not in header]
    if missing:
        first_row = ", ".join(h for h in header if h)
        raise ValueError(
            f"The header lacks the column(s): {', '.join(missing)}. "
            f"The first row must name the columns; it reads: {first_row[:200]}."
        )
    data_rows = 0
    for number, values in enumerate(rows, start=2):
        if not any(values):
            continue
        row = {h: "" for h in header if h}
        for h, v in zip(header, values, strict=False):
            if h:
                row[h] = v
        for h, v in row.items():
            if "\x00" in v:
                raise ValueError(f"Row {number}: {h}: the cell holds a NUL character; is this a text file?")
        data_rows += 1
        yield number, row
    if not data_rows:
        raise ValueError("The file has no data rows.")
