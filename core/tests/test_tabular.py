"""The shared spreadsheet reader turns every kind of unreadable file into one clear message, never an exception
the importers do not expect."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook

from core.tabular import read_rows, yes_no


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
