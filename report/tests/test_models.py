import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from report.factories import AnnualReportPageFactory, ReportChapterPageFactory


def test_report_period_must_end_after_it_starts(site):
    report = AnnualReportPageFactory.build(
        start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError, match="must end after it starts"):
        report.clean()


def test_database_rejects_a_period_that_ends_before_it_starts(site):
    report = AnnualReportPageFactory(parent=site.root_page)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(report).objects.filter(pk=report.pk).update(
            start_date=report.end_date + datetime.timedelta(days=1)
        )


def test_chapter_table_of_contents_follows_heading_blocks(site):
    report = AnnualReportPageFactory(parent=site.root_page)
    chapter = ReportChapterPageFactory(
        parent=report,
        body=[
            ("heading", {"text": "Impact metrics", "level": "h2"}),
            ("paragraph", "<p>Text</p>"),
            ("heading", {"text": "Global Boys Summit", "level": "h3"}),
        ],
    )
    assert chapter.table_of_contents() == [
        {"text": "Impact metrics", "anchor": "impact-metrics", "level": "h2"},
        {"text": "Global Boys Summit", "anchor": "global-boys-summit", "level": "h3"},
    ]


def test_chapters_know_their_neighbours(site):
    report = AnnualReportPageFactory(parent=site.root_page)
    first, second, third = (ReportChapterPageFactory(parent=report) for _ in range(3))
    assert second.siblings() == (first, third)
    assert first.siblings()[0] is None
    assert third.siblings()[1] is None


def test_the_home_page_lists_the_three_newest_live_reports(site, client):
    for year in (2019, 2020, 2021, 2022):
        AnnualReportPageFactory(
            parent=site.root_page, title=f"Report {year}", start_date=datetime.date(year, 8, 1)
        )
    AnnualReportPageFactory(
        parent=site.root_page, title="Draft 2023", start_date=datetime.date(2023, 8, 1), live=False
    )
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    section = html.partition('id="reports-heading"')[2].partition("</section>")[0]  # not the menu
    assert section.index("Report 2022") < section.index("Report 2021") < section.index("Report 2020")
    assert "Report 2019" not in section and "Draft 2023" not in section
