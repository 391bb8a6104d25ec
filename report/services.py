"""Writes for the report: issuing an edition (freezing its figures) and attaching its PDF."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from core.statistics import StatisticError
from report import figures
from report.models import AnnualReportPage, ReportEdition


def edition_figures_live(*, report: AnnualReportPage) -> dict[str, dict]:
    """Every figure the report's live chapters reference, computed now, keyed as editions store them."""
    frozen: dict[str, dict] = {}
    for chapter in report.chapters:
        for name, params in figures.references_in(chapter.body):
            key = figures.figure_key(name, params)
            if key not in frozen:
                try:
                    frozen[key] = figures.compute(name, params).as_dict()
                except StatisticError as exc:  # a broken reference must not block publishing; it is shown
                    frozen[key] = {"value": "0", "unit": "count", "derivation": f"Not computed: {exc}"}
    return frozen


@transaction.atomic
def report_edition_publish(*, report: AnnualReportPage) -> ReportEdition:
    """Freeze every figure of the report into a new numbered edition, then queue its PDF."""
    from report.tasks import report_pdf_generate

    report = AnnualReportPage.objects.select_for_update().get(pk=report.pk)
    number = (report.editions.aggregate(n=Max("number"))["n"] or 0) + 1
    edition = ReportEdition.objects.create(
        report=report, number=number, figures=edition_figures_live(report=report)
    )
    transaction.on_commit(lambda: report_pdf_generate.enqueue(edition_id=edition.pk))
    return edition


def edition_pdf_attach(*, edition: ReportEdition) -> ReportEdition:
    """Render the edition's PDF and store it on the edition."""
    from report.pdf import render_report_pdf

    pdf_bytes, pages = render_report_pdf(report=edition.report, edition=edition)
    edition.pdf.save(
        f"{edition.report.slug}-edition-{edition.number}.pdf", ContentFile(pdf_bytes), save=False
    )
    edition.pdf_pages = pages
    edition.save(update_fields=["pdf", "pdf_pages"])
    return edition


def edition_diff(*, report: AnnualReportPage) -> list[dict]:
    """Each figure of the report: its value in the last edition and live now, flagging what changed."""
    edition = report.latest_edition
    frozen = edition.figures if edition else {}
    live = edition_figures_live(report=report)
    rows = []
    for key in sorted(set(frozen) | set(live)):
        before, now = frozen.get(key), live.get(key)
        rows.append(
            {
                "key": key,
                "frozen": before["value"] if before else None,
                "live": now["value"] if now else None,
                "live_derivation": now["derivation"] if now else "",
                "changed": (before or {}).get("value") != (now or {}).get("value"),
            }
        )
    return rows
