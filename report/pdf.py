"""The whole report as one PDF, rendered by WeasyPrint from the same blocks as the web pages."""

from django.conf import settings
from django.template.loader import render_to_string


def render_report_pdf(*, report, edition=None) -> tuple[bytes, int]:
    """PDF bytes and page count: cover, contents, chapters, figures with their derivations as footnotes."""
    import weasyprint  # imported lazily: it loads Pango, which only PDF rendering needs

    html = render_to_string(
        "report/report_pdf.html", {"report": report, "edition": edition, "page": report, "for_print": True}
    )
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[weasyprint.CSS(filename=str(settings.BASE_DIR / "static" / "css" / "pdf.css"))]
    )
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)
