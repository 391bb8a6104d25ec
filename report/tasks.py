"""Background tasks of the report (in-process by default, the database queue in production)."""

from django_tasks import task


@task()
def report_pdf_generate(*, edition_id: int) -> int:
    """Render and store the PDF of an edition; returns its page count."""
    from report.models import ReportEdition
    from report.services import edition_pdf_attach

    edition = edition_pdf_attach(edition=ReportEdition.objects.get(pk=edition_id))
    return edition.pdf_pages
