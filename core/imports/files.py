"""Opening a file as platforms export it: the tables inside it, whatever the container and the encoding.

A CSV or TSV in UTF-8 (with or without BOM), UTF-16 LE/BE or Windows-1252; an old binary ``.xls`` (xlrd) or an
``.xlsx`` workbook (openpyxl), one table per sheet; a zip archive holding several CSVs, one table per member. The
kind is read from the file's first bytes, not its name: LinkedIn's ``.xls`` is sometimes a workbook in disguise.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: the old binary .xls
ZIP_MAGIC = b"PK\x03\x04"
TABLE_MEMBERS = (".csv", ".tsv", ".txt")
# csv's default field limit: no cell of any export comes near it.
MAX_CELL_CHARACTERS = 128 * 1024
# How much of a text file is looked at to choose its delimiter.
SNIFF_CHARACTERS = 64 * 1024
DELIMITERS = (",", "\t", ";", "|")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the message says where and why, for the person who gave it."""


class DayCell(str):
    """The ISO text of a spreadsheet cell that holds a date: a real day, whatever format its column's text uses."""

    __slots__ = ()


Rows = Iterator[tuple[int, list[str]]]


@dataclass
class Table:
    """One table of a file: a CSV, a sheet of a workbook or a CSV inside a zip archive.

    ``rows`` yields (row number as a spreadsheet shows it, cell texts) for every row, blank and comment rows
    included, once. ``encoding`` names how the text was read ("UTF-16 LE", "xls workbook", …)."""

    name: str
    encoding: str
    rows: Rows
    delimiter: str = ""
    sheet: str = ""


Content = bytes | Path


def open_tables(filename: str, content: Content) -> list[Table]:
    """Every table in the file. ``content`` is the bytes of an upload or a Path to stream a large file from
    (a CSV then keeps memory flat in its size). Raises UnreadableFile for a file that is none of the kinds."""
    head = _head(content)
    if head.startswith(OLE_MAGIC):
        return _xls_tables(filename, content)
    if head.startswith(ZIP_MAGIC):
        try:
            archive = zipfile.ZipFile(_binary(content))
        except (zipfile.BadZipFile, OSError):
            if filename.lower().endswith(".xlsx"):
                raise _not_a_workbook(filename, ".xlsx") from None
            raise UnreadableFile(
                f"{filename} is a damaged zip archive (or workbook); download it again."
            ) from None
        names = archive.namelist()
        if "xl/workbook.xml" in names or filename.lower().endswith(".xlsx"):
            archive.close()
            return _xlsx_tables(filename, content)
        return _zip_tables(filename, archive)
    if filename.lower().endswith((".xls", ".xlsx")):
        kind = ".xlsx" if filename.lower().endswith(".xlsx") else ".xls"
        raise _not_a_workbook(filename, kind)
    if head.lstrip().lower().startswith((b"<?xml", b"<rss", b"<feed", b"<html", b"<!doctype")):
        raise UnreadableFile(
            f"{filename} is XML or HTML, not a spreadsheet; export the data as CSV or as an Excel workbook."
        )
    return [_text_table(filename, content)]


def _head(content: Content) -> bytes:
    if isinstance(content, Path):
        with content.open("rb") as handle:
            return handle.read(512)
    return bytes(content[:512])


def _binary(content: Content) -> BinaryIO:
    return content.open("rb") if isinstance(content, Path) else io.BytesIO(content)


# Text files ----------------------------------------------------------------------------------------------------


def detect_encoding(head: bytes, whole: Callable[[], Iterator[bytes]]) -> tuple[str, str]:
    """(Python codec, name for people) of a text file, from its byte-order mark, or by reading it as UTF-8 and
    falling back to Windows-1252 (a superset of Latin-1's printable letters) when it is not."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 with BOM"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", "UTF-16 LE"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "UTF-16 BE"
    # UTF-16 without a mark: ASCII text has a NUL in every other byte.
    sample = head[:200]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and not sample[0::2].count(0):
        return "utf-16-le", "UTF-16 LE (no byte-order mark)"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and not sample[1::2].count(0):
        return "utf-16-be", "UTF-16 BE (no byte-order mark)"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in whole():
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252", "Windows-1252 (Latin-1), as the file is not UTF-8"
    return "utf-8", "UTF-8"


def _chunks(content: Content) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        if isinstance(content, Path):
            with content.open("rb") as handle:
                while chunk := handle.read(64 * 1024):
                    yield chunk
        else:
            yield bytes(content)

    return read


def _text_table(filename: str, content: Content, *, name: str = "") -> Table:
    codec, encoding = detect_encoding(_head(content), _chunks(content))
    if codec == "cp1252":
        # Five bytes are unassigned in Windows-1252; Latin-1 reads every byte.
        try:
            (content.read_bytes() if isinstance(content, Path) else content).decode("cp1252")
        except UnicodeDecodeError:
            codec, encoding = "latin-1", "Latin-1, as the file is not UTF-8"

    def open_text() -> io.TextIOBase:
        if isinstance(content, Path):
            return content.open(encoding=codec, newline="", errors="strict")
        return io.StringIO(bytes(content).decode(codec), newline="")

    with open_text() as text:
        sample = text.read(SNIFF_CHARACTERS)
    delimiter, sep_line = sniff_delimiter(sample)
    return Table(
        name=name or filename,
        encoding=encoding,
        rows=_csv_rows(open_text, delimiter, skip_sep_line=sep_line),
        delimiter=delimiter,
    )


SEP_LINE = re.compile(r'\A\ufeff?"?sep=(.)"?\r?\n', re.IGNORECASE)


def sniff_delimiter(sample: str) -> tuple[str, bool]:
    """(delimiter, whether the text opens with Excel's ``sep=`` line naming it). Otherwise the candidate that
    splits the most lines into the same, largest number of cells; comment lines (#) and quoted text do not count."""
    if found := SEP_LINE.match(sample):
        return found[1], True
    lines = [line for line in sample.splitlines()[:50] if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return ",", False
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=candidate), [])) - 1 for line in lines]
        widest = max(counts)
        if widest == 0:
            continue
        score = (counts.count(widest), widest)
        if score > best_score:
            best, best_score = candidate, score
    return best, False


def _csv_rows(open_text: Callable[[], io.TextIOBase], delimiter: str, *, skip_sep_line: bool) -> Rows:
    """The records of CSV text numbered from 1 (Excel's ``sep=`` line counts as row 1 and is not yielded).

    One generator around csv.reader, opening the text itself: the observation import reads millions of rows."""
    number = 0
    csv_limit = csv.field_size_limit
    try:
        with open_text() as lines:
            first = 1
            if skip_sep_line:
                lines.readline()
                first = 2
            for number, values in enumerate(csv.reader(lines, delimiter=delimiter), start=first):  # noqa: B007
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
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"Row {number + 1}: the text cannot be read as {error.encoding} ({error.reason}); "
            "save the file as CSV UTF-8 and import it again."
        ) from None
    except csv.Error as error:
        reason = (
            f"a cell is longer than {csv.field_size_limit() // 1024} KB"
            if "field larger than field limit" in str(error)
            else f"the row cannot be read as CSV ({error})"
        )
        raise UnreadableFile(f"Row {number + 1}: {reason}; nothing was read after this row.") from None


def _zip_tables(filename: str, archive: zipfile.ZipFile) -> list[Table]:
    """One table per CSV in the archive (in the archive's order); other members are ignored."""
    tables = []
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(TABLE_MEMBERS):
                continue
            if info.filename.startswith("__MACOSX/"):
                continue
            data = archive.read(info)
            tables.append(_text_table(filename, data, name=f"{filename} › {info.filename}"))
    if not tables:
        raise UnreadableFile(f"{filename} is a zip archive without a CSV file in it.")
    return tables


# Workbooks -----------------------------------------------------------------------------------------------------


def spreadsheet_cell(value) -> str:
    """The text of a workbook cell as a person typed it: whole numbers without “.0”, other numbers never in
    scientific notation (the workbook holds them exactly, not as displayed), dates and datetimes as the ISO day."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        return DayCell(value.date().isoformat())
    if isinstance(value, datetime.date):
        return DayCell(value.isoformat())
    return str(value)


def _not_a_workbook(filename: str, kind: str) -> UnreadableFile:
    return UnreadableFile(
        f"{filename} is not a valid {kind} file; open it in a spreadsheet program and save it as .xlsx or "
        "CSV UTF-8."
    )


def _xlsx_tables(filename: str, content: Content) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(_binary(content), read_only=True, data_only=True)
        sheets = workbook.sheetnames
        workbook.close()
    except Exception:  # BadZipFile, KeyError, InvalidFileException, XML errors…
        raise _not_a_workbook(filename, ".xlsx") from None
    return [
        Table(
            name=f"{filename} › {sheet}",
            encoding="xlsx workbook",
            rows=_xlsx_rows(filename, content, sheet),
            sheet=sheet,
        )
        for sheet in sheets
    ]


def _xlsx_rows(filename: str, content: Content, sheet: str) -> Rows:
    from openpyxl import load_workbook

    workbook = load_workbook(_binary(content), read_only=True, data_only=True)
    try:
        for number, values in enumerate(workbook[sheet].iter_rows(values_only=True), start=1):
            yield number, [spreadsheet_cell(v) for v in values]
    # A sheet is read lazily: its XML can turn out to be broken half way.
    except Exception:
        raise _not_a_workbook(filename, ".xlsx") from None
    finally:
        workbook.close()


def _xls_tables(filename: str, content: Content) -> list[Table]:
    import xlrd

    data = content.read_bytes() if isinstance(content, Path) else bytes(content)
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception:  # xlrd raises XLRDError, CompDocError, struct errors… for damaged files
        raise _not_a_workbook(filename, ".xls") from None
    tables = []
    for sheet in book.sheets():
        tables.append(
            Table(
                name=f"{filename} › {sheet.name}",
                encoding="xls workbook",
                rows=_xls_rows(book, sheet),
                sheet=sheet.name,
            )
        )
    return tables


def _xls_rows(book, sheet) -> Rows:
    import xlrd

    for index in range(sheet.nrows):
        cells = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                cells.append(spreadsheet_cell(xlrd.xldate_as_datetime(cell.value, book.datemode)))
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                cells.append(spreadsheet_cell(bool(cell.value)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                cells.append("")
            else:
                cells.append(spreadsheet_cell(cell.value))
        yield index + 1, cells
