"""Factories for report pages."""

import datetime

import factory
import wagtail_factories

from report.models import AnnualReportPage, ReportChapterPage


class AnnualReportPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Annual Report {2020 + n}")
    year_label = factory.Sequence(lambda n: f"{2020 + n}-{2021 + n}")
    start_date = factory.Sequence(lambda n: datetime.date(2020 + n, 8, 1))
    end_date = factory.LazyAttribute(
        lambda o: o.start_date.replace(year=o.start_date.year + 1) - datetime.timedelta(1)
    )
    show_in_menus = True

    class Meta:
        model = AnnualReportPage


class ReportChapterPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chapter {n}")
    standfirst = factory.Faker("sentence")

    class Meta:
        model = ReportChapterPage


def report_with_headlines(*, parent, label: str, start: datetime.date, end: datetime.date, headlines):
    """A live annual report for this period leading with these headline figures (statistic, parameters, label)."""
    from report.models import ReportHeadlineFigure

    report = AnnualReportPageFactory(
        parent=parent, slug=f"report-{label}", year_label=label, start_date=start, end_date=end
    )
    for order, (statistic, parameters, caption) in enumerate(headlines):
        ReportHeadlineFigure.objects.create(
            report=report, sort_order=order, statistic=statistic, parameters=parameters, label=caption
        )
    return report
