"""Admin endpoints for organisation and people import (dry run first) and export (CSV/XLSX)."""

import csv
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse

from core.imports.formats import formats
from core.tabular import SpreadsheetUploadField, inert_cell
from network.import_formats import KIND
from network.imports import CLEAR, organisations_import, people_import
from network.models import OrganisationKind
from network.permissions import is_secretariat
from network.services import COLUMNS, PEOPLE_COLUMNS, organisations_export_rows


def _inert_xlsx_row(sheet, row):
    """Cells for a write-only sheet in which every string is typed as text, so none becomes a formula (openpyxl
    types a string starting with "=" as one) and the text itself is exported unchanged."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


class ImportForm(forms.Form):
    holds = forms.ChoiceField(
        choices=[("organisations", "Organisations"), ("people", "People")], label="The file holds"
    )
    export_format = forms.ChoiceField(
        required=False,
        label="Format",
        help_text="Recognised from the file's columns when left empty.",
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "None: each new organisation's row gives its kind"), *OrganisationKind.choices],
        label="Kind of new organisations",
        help_text="For a file without a kind column, such as a CRM's export (organisations only).",
    )
    file = SpreadsheetUploadField(
        help_text="CSV, XLS, XLSX or a ZIP of CSVs, as exported. Organisations: "
        + ", ".join(COLUMNS)
        + ". People: "
        + ", ".join(PEOPLE_COLUMNS)
        + f". An empty cell keeps the stored value; {CLEAR} empties the field."
    )
    write = forms.BooleanField(required=False, label="Write the rows (unticked: dry run only)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is built: the formats are registered once the apps are ready.
        self.fields["export_format"].choices = [("", "Recognise from the file"), *formats.choices(KIND)]


def import_organisations_view(request):
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        options = {"export_format": form.cleaned_data["export_format"]}
        if form.cleaned_data["holds"] == "people":
            importer = people_import
        else:
            importer = organisations_import
            options["kind"] = form.cleaned_data["kind"]
        report = importer(
            filename=upload.name, content=upload.read(), write=form.cleaned_data["write"], **options
        )
    return TemplateResponse(request, "network/admin/import.html", {"form": form, "report": report})


def export_organisations_view(request, fmt: str):
    if not is_secretariat(request.user):
        raise PermissionDenied
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Organisations")
        for row in organisations_export_rows():
            sheet.append(_inert_xlsx_row(sheet, row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        csv.writer(response).writerows(
            [inert_cell(value) for value in row] for row in organisations_export_rows()
        )
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="organisations.{fmt}"'
    return response
