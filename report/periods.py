"""The reporting periods the annual reports define, for ``core.periods`` (registered in ``ReportConfig.ready``)."""

from core.periods import Headline, ReportingPeriod
from report.models import AnnualReportPage


def annual_report_periods() -> list[ReportingPeriod]:
    """One period per live, public annual report: its dates, its headline figures and its latest edition."""
    reports = (
        AnnualReportPage.objects.live()
        .public()
        .defer_streamfields()
        .prefetch_related("headline_figures", "editions")
        .order_by("-end_date")
    )
    periods = []
    for report in reports:
        editions = list(report.editions.all())  # newest first (Meta.ordering)
        periods.append(
            ReportingPeriod(
                label=report.year_label,
                start=report.start_date,
                end=report.end_date,
                title=report.full_title,
                url=report.url or "",
                headlines=tuple(Headline(h.reference(), h.caption) for h in report.headline_figures.all()),
                frozen=editions[0].figures if editions else {},
            )
        )
    return periods
