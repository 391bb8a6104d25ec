"""Reading spreadsheets row by row for the simple importers (an upload held in memory, ``read_rows``, or a large
file streamed from a path, ``stream_rows``) on top of ``core.imports.files``; yes/no cells; the upload field; and
``inert_cell`` for what the exports write."""

from collections.abc import Iterable, Iterator
from pathlib import Path

from django import forms

from core.imports.files import DayCell, UnreadableFile, open_tables
from core.imports.report import ImportReport

__all__ = ["DayCell", "ImportReport", "UnreadableFile", "read_rows", "stream_rows", "yes_no"]

MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024
YES_WORDS = frozenset({"yes", "y", "true", "1", "x"})
NO_WORDS = frozenset({"no", "n", "false", "0", ""})
UPLOAD_EXTENSIONS = (".csv", ".tsv", ".txt", ".xls", ".xlsx", ".zip")


class SpreadsheetUploadField(forms.FileField):
    """An upload that must be a spreadsheet export (CSV, TSV, XLS, XLSX or a ZIP of CSVs) of at most 5 MB (the
    importers read it into memory)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(
                f"“{upload.name}” is not a spreadsheet export; give a .csv, .tsv, .xls, .xlsx or .zip file."
            )
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


def stream_rows(path: Path | str, *, filename: str = "") -> Iterator[tuple[int, list[str]]]:
    """(row number as a spreadsheet shows it, cell texts as written) for every row of the first table of a file
    (CSV in any encoding ``core.imports.files`` reads, XLS, XLSX), header and blank rows included, streamed from
    ``path``: for CSV, memory stays flat in the file's size.

    A file that cannot be read raises UnreadableFile saying where and why; a missing or unreadable path raises
    OSError for the caller to explain."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    return open_tables(filename or path.name, path)[0].rows


def read_rows(
    filename: str, content: bytes, *, required: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, lower-cased column → text) from CSV (UTF-8) or XLSX.

    The first row is the header and must name every ``required`` column, each once. Blank rows are skipped. Problems
    with the file as a whole (not a spreadsheet, no header, no data rows, a cell that cannot be read or lies outside
    the named columns) raise ValueError with a message for the person who uploaded it."""
    rows = open_tables(filename, content)[0].rows
    header = [h.strip().lower() for h in _first_line(rows)]
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


def _first_line(rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    """The first row that is not blank or a comment line (# …), as exports write above their header."""
    for _number, cells in rows:
        first = next((c for c in cells if c.strip()), "")
        if first and not first.lstrip().startswith("#"):
            return cells
    return []


# What a spreadsheet program runs as a formula when a cell's text starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value):
    """A text that a spreadsheet program would run as a formula, prefixed with ' so it shows as typed (names and
    descriptions come from public forms and member editors); any other value as it is. For every export."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
