"""The whole report as one PDF, rendered by WeasyPrint from the same blocks as the web pages."""

import gc
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string


def render_report_pdf(*, report, edition=None) -> tuple[bytes, int]:
    """PDF bytes and page count: cover, contents, chapters, figures with their derivations as footnotes."""
    import weasyprint  # imported lazily: it loads Pango, which only PDF rendering needs

    context = {
        "report": report,
        "edition": edition,
        "page": report,
        "period": report.period,
        "for_print": True,
        "printed_notes": PrintedNotes(),
    }
    html = render_to_string("report/report_pdf.html", context)
    with cyclic_gc_paused():
        document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
            stylesheets=[weasyprint.CSS(filename=str(settings.BASE_DIR / "static" / "css" / "pdf.css"))]
        )
        return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


class PrintedNotes:
    """The report's footnotes, numbered in the order the blocks print them.

    A figure whose derivation is already a footnote refers to that note instead of repeating it. Blocks render in
    document order and nothing else in the PDF makes footnotes, so these numbers are WeasyPrint's."""

    def __init__(self):
        self._numbers: dict[str, int] = {}

    def repeat_of(self, text: str) -> int | None:
        """The number of the footnote that already says `text`, or None (and `text` becomes the next note)."""
        if text in self._numbers:
            return self._numbers[text]
        self._numbers[text] = len(self._numbers) + 1
        return None


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector while WeasyPrint builds and draws its box tree.

    The tree is hundreds of thousands of young objects that all live until the PDF is written, so every automatic
    collection during the render walks them in vain: pausing it made the demo report about 30% faster (median of
    twelve renders in one process, alternated with twelve unpaused: 375 against 535 ms). Reference
    counting still frees as usual, and the collector resumes (if it was on) as soon as the PDF is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
