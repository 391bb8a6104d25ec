"""A reader finds publications in the demo year, in real Chromium: full-text search, library filter, country page."""

import io

import pytest
from django.core.management import call_command

from publications.demo import MOLDOVA_PDF_WORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_year(site):
    from wagtail.models import Collection

    # Transactional tests flush the database, removing the root collection Wagtail's migrations made.
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    call_command("load_demo_year", stdout=io.StringIO())


def test_reader_finds_the_moldova_overview_by_a_word_only_its_pdf_contains(
    live_server, browser_page, demo_year, assert_accessible
):
    page = browser_page
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Publications").click()
    page.get_by_label("Search publications and their full text").fill(MOLDOVA_PDF_WORD.lower())
    page.get_by_role("search", name="Publications").get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 page found").wait_for()
    assert page.locator("mark").first.inner_text() == MOLDOVA_PDF_WORD
    assert_accessible(page)
    page.get_by_role("region", name="1 page found").get_by_role(
        "link", name="Joint Country Overview: Moldova"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Joint Country Overview: Moldova"
    assert_accessible(page)


def test_reader_filters_the_library_to_the_case_studies(
    live_server, browser_page, demo_year, assert_accessible
):
    page = browser_page
    page.goto(live_server.url + "/publications/")
    page.get_by_label("Kind").select_option("case_study")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("9 publications match").wait_for()  # eight of 2022-2023, one of 2023-2024
    assert page.locator(".publication-list > li").count() == 9
    assert_accessible(page)


def test_reader_opens_the_cote_d_ivoire_country_page(live_server, browser_page, demo_year, assert_accessible):
    page = browser_page
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Countries").click()
    page.get_by_role("link", name="Côte d’Ivoire").or_(page.get_by_role("link", name="Côte d'Ivoire")).click()
    page.wait_for_url("**/countries/ci/")
    assert page.get_by_role("region", name="Members").get_by_role("link", name="Communauté Abel").count() == 1
    publications = page.get_by_role("region", name="Publications covering")
    assert publications.get_by_role("link", name="Country Overview: Côte d'Ivoire").count() == 1
    page.get_by_role("heading", name="Country overview: Côte d'Ivoire, 2023").wait_for()
    page.get_by_role("heading", name="Online sexual exploitation").wait_for()
    assert_accessible(page)
