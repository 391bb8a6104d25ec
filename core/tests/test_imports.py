"""The shared reading layer: files as platforms export them, headers below other lines, numbers by locale, and
formats recognised from the file."""

import codecs
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import xlwt

from core.imports.files import UnreadableFile, open_tables, sniff_delimiter
from core.imports.formats import ExportFormat, FormatRegistry, UnknownFormat
from core.imports.numbers import NumberFormat, NumberProblem, parse_number
from core.imports.tables import Column, HeaderNotFound, locate, without_totals


@pytest.mark.parametrize(
    ("text", "number_format", "expected"),
    [
        ("12700", NumberFormat.POINT, "12700"),
        ("12,700", NumberFormat.POINT, "12700"),
        ("12,700.5", NumberFormat.POINT, "12700.5"),
        ("12.700", NumberFormat.COMMA, "12700"),
        ("1.234.567,25", NumberFormat.COMMA, "1234567.25"),
        ("12,5", NumberFormat.COMMA, "12.5"),
        ("1\u202f234", NumberFormat.COMMA, "1234"),  # French narrow no-break space
        ("1\u00a0234,5", NumberFormat.AUTO, "1234.5"),
        ("12,5", NumberFormat.AUTO, "12.5"),
        ("1,234,567", NumberFormat.AUTO, "1234567"),
        ("1.234,5", NumberFormat.AUTO, "1234.5"),
        ("1,234.5", NumberFormat.AUTO, "1234.5"),
        ("27%", NumberFormat.POINT, "27"),
    ],
)
def test_numbers_are_read_by_their_format(text, number_format, expected):
    assert parse_number(text, number_format) == Decimal(expected)


@pytest.mark.parametrize("text", ["12.700", "12,700"])
def test_a_number_that_reads_two_ways_is_reported_under_auto(text):
    with pytest.raises(NumberProblem, match="reads two ways: 12,700 with a thousands separator or 12.700"):
        parse_number(text, NumberFormat.AUTO)


@pytest.mark.parametrize(
    ("text", "number_format", "message"),
    [
        ("1,5", NumberFormat.POINT, "has a comma that is not a thousands separator"),
        ("1.5000", NumberFormat.COMMA, "has a point that is not a thousands separator"),
        ("many", NumberFormat.AUTO, "'many' is not a number"),
        ("", NumberFormat.POINT, "is not a number"),
    ],
)
def test_numbers_that_do_not_fit_their_format_say_why(text, number_format, message):
    with pytest.raises(NumberProblem, match=message):
        parse_number(text, number_format)


@pytest.mark.parametrize(
    ("sample", "delimiter", "sep_line"),
    [
        ("a,b,c\n1,2,3\n", ",", False),
        ("a\tb\tc\n1\t2,5\t3\n", "\t", False),
        ("a;b;c\n1;2,5;3\n", ";", False),
        ("sep=;\na;b\n", ";", True),
        ('# comment, with, commas\n"x";"y"\n1;2\n', ";", False),
    ],
)
def test_the_delimiter_is_found_from_the_lines_and_excels_sep_line(sample, delimiter, sep_line):
    assert sniff_delimiter(sample) == (delimiter, sep_line)


def test_an_old_xls_workbook_is_read_sheet_by_sheet_with_dates_as_days():
    book = xlwt.Workbook()
    first = book.add_sheet("Summary")
    first.write(0, 0, "About this export")
    data = book.add_sheet("New followers")
    for c, h in enumerate(["Date", "Total followers"]):
        data.write(0, c, h)
    data.write(1, 0, 45138.0, xlwt.easyxf(num_format_str="YYYY-MM-DD"))  # 2023-07-31 as Excel holds it
    data.write(1, 1, 12.0)
    out = io.BytesIO()
    book.save(out)
    tables = open_tables("export.xls", out.getvalue())
    assert [(t.sheet, t.encoding) for t in tables] == [
        ("Summary", "xls workbook"),
        ("New followers", "xls workbook"),
    ]
    assert list(tables[1].rows) == [(1, ["Date", "Total followers"]), (2, ["2023-07-31", "12"])]


def test_a_workbook_named_xls_is_read_from_its_bytes_not_its_name(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Date", "Visits"])
    path = tmp_path / "linkedin.xls"  # LinkedIn sometimes names an .xlsx this way
    book.save(path)
    assert [t.encoding for t in open_tables(path.name, path)] == ["xlsx workbook"]


def test_a_zip_holds_one_table_per_csv_and_nothing_else():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("visitors.csv", "date,visits\n2023-08-01,5\n")
        archive.writestr("README.txt", "not a table\n")
        archive.writestr("__MACOSX/visitors.csv", "junk")
        archive.writestr("logo.png", b"\x89PNG")
    tables = open_tables("export.zip", out.getvalue())
    assert [t.name for t in tables] == ["export.zip › visitors.csv", "export.zip › README.txt"]


def test_a_zip_without_tables_and_an_html_page_are_refused_saying_what_they_are():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("logo.png", b"\x89PNG")
    with pytest.raises(UnreadableFile, match="zip archive without a CSV"):
        open_tables("export.zip", out.getvalue())
    with pytest.raises(UnreadableFile, match="XML or HTML, not a spreadsheet"):
        open_tables("export.csv", b"<!DOCTYPE html><html>Sign in</html>")


def test_utf_16_without_a_byte_order_mark_is_recognised():
    content = "Date\tVisits\n2023-08-01\t5\n".encode("utf-16-le")
    table = open_tables("matomo.tsv", content)[0]
    assert (table.encoding, table.delimiter) == ("UTF-16 LE (no byte-order mark)", "\t")
    assert list(table.rows)[1] == (2, ["2023-08-01", "5"])


def test_the_header_is_found_below_comment_title_and_blank_lines_and_totals_are_named():
    content = (
        codecs.BOM_UTF8
        + b"# Report\n# Start date: 20230801\n\nWebsite traffic\nDATE,  Sessions ,Views\nTotals,9,9\n20230801,5,4\n"
    )
    located = locate(
        open_tables("ga4.csv", content)[0],
        [
            Column("date", ("Date",)),
            Column("visits", ("sessions",)),
            Column("users", ("Users",), required=False),
        ],
    )
    assert (located.row, located.positions) == (5, {"date": 0, "visits": 1})
    assert located.above == ["2 comment", "1 blank", "1 title or description"]
    assert list(without_totals(located)) == [(7, ["20230801", "5", "4"])]
    assert located.totals_rows == [6]
    assert "totals rows skipped: row 6" in located.notes()


def test_a_missing_header_names_the_columns_and_the_first_line():
    with pytest.raises(
        HeaderNotFound, match=r"no row in the first 2 names the columns 'Date'.*reads: Day, Visits"
    ):
        locate(open_tables("x.csv", b"Day,Visits\n1,2\n")[0], [Column("date", ("Date",))])


def test_a_format_is_recognised_by_the_most_columns_and_its_sheet():
    registry = FormatRegistry()
    narrow = registry.register(
        ExportFormat(name="narrow", label="Narrow", kind="k", columns=(Column("date", ("Date",)),))
    )
    wide = registry.register(
        ExportFormat(
            name="wide",
            label="Wide",
            kind="k",
            columns=(Column("date", ("Date",)), Column("visits", ("Visits",), required=False)),
        )
    )
    content = b"Date,Visits\n2023-08-01,5\n"
    chosen, located = registry.recognise(open_tables("a.csv", content), kind="k")
    assert chosen is wide and located.positions == {"date": 0, "visits": 1}
    assert list(located.rows) == [(2, ["2023-08-01", "5"])]  # the rows read while recognising are not lost
    assert registry.recognise(open_tables("a.csv", b"Date\n1\n"), kind="k")[0] is narrow
    with pytest.raises(UnknownFormat, match=r"matches none of the known k formats \(Narrow, Wide\)"):
        registry.recognise(open_tables("a.csv", b"Day\n1\n"), kind="k")
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(narrow)


def test_a_large_file_is_recognised_and_read_in_flat_memory(tmp_path):
    import tracemalloc

    path = Path(tmp_path) / "big.csv"
    with path.open("w", encoding="utf-16") as out:
        out.write("# exported\nDate\tVisits\n")
        for n in range(60_000):
            out.write(f"2023-08-01\t{n}\n")
    registry = FormatRegistry()
    registry.register(
        ExportFormat(
            name="f", label="F", kind="k", columns=(Column("date", ("Date",)), Column("v", ("Visits",)))
        )
    )
    tracemalloc.start()
    try:
        _chosen, located = registry.recognise(open_tables(path.name, path), kind="k")
        assert sum(1 for _ in located.rows) == 60_000
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert path.stat().st_size > 1_500_000
    assert peak < 600_000, f"reading a {path.stat().st_size:,}-byte file took {peak:,} bytes"


def test_a_row_that_cannot_be_read_while_recognising_is_reported_not_taken_for_another_format():
    registry = FormatRegistry()
    registry.register(ExportFormat(name="a", label="A", kind="k", columns=(Column("x", ("Nowhere",)),)))
    content = b"Date,Visits\n" + b'"' + b"x" * (200 * 1024) + b'",1\n'
    with pytest.raises(UnreadableFile, match="a cell is longer than 128 KB"):
        registry.recognise(open_tables("a.csv", content), kind="k")
