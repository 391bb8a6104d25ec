"""A reader's first visit, in real Chromium: home page → report → chapter, accessible all the way."""

import pytest

from report.factories import AnnualReportPageFactory, ReportChapterPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published_report(site):
    report = AnnualReportPageFactory(parent=site.root_page, title="Annual Report 2022-2023", slug="ar")
    ReportChapterPageFactory(
        parent=report,
        title="Outreach and advocacy",
        slug="outreach",
        body=[("heading", {"text": "Communications outputs", "level": "h2"})],
    )
    return report


def test_reader_follows_navigation_to_a_chapter_without_accessibility_violations(
    live_server, browser_page, published_report, assert_accessible
):
    page = browser_page
    page.goto(live_server.url)
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Annual Report 2022-2023").click()
    page.wait_for_url("**/ar/")
    assert page.get_by_role("heading", level=1).inner_text() == "Annual Report 2022-2023"
    assert_accessible(page)

    page.get_by_role("link", name="Outreach and advocacy").click()
    page.wait_for_url("**/ar/outreach/")
    toc = page.get_by_role("navigation", name="In this chapter")
    assert toc.get_by_role("link", name="Communications outputs").count() == 1
    assert_accessible(page)
