"""The shared spreadsheet reader turns every kind of unreadable file into one clear message, never an exception
the importers do not expect."""

import codecs
import csv
import datetime
import io
import tracemalloc

import pytest
from openpyxl import Workbook

from core.imports.files import open_tables
from core.tabular import UnreadableFile, read_rows, stream_rows, yes_no


def rows(filename, content, required=("name", "country")):
    return list(read_rows(filename, content, required=required))


def test_a_file_that_is_not_xlsx_is_named_as_such():
    with pytest.raises(ValueError, match=r"not a valid \.xlsx file"):
        rows("list.xlsx", b"name,country\nAma,MA\n" * 50)


@pytest.mark.parametrize("process_limit", [None, 10_000_000])
def test_a_cell_over_the_csv_field_limit_names_its_row(process_limit):
    """Whatever limit another CSV reader of the process has set (the media ingest raises it)."""
    content = b"name,country\nAma,MA\n" + b"x" * 200_000 + b",KE\n"
    previous = csv.field_size_limit(process_limit) if process_limit else None
    try:
        with pytest.raises(ValueError, match=r"Row 3: a cell is longer than 128 KB"):
            rows("list.csv", content)
    finally:
        if previous is not None:
            csv.field_size_limit(previous)


def test_a_header_without_rows_has_no_data_rows():
    with pytest.raises(ValueError, match="The file has no data rows."):
        rows("list.csv", b"name,country\n\n,\n")


def test_a_file_without_header_names_the_missing_columns():
    with pytest.raises(ValueError, match=r"The header lacks the column\(s\): name, country\."):
        rows("list.csv", b"Ama Demori,MA\n")


def test_an_empty_file_says_so():
    with pytest.raises(ValueError, match="The file is empty"):
        rows("list.csv", b"")


def test_missing_cells_are_empty_and_blank_rows_are_skipped():
    assert rows("list.csv", b"Name , Country,Role\nAma,MA\n,,\nSeko,KE,speaker\n") == [
        (2, {"name": "Ama", "country": "MA", "role": ""}),
        (4, {"name": "Seko", "country": "KE", "role": "speaker"}),
    ]


def test_xlsx_whole_numbers_and_dates_read_as_a_person_typed_them():
    book = Workbook()
    book.active.append(["name", "country", "founded_year", "joined_on"])
    book.active.append(["Ama", "MA", 1998.0, datetime.datetime(2023, 3, 20)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert rows("list.xlsx", buffer.getvalue()) == [
        (2, {"name": "Ama", "country": "MA", "founded_year": "1998", "joined_on": "2023-03-20"})
    ]


@pytest.mark.parametrize(
    ("word", "meaning"),
    [("Yes", True), ("1", True), ("x", True), ("no", False), ("FALSE", False), ("", False), ("maybe", None)],
)
def test_yes_no_words(word, meaning):
    assert yes_no(word) is meaning


# --- Streaming a file from a path (the observation import): the same cells and messages as an upload -------------


def test_stream_rows_yields_every_row_numbered_with_cells_as_written(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes('\ufeffDate, Visits\r\n2023-07-30, 5 \r\n\r\n"2023-07-31","1,500"\r\n'.encode())
    assert list(stream_rows(path)) == [
        (1, ["Date", " Visits"]),
        (2, ["2023-07-30", " 5 "]),
        (3, []),
        (4, ["2023-07-31", "1,500"]),
    ]


def test_stream_rows_reads_a_large_csv_in_flat_memory(tmp_path):
    path = tmp_path / "large.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        for n in range(100_000):
            writer.writerow([f"channel-{n % 20}", "2023-07-31", n])
    assert path.stat().st_size > 2_500_000
    tracemalloc.start()
    try:
        assert sum(1 for _ in stream_rows(path)) == 100_000
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 500_000, f"reading a {path.stat().st_size:,}-byte file took {peak:,} bytes"


def test_stream_rows_reads_a_latin_1_file_whose_first_odd_byte_comes_late(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Date,Visits\n" + b"2023-07-30,5\n" * 2000 + "2023-07-31,6 é\n".encode("latin-1"))
    read = list(stream_rows(path))
    assert read[0] == (1, ["Date", "Visits"])
    assert read[-1] == (2002, ["2023-07-31", "6 é"])


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (
            "Date,Visits\n2023-07-31,6 é\n".encode("latin-1"),
            "Windows-1252 (Latin-1), as the file is not UTF-8",
        ),
        ("Date,Visits\n2023-07-31,6 é\n".encode("utf-16"), "UTF-16 LE"),
        ("Date,Visits\n2023-07-31,6 é\n".encode("utf-16-be"), "UTF-16 BE (no byte-order mark)"),
        (codecs.BOM_UTF16_BE + "Date,Visits\n2023-07-31,6 é\n".encode("utf-16-be"), "UTF-16 BE"),
        (codecs.BOM_UTF8 + "Date,Visits\n2023-07-31,6 é\n".encode(), "UTF-8 with BOM"),
    ],
)
def test_a_file_in_another_encoding_reads_the_same_streamed_or_uploaded_and_is_named(
    tmp_path, content, encoding
):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    assert list(stream_rows(path)) == [(1, ["Date", "Visits"]), (2, ["2023-07-31", "6 é"])]
    assert list(rows("export.csv", content, required=("visits",))) == [
        (2, {"date": "2023-07-31", "visits": "6 é"})
    ]
    assert open_tables("export.csv", content)[0].encoding == encoding


def test_a_streamed_file_that_is_not_xlsx_is_named(tmp_path):
    path = tmp_path / "upload-1234.tmp"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook" * 50)
    with pytest.raises(UnreadableFile) as unreadable:
        list(stream_rows(path, filename="export.xlsx"))
    assert str(unreadable.value) == (
        "export.xlsx is not a valid .xlsx file; open it in a spreadsheet program and save it as .xlsx or CSV UTF-8."
    )


def test_a_missing_file_is_left_to_the_caller_to_explain(tmp_path):
    for name in ("missing.csv", "missing.xlsx"):
        with pytest.raises(FileNotFoundError):
            list(stream_rows(tmp_path / name))


def test_xlsx_cells_read_as_a_person_typed_them_streamed_or_uploaded(tmp_path):
    book = Workbook()
    book.active.append(["day", "visits", "share", "tiny", "when", "note"])
    book.active.append(
        [
            datetime.date(2023, 7, 31),
            12700.0,
            0.25,
            0.00001,
            datetime.datetime(2023, 7, 30, 14, 5),
            " as typed ",
        ]
    )
    path = tmp_path / "export.xlsx"
    book.save(path)
    assert list(stream_rows(path))[1] == (
        2,
        ["2023-07-31", "12700", "0.25", "0.00001", "2023-07-30", " as typed "],
    )
    assert rows("export.xlsx", path.read_bytes(), required=()) == [
        (
            2,
            {
                "day": "2023-07-31",
                "visits": "12700",
                "share": "0.25",
                "tiny": "0.00001",
                "when": "2023-07-30",
                "note": "as typed",
            },
        )
    ]


def test_the_first_sheet_is_read_whichever_was_open_when_saved(tmp_path):
    book = Workbook()
    book.active.append(["name", "country"])
    book.active.append(["Ama", "MA"])
    notes = book.create_sheet("Notes")
    notes.append(["name", "country"])
    notes.append(["Not a member", "XX"])
    book.active = notes
    book.save(tmp_path / "list.xlsx")
    assert rows("list.xlsx", (tmp_path / "list.xlsx").read_bytes()) == [(2, {"name": "Ama", "country": "MA"})]
    assert list(stream_rows(tmp_path / "list.xlsx"))[1] == (2, ["Ama", "MA"])


def test_a_zip_without_a_workbook_on_disk_is_named_as_not_xlsx(tmp_path):
    import zipfile

    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(UnreadableFile, match=r"not a valid \.xlsx file"):
        list(stream_rows(path))


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ('=HYPERLINK("http://x.example","y")', '\'=HYPERLINK("http://x.example","y")'),
        ("+1 555", "'+1 555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Ama = friend", "Ama = friend"),
        (-5, -5),
        (None, None),
    ],
)
def test_inert_cell_keeps_spreadsheets_from_running_text_as_a_formula(value, exported):
    from core.tabular import inert_cell

    assert inert_cell(value) == exported


def test_a_column_named_twice_is_refused():
    with pytest.raises(ValueError, match="The header names name more than once"):
        rows("list.csv", b"name,name,country\nA,B,FR\n")


def test_a_value_outside_the_named_columns_names_its_row_and_cell():
    with pytest.raises(ValueError, match=r"Row 3: cell 3 holds 'extra' but the header names no column there"):
        rows("list.csv", b"name,country\nAma,MA\nLee,KR,extra\n")
    assert rows("list.csv", b"name,country,\nAma,MA,\n") == [(2, {"name": "Ama", "country": "MA"})]
