"""The home page finds a deep page with one query for the whole path, and routable pages still own their sub-paths."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory


@pytest.fixture
def chapter(site):
    report = AnnualReportPageFactory(parent=site.root_page, slug="ar")
    return ReportChapterPageFactory(parent=report, slug="people", title="People")


def test_a_chapter_is_routed_with_one_query_for_the_path_and_one_for_its_type(site, chapter):
    home = site.root_page.specific
    with CaptureQueriesContext(connection) as queries:
        result = home.route(RequestFactory().get("/ar/people/"), ["ar", "people"])
    assert result.page == chapter
    assert isinstance(result.page, type(chapter))
    assert len(queries) == 2  # Wagtail's level-by-level walk takes two per level: four here


def test_unknown_and_draft_pages_are_not_found(site, chapter):
    home = site.root_page.specific
    with pytest.raises(Http404):
        home.route(RequestFactory().get("/ar/nothing/"), ["ar", "nothing"])
    chapter.unpublish()
    with pytest.raises(Http404):
        home.route(RequestFactory().get("/ar/people/"), ["ar", "people"])


def test_routable_pages_on_the_path_still_answer_their_own_routes(site):
    index = PublicationIndexPageFactory(parent=site.root_page)
    PublicationPageFactory(parent=index, slug="boys-study", title="Boys study")
    client = Client(HTTP_HOST="localhost")
    assert client.get("/publications/feed/rss/")["Content-Type"].startswith("application/rss+xml")
    citation = client.get("/publications/boys-study/cite/ris/")
    assert citation.status_code == 200
    assert "Boys study" in citation.content.decode()
    assert client.get("/publications/boys-study/").status_code == 200
