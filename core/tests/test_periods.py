"""Reporting periods come from the annual reports: the latest live one, another by its label or year, or the
twelve months to today when none is published."""

import datetime

import pytest

from core.periods import PeriodNotFound, previous_period, reporting_period, reporting_periods, trailing_year
from report.factories import AnnualReportPageFactory

pytestmark = pytest.mark.django_db


def report(site, year: int, **kwargs):
    return AnnualReportPageFactory(
        parent=site.root_page,
        slug=f"report-{year}",
        year_label=f"{year}-{year + 1}",
        start_date=datetime.date(year, 8, 1),
        end_date=datetime.date(year + 1, 7, 31),
        **kwargs,
    )


def test_the_latest_live_report_is_the_default_and_others_are_found_by_label_or_year(site):
    report(site, 2040)
    report(site, 2041)
    assert [p.label for p in reporting_periods()] == ["2041-2042", "2040-2041"]
    assert reporting_period().label == "2041-2042"
    assert reporting_period("2040-2041").end == datetime.date(2041, 7, 31)
    assert reporting_period("2041").label == "2040-2041"  # the period that ends in 2041


def test_an_unknown_year_names_the_reports_there_are(site):
    report(site, 2040)
    with pytest.raises(PeriodNotFound, match=r"no annual report for '1999' \(reports: 2040-2041\)"):
        reporting_period("1999")


def test_draft_reports_define_no_period(site):
    report(site, 2040)
    report(site, 2041, live=False)
    assert reporting_period().label == "2040-2041"


def test_without_any_report_the_period_is_the_twelve_months_to_today(site):
    period = reporting_period()
    assert period == trailing_year()
    assert (period.end - period.start).days in (364, 365)
    assert not period.headlines


def test_last_years_period_keeps_the_same_days():
    assert previous_period((datetime.date(2024, 3, 1), datetime.date(2025, 2, 28))) == (
        datetime.date(2023, 3, 1),
        datetime.date(2024, 2, 28),
    )
    assert previous_period((datetime.date(2023, 3, 1), datetime.date(2024, 2, 29)))[1] == datetime.date(
        2023, 2, 28
    )


def test_a_new_report_is_seen_at_once(site):
    report(site, 2040)
    assert reporting_period().label == "2040-2041"
    report(site, 2041)  # publishing a page forgets the remembered periods
    assert reporting_period().label == "2041-2042"
