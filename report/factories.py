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
