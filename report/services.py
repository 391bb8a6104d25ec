"""Writes for the report: issuing an edition (freezing its figures, listings and charts) and attaching its PDF."""

import dataclasses
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from core.cache import purge_page_cache
from core.statistics import StatisticError
from report import figures
from report.models import AnnualReportPage, ReportChapterPage, ReportEdition


def edition_figures_live(*, chapters: Iterable[ReportChapterPage]) -> dict[str, dict]:
    """Every figure these live chapters reference, computed now, keyed as editions store them."""
    frozen: dict[str, dict] = {}
    for chapter in chapters:
        for name, params in figures.references_in(chapter.body):
            key = figures.figure_key(name, params)
            if key not in frozen:
                try:
                    frozen[key] = figures.compute(name, params).as_dict()
                except StatisticError as exc:
                    # Frozen as unavailable, never as a number: the pages say so, and the editor is told on publish.
                    frozen[key] = {"error": str(exc)}
    return frozen


def _block_values(chapters: Iterable[ReportChapterPage], block_type: str):
    """The values of every block of this type in these chapters, in reading order."""
    for chapter in chapters:
        for block in chapter.body:
            if block.block_type == block_type:
                yield block.value


def edition_listings_live(*, chapters: Iterable[ReportChapterPage]) -> dict[str, list[dict]]:
    """Every listing block's records as listed now, keyed as editions store them (URLs as the site shows them)."""
    return {
        listing.listing_key(): [dataclasses.asdict(record) for record in listing.listed_records()]
        for listing in _block_values(chapters, "listing")
    }


def edition_series_live(*, chapters: Iterable[ReportChapterPage]) -> dict[str, list[list[str]]]:
    """Every line chart's points as drawn now, keyed as editions store them ([ISO day, value] pairs)."""
    return {
        chart.series_key(): [[day.isoformat(), str(value)] for day, value in chart.points()]
        for chart in _block_values(chapters, "chart")
        if chart["kind"] == "over_time"
    }


@transaction.atomic
def report_edition_publish(*, report: AnnualReportPage) -> ReportEdition:
    """Freeze every figure, listing and line chart of the report into a new numbered edition, then queue its
    PDF."""
    from report.tasks import report_pdf_generate

    report = AnnualReportPage.objects.select_for_update().get(pk=report.pk)
    number = (report.editions.aggregate(n=Max("number"))["n"] or 0) + 1
    chapters = list(report.chapters)  # read and parsed once for the three walks below
    edition = ReportEdition.objects.create(
        report=report,
        number=number,
        figures=edition_figures_live(chapters=chapters),
        listings=edition_listings_live(chapters=chapters),
        series=edition_series_live(chapters=chapters),
    )
    transaction.on_commit(lambda: report_pdf_generate.enqueue(edition_id=edition.pk))
    return edition


def edition_pdf_attach(*, edition: ReportEdition) -> ReportEdition:
    """Render the edition's PDF and store it on the edition, unless the report is private: media files are
    served to anyone who has the link, so a report behind a password or login gets no PDF."""
    from report.pdf import render_report_pdf

    if edition.report.get_view_restrictions().exists():
        return edition
    pdf_bytes, pages = render_report_pdf(report=edition.report, edition=edition)
    edition.pdf.save(
        f"{edition.report.slug}-edition-{edition.number}.pdf", ContentFile(pdf_bytes), save=False
    )
    edition.pdf_pages = pages
    edition.save(update_fields=["pdf", "pdf_pages"])
    return edition


def edition_pdfs_rerender() -> int:
    """Delete every stored edition PDF at once and queue each again (after consent was withdrawn, the new render
    leaves out what was taken down); returns how many."""
    from report.tasks import report_pdf_generate

    editions = list(ReportEdition.objects.exclude(pdf=""))
    for edition in editions:
        edition.pdf.delete(save=False)  # the file goes now: the web server serves /media/ straight from disk
        edition.pdf_pages = None
        edition.save(update_fields=["pdf", "pdf_pages"])
        transaction.on_commit(lambda pk=edition.pk: report_pdf_generate.enqueue(edition_id=pk))
    purge_page_cache()  # pages link the PDF
    return len(editions)


def edition_diff(*, report: AnnualReportPage) -> list[dict]:
    """Each figure of the report: its value in the last edition and live now, flagging what changed.

    Rows carry the raw ``key`` and values, plus a readable ``label`` and the values as the public pages show
    them (``frozen_text``, ``live_text``)."""
    import contextlib
    import datetime

    from django.utils.dateformat import format as date_format

    from core.statistics import Figure, registry

    def label(key: str) -> str:
        """The statistic's label and its parameters in words, e.g. "New member organisations, from 1 August
        2022 to 31 July 2023" or "Year-over-year change of a channel measure, channel: facebook, …"."""
        name, _, params_text = key.partition(" ")
        try:
            words = [registry.get(name).label]
            params = figures.parse_parameters(params_text)
        except StatisticError:
            return key
        for param in sorted(params, key=lambda p: ({"start": 0, "end": 1}.get(p, 2), p)):
            value = params[param]
            with contextlib.suppress(ValueError):
                value = date_format(datetime.date.fromisoformat(value), "j F Y")
            prefix = {"start": "from", "end": "to", "on": "on"}.get(param)
            if param == "end" and "start" in params:
                words[-1] += f" to {value}"  # "from 1 August 2022 to 31 July 2023"
            else:
                words.append(f"{prefix} {value}" if prefix else f"{param.replace('_', ' ')}: {value}")
        return ", ".join(words)

    def text(figure: dict | None) -> str | None:
        if not figure:
            return None
        return "unavailable" if "error" in figure else figures.format_figure(Figure.from_dict(figure))

    edition = report.latest_edition
    frozen = edition.figures if edition else {}
    live = edition_figures_live(chapters=report.chapters)
    rows = []
    for key in sorted(set(frozen) | set(live)):
        before, now = frozen.get(key), live.get(key)
        rows.append(
            {
                "key": key,
                "label": label(key),
                "frozen": (before or {}).get("value"),
                "live": (now or {}).get("value"),
                "frozen_text": text(before),
                "live_text": text(now),
                "live_derivation": (now or {}).get("derivation") or (now or {}).get("error", ""),
                "changed": (before or {}).get("value") != (now or {}).get("value"),
            }
        )
    return rows
