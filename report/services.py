"""Writes for the report: issuing an edition (freezing what it shows from the records) and attaching its PDF;
and what changed, between an edition and the records now or between two reports."""

import contextlib
import datetime
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from core.cache import purge_page_cache
from core.statistics import Figure, Reference, StatisticError, registry
from report import figures
from report.models import AnnualReportPage, ReportChapterPage, ReportEdition


def report_references(*, report: AnnualReportPage, chapters: Iterable[ReportChapterPage] | None = None):
    """Everything the report shows from the records, in reading order: its headline figures, then every
    figure, chart and listing of its live chapters, each in the report's period."""
    chapters = report.chapters if chapters is None else chapters
    found = list(report.headline_references())
    for chapter in chapters:
        found.extend(figures.references_in(chapter.body, report.period))
    return found


def report_values_live(*, report: AnnualReportPage, chapters: Iterable[ReportChapterPage] | None = None):
    """What the report shows computed now, keyed as editions store it (``figures.freeze``)."""
    return figures.freeze(report_references(report=report, chapters=chapters))


@transaction.atomic
def report_edition_publish(*, report: AnnualReportPage) -> ReportEdition:
    """Freeze every figure, listing and chart of the report into a new numbered edition, then queue its PDF."""
    from report.tasks import report_pdf_generate

    report = AnnualReportPage.objects.select_for_update().get(pk=report.pk)
    number = (report.editions.aggregate(n=Max("number"))["n"] or 0) + 1
    edition = ReportEdition.objects.create(
        report=report, number=number, figures=report_values_live(report=report)
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


def reference_label(ref: Reference) -> str:
    """The statistic's label and its parameters in words, e.g. "New member organisations, from 1 August 2022
    to 31 July 2023" or "Year-over-year change of a channel measure, channel: facebook, …"."""
    try:
        words = [registry.get(ref.name).label]
    except StatisticError:
        return ref.key
    params = ref.raw
    for param in sorted(params, key=lambda p: ({"start": 0, "end": 1}.get(p, 2), p)):
        value = params[param]
        with contextlib.suppress(ValueError):
            day = datetime.date.fromisoformat(value)
            value = f"{day.day} {day:%B %Y}"
        prefix = {"start": "from", "end": "to", "on": "on"}.get(param)
        if param == "end" and "start" in params:
            words[-1] += f" to {value}"  # "from 1 August 2022 to 31 July 2023"
        else:
            words.append(f"{prefix} {value}" if prefix else f"{param.replace('_', ' ')}: {value}")
    return ", ".join(words)


def frozen_text(value: dict | None) -> str | None:
    """A frozen value as the public pages print it: a figure's number, or how many points or records."""
    if not value:
        return None
    if "error" in value:
        return "unavailable"
    kind = value.get("kind", "figure")
    if kind == "figure":
        return figures.format_figure(Figure.from_dict(value))
    if kind == "series":
        return f"{len(value['points'])} points"
    return f"{len(value['items'])} records"


def _row(key: str, label: str, before: dict | None, now: dict | None) -> dict:
    def plain(value: dict | None):
        """What to compare: a figure's value, a series' points, a listing's records (never a derivation)."""
        if not value:
            return None
        return value.get("value", value.get("points", value.get("items", value.get("error"))))

    return {
        "key": key,
        "label": label,
        "frozen": (before or {}).get("value"),
        "live": (now or {}).get("value"),
        "frozen_text": frozen_text(before),
        "live_text": frozen_text(now),
        "live_derivation": (now or {}).get("derivation") or (now or {}).get("error", ""),
        "changed": plain(before) != plain(now),
    }


def edition_diff(*, report: AnnualReportPage) -> list[dict]:
    """Each figure of the report: its value in the last edition and live now, flagging what changed.

    Rows carry the raw ``key`` and values, plus a readable ``label`` and the values as the public pages show
    them (``frozen_text``, ``live_text``)."""
    edition = report.latest_edition
    frozen = edition.figures if edition else {}
    live = report_values_live(report=report)
    return [
        _row(key, reference_label(Reference.from_key(key)), frozen.get(key), live.get(key))
        for key in sorted(set(frozen) | set(live))
    ]


def reports_diff(*, earlier: AnnualReportPage, later: AnnualReportPage) -> list[dict]:
    """What changed between two reports' latest editions, figure by figure: the same statistic with the same
    parameters apart from the period (``Reference.generic``). Rows in the later report's order; a figure only
    one of them publishes has None on the other side."""

    def by_generic(report: AnnualReportPage) -> dict[Reference, tuple[str, dict]]:
        """The report's frozen values by generic reference, each counted for the report's own period (a
        comparison block also freezes last year's value of the same figure)."""
        edition = report.latest_edition
        values = edition.figures if edition else {}
        found = {}
        for key in values:
            generic = Reference.from_key(key).generic
            own = generic.in_period(*report.period).key
            if own in values:
                found[generic] = (own, values[own])
        return dict(sorted(found.items(), key=lambda item: list(values).index(item[1][0])))

    before, after = by_generic(earlier), by_generic(later)
    rows = []
    for generic in [*after, *(ref for ref in before if ref not in after)]:
        old, new = before.get(generic, (None, None)), after.get(generic, (None, None))
        if (old[1] or new[1] or {}).get("kind", "figure") != "figure":
            continue  # listings and series are compared as records on their pages, not as a number here
        row = _row(generic.key, reference_label(generic), old[1], new[1])
        row.update(
            earlier_key=old[0],
            later_key=new[0],
            figure_url=figures.figure_page_url(generic),
            change=_change(old[1], new[1]),
        )
        rows.append(row)
    return rows


def _change(old: dict | None, new: dict | None) -> str:
    if not old or not new or "error" in old or "error" in new:
        return ""
    from report.blocks import figure_change

    change = figure_change(Figure.from_dict(new), Figure.from_dict(old))
    return " ".join(
        filter(None, [change["difference"], f"({change['relative']})" if change["relative"] else ""])
    )
