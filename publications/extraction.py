"""Text out of a PDF with pypdf; every failure becomes a reason, never an exception."""

import io
import logging
from dataclasses import dataclass

logger = logging.getLogger("yearbook")


@dataclass(frozen=True)
class Extracted:
    text: str
    pages: int | None
    problem: str = ""


def pdf_text(data: bytes) -> Extracted:
    """The text of every page, or the reason there is none (broken or encrypted file, no text layer)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return Extracted("", None, "The PDF is encrypted.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError) as exc:
        # pypdf raises a variety of errors on damaged files; the reason is kept for the admin.
        return Extracted("", None, f"The PDF could not be read ({exc.__class__.__name__}: {exc})"[:300])
    text = "\n".join(p.strip() for p in pages).strip()
    if not text:
        return Extracted("", len(pages), "The PDF has no text layer (a scan?).")
    return Extracted(text, len(pages))
