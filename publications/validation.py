"""Checks an uploaded publication file must pass before it is stored: size, then the PDF signature."""

from django.conf import settings

DEFAULT_MAX_PDF_BYTES = 25 * 1024 * 1024


def max_pdf_bytes() -> int:
    return getattr(settings, "PUBLICATIONS_MAX_PDF_BYTES", DEFAULT_MAX_PDF_BYTES)


def pdf_problem(file, *, name: str) -> str:
    """Why ``file`` cannot be a publication file ("" when it can). A PDF pypdf cannot read still passes:
    it is stored and flagged "text not extracted" by the extraction task."""
    limit = max_pdf_bytes()
    size = file.size
    if size == 0:
        return f"“{name}” is empty."
    if size > limit:
        return f"“{name}” is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
    position = file.tell() if hasattr(file, "tell") and not file.closed else 0
    file.open("rb")
    file.seek(0)
    head = file.read(1024)
    file.seek(position)
    if isinstance(head, str):
        head = head.encode("latin-1", "replace")
    if b"%PDF-" not in head:
        return f"“{name}” is not a PDF (its first kilobyte holds no PDF signature %PDF-)."
    return ""
