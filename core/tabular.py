"""Reading uploaded spreadsheets (CSV in UTF-8, or XLSX) row by row, for the importers of every app."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django import forms

MAX_SPREADSHEET_BYTES = 5 * 1024 * 1024


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


def read_rows(filename: str, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, lower-cased column → text) from CSV (UTF-8) or XLSX."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        rows = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active.iter_rows(
            values_only=True
        )
        header = [str(h or "").strip().lower() for h in next(rows, [])]
        for number, values in enumerate(rows, start=2):
            yield (
                number,
                {h: "" if v is None else str(v).strip() for h, v in zip(header, values, strict=False)},
            )
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"The file is not UTF-8 (byte {exc.start}); save it as CSV UTF-8 or XLSX.") from None
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
    for number, row in enumerate(reader, start=2):
        yield number, {k: (v or "").strip() for k, v in row.items() if k}
