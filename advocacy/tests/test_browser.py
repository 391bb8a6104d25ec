"""A reader opens the campaign and the dossier from the demo year in real Chromium; both are accessible."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_campaign_and_dossier_pages_render_and_are_accessible(live_server, browser_page, assert_accessible):
    call_command("load_demo_year", stdout=io.StringIO())
    page = browser_page
    page.goto(f"{live_server.url}/campaigns/")
    page.get_by_role("link", name="Break Free to Fly").click()
    page.get_by_role("heading", name="Partners").wait_for()
    assert "Launch partner" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/legislation/")
    page.get_by_role("link", name="EU regulation to prevent and combat child sexual abuse").click()
    page.get_by_role("heading", name="Timeline").wait_for()
    assert_accessible(page)
    page.goto(f"{live_server.url}/annual-report-2022-2023/staff-perspectives/")
    page.get_by_text("In their words").wait_for()
    assert_accessible(page)
