"""Public pages about figures: each published figure's own page, and what changed from one report to the next."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.periods import PeriodNotFound, reporting_period, reporting_periods
from core.statistics import Reference, StatisticError, registry
from report.figures import figure_page_url
from report.models import AnnualReportPage, ReportEdition
from report.services import frozen_text, reference_label, reports_diff


def _reference(name: str, params: str) -> Reference:
    """The figure a page address names, or 404 (an unknown statistic, or parameters it does not take)."""
    try:
        statistic = registry.get(name, "figure")
        raw = dict(pair.split("=", 1) for pair in params.split(",") if pair) if params else {}
        statistic.parse(raw)
    except (StatisticError, ValueError):
        raise Http404("There is no such figure.") from None
    return Reference.of(name, raw)


def figure_history(generic: Reference) -> list[dict]:
    """Every edition of a live public report that published this figure, newest report and edition first."""
    reports = AnnualReportPage.objects.live().public().defer_streamfields()
    editions = (
        ReportEdition.objects.filter(report__in=reports)
        .select_related("report")
        .order_by("-report__end_date", "-number")
    )
    rows = []
    for edition in editions:
        key = generic.in_period(*edition.report.period).key  # counted for that report's own period
        value = edition.figures.get(key)
        if value is not None and value.get("kind", "figure") == "figure":
            row = {"edition": edition, "report": edition.report, "key": key, "value": value}
            rows.append({**row, "text": frozen_text(value)})
    return rows


def figure_page(request: HttpRequest, name: str, params: str = "") -> HttpResponse:
    """A citable page for one figure: its value in every edition that published it, with the derivation and a
    link to the records, and what it counts today for the latest period."""
    generic = _reference(name, params).generic
    if figure_page_url(generic) != request.path:
        raise Http404("There is no such figure.")  # one address per figure: parameters in their sorted order
    history = figure_history(generic)
    latest = reporting_period()
    live = {"period": latest}
    try:
        live["figure"] = generic.in_period(*latest.bounds).compute()
        live["text"] = frozen_text({"kind": "figure", **live["figure"].as_dict()})
    except StatisticError as error:
        live["error"] = str(error)
    context = {
        "label": reference_label(generic),
        "statistic": registry.get(name),
        "reference": generic,
        "history": history,
        "live": live,
    }
    return render(request, "report/figure_page.html", context)


def reports_compare(request: HttpRequest) -> HttpResponse:
    """Two reports side by side, figure by figure: ``?from=2022-2023&to=2023-2024`` (the two latest by
    default)."""
    periods = reporting_periods()
    if len(periods) < 2 and not request.GET.get("from"):
        raise Http404("Only one annual report is published: there is nothing to compare yet.")
    try:
        later = reporting_period(request.GET.get("to") or periods[0].label)
        earlier_label = request.GET.get("from") or next((p.label for p in periods if p.end < later.end), "")
        if not earlier_label:
            raise PeriodNotFound(f"No report comes before {later.label}.")
        earlier = reporting_period(earlier_label)
    except PeriodNotFound as error:
        raise Http404(str(error)) from None
    reports = {
        r.year_label: r
        for r in AnnualReportPage.objects.live().public().filter(year_label__in=[earlier.label, later.label])
    }
    rows = reports_diff(earlier=reports[earlier.label], later=reports[later.label])
    return render(
        request,
        "report/reports_compare.html",
        {"earlier": earlier, "later": later, "rows": rows, "periods": periods},
    )
