"""The report's admin pages answer for editors and show what they promise."""

import datetime

import pytest
from django.test import Client

from core.statistics import Figure, registry
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory
from report.services import report_edition_publish


@pytest.fixture(autouse=True)
def new_members():
    with registry.temporary(
        "network.new_members", lambda start, end: Figure(6, "six organisations joined in 2023")
    ):
        yield


@pytest.fixture
def report(site):
    report = AnnualReportPageFactory(
        parent=site.root_page, start_date=datetime.date(2022, 8, 1), end_date=datetime.date(2023, 7, 31)
    )
    ReportChapterPageFactory(
        parent=report, body=[("paragraph", "<p>We welcomed four organisations this year.</p>")]
    )
    return report


def test_figure_check_page_lists_the_mismatch(admin_client, report):
    html = admin_client.get(f"/admin/report/{report.pk}/check/").content.decode()
    assert "We welcomed four organisations this year." in html
    assert "<strong>6</strong>" in html


def test_editions_page_lists_editions_and_diff_page_shows_figures(admin_client, report):
    report_edition_publish(report=report)
    assert "Published editions" in admin_client.get("/admin/report/editions/").content.decode()
    response = admin_client.get(f"/admin/report/{report.pk}/diff/")
    assert response.status_code == 200
    assert "0 figures changed" in response.content.decode()


def test_report_admin_pages_need_a_login(report):
    response = Client(HTTP_HOST="localhost").get(f"/admin/report/{report.pk}/check/")
    assert response.status_code == 302


def test_editors_can_open_a_chapter_with_every_kind_of_block_and_add_one(admin_client, report):
    chapter = ReportChapterPageFactory(
        parent=report,
        body=[
            (
                "paragraph",
                "<p>We welcomed [[network.new_members start=2023-01-01 end=2023-12-31]] organisations.</p>",
            ),
            (
                "listing",
                {
                    "source": "events.held",
                    "heading": "Events",
                    "start": "2023-01-01",
                    "end": "2023-12-31",
                    "filter": "",
                },
            ),
            (
                "statistic",
                {
                    "statistic": "network.new_members",
                    "parameters": "start=2023-01-01 end=2023-12-31",
                    "label": "New members",
                },
            ),
        ],
    )
    response = admin_client.get(f"/admin/pages/{chapter.pk}/edit/")
    assert response.status_code == 200
    assert "Events" in response.content.decode()  # the listing block's form is filled in
    assert admin_client.get(f"/admin/pages/add/report/reportchapterpage/{report.pk}/").status_code == 200


def test_editors_choose_a_reports_headline_figures_on_its_edit_page(admin_client, report):
    html = admin_client.get(f"/admin/pages/{report.pk}/edit/").content.decode()
    assert "Headline figures" in html
    assert 'name="headline_figures-TOTAL_FORMS"' in html
    assert '<option value="network.new_members">' in html  # statistics to choose from, figures only
    assert '<option value="network.joined">' not in html
