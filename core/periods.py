"""Reporting periods: which year a page, dashboard or endpoint shows.

A period comes from an annual report (the report app registers the source in its ``ready()``; core never imports
it): the latest live report by default, another by its label (``2022-2023``) or a year its period ends in.
Without any report, the twelve months to today. No module holds a reporting date of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import MINYEAR, date, timedelta

from django.utils import timezone

from core.params import year_param
from core.request_memo import memoised_until_edited
from core.statistics import Reference, StatisticError


class PeriodNotFound(LookupError):
    """No reporting period answers the requested year; the message lists those that exist."""


@dataclass(frozen=True)
class Headline:
    """A figure an annual report chose for its headline, with the caption it gave it."""

    reference: Reference
    label: str


@dataclass(frozen=True)
class ReportingPeriod:
    label: str  # as printed, e.g. 2022-2023
    start: date
    end: date
    title: str = ""  # the report's title, empty for the fallback period
    url: str = ""  # the report's page
    headlines: tuple[Headline, ...] = ()  # the report's chosen figures, period filled in
    frozen: dict = field(default_factory=dict, compare=False)  # its latest edition's figures, by key

    @property
    def bounds(self) -> tuple[date, date]:
        return self.start, self.end

    @property
    def text(self) -> str:
        """The period in words, e.g. "1 August 2022 to 31 July 2023"."""
        return f"{self.start.day} {self.start:%B %Y} to {self.end.day} {self.end:%B %Y}"

    def resolve(self, reference: Reference):
        """The value the report published for this reference (frozen in its latest edition), else live."""
        frozen = self.frozen.get(reference.key)
        if frozen is not None:
            if "error" in frozen:
                raise StatisticError(frozen["error"])
            from core.statistics import RESULT_TYPES

            return RESULT_TYPES[frozen.get("kind", "figure")].from_dict(frozen)
        return reference.compute()


_sources: list[Callable[[], list[ReportingPeriod]]] = []


def register_period_source(source: Callable[[], list[ReportingPeriod]]) -> None:
    """Add a function returning reporting periods, newest first (the report app's annual reports)."""
    if source not in _sources:
        _sources.append(source)


def reporting_periods() -> list[ReportingPeriod]:
    """Every reporting period, newest first; remembered until any page or edition is saved."""

    def collect() -> list[ReportingPeriod]:
        found = [period for source in _sources for period in source()]
        return sorted(found, key=lambda p: p.end, reverse=True)

    return memoised_until_edited("reporting-periods", collect)


def previous_year(day: date) -> date:
    """The same day a year earlier (28 February for 29 February); StatisticError in year 1, which has none."""
    if day.year <= MINYEAR:
        raise StatisticError(f"{day.isoformat()} has no year before it.")
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def previous_period(period: tuple[date, date]) -> tuple[date, date]:
    """The twelve months before a period of a year: last year's period, whether or not a report covers it."""
    start, end = period
    return previous_year(start), previous_year(end)


def trailing_year(today: date | None = None) -> ReportingPeriod:
    """The twelve months to today, for a site that has published no report yet."""
    end = today or timezone.localdate()
    start = previous_year(end) + timedelta(days=1)
    return ReportingPeriod(label=f"the twelve months to {end.day} {end:%B %Y}", start=start, end=end)


def reporting_period(year: str | None = None) -> ReportingPeriod:
    """The period for ``year``: a report's label (2022-2023) or a year its period ends in (2023); the latest
    report's when ``year`` is blank. PeriodNotFound, listing the reports, when none matches."""
    periods = reporting_periods()
    year = (year or "").strip()
    if not year:
        return periods[0] if periods else trailing_year()
    for period in periods:
        if period.label == year:
            return period
    number = year_param(year)
    for period in periods:
        if number is not None and period.end.year == number:
            return period
    labels = ", ".join(p.label for p in periods) or "none published yet"
    raise PeriodNotFound(f"There is no annual report for {year[:20]!r} (reports: {labels}).")


def period_from_request(request) -> ReportingPeriod:
    """The period a page shows: ``?year=`` in its address, or the latest report's."""
    return reporting_period(request.GET.get("year"))


def headline_rows(period: ReportingPeriod) -> list[dict]:
    """The period's headline figures as the impact page and dashboards list them: caption, figure, its text,
    or why it is unavailable."""
    from core.formatting import format_value

    rows = []
    for headline in period.headlines:
        row = {"label": headline.label, "reference": headline.reference}
        try:
            figure = period.resolve(headline.reference)
        except StatisticError as error:
            row["error"] = str(error)
        else:
            row.update(figure=figure, text=format_value(figure.value, figure.unit))
        rows.append(row)
    return rows
