"""Reading uploaded spreadsheets (CSV in UTF-8, or XLSX) row by row, for the importers of every app."""

import csv
import io
from collections.abc import Iterator


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
