"""The skeleton every page needs (site, settings, menu, private sections) is read once until an editor saves, and
a page in a private section stays out of every public listing."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from core.models import SiteSettings, private_section_paths
from core.request_memo import STRUCTURE_GENERATION_KEY, RequestMemoMiddleware
from donations.models import DonationSettings
from publications.factories import PublicationIndexPageFactory, PublicationPageFactory
from publications.models import PublicationPage


def restriction_queries(queries) -> int:
    return sum("wagtailcore_pageviewrestriction" in q["sql"] for q in queries.captured_queries)


def view(request):
    """A page that asks twice, as a chapter's listings do."""
    private_section_paths()
    private_section_paths()
    return HttpResponse()


@pytest.mark.django_db
def test_a_get_request_reads_the_private_sections_once():
    with CaptureQueriesContext(connection) as queries:
        RequestMemoMiddleware(view)(RequestFactory().get("/"))
    assert restriction_queries(queries) == 1


@pytest.mark.django_db
def test_outside_a_request_and_in_writes_every_call_reads_afresh():
    with CaptureQueriesContext(connection) as queries:
        view(None)
        RequestMemoMiddleware(view)(RequestFactory().post("/"))
    assert restriction_queries(queries) == 4


def test_public_leaves_out_a_private_section_and_everything_under_it(site):
    index = PublicationIndexPageFactory(parent=site.root_page)
    open_study = PublicationPageFactory(parent=index, title="Open study")
    hidden_study = PublicationPageFactory(parent=index, title="Hidden study")
    PageViewRestriction.objects.create(page=hidden_study, restriction_type=PageViewRestriction.LOGIN)
    assert list(PublicationPage.objects.live().public()) == [open_study]
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert list(PublicationPage.objects.live().public()) == []


def skeleton_queries(queries) -> list[str]:
    tables = (
        "wagtailcore_site",
        "core_sitesettings",
        "donations_donationsettings",
        "wagtailcore_pageviewrestriction",
    )
    return [
        q["sql"] for q in queries.captured_queries if any(f'FROM "{table}"' in q["sql"] for table in tables)
    ]


@pytest.fixture
def library(site):
    SiteSettings.for_site(
        site
    )  # created beforehand: creating a setting during a request forgets the skeleton
    DonationSettings.for_site(site)
    index = PublicationIndexPageFactory(parent=site.root_page, title="Library", show_in_menus=True)
    return PublicationPageFactory(parent=index)


def test_serving_a_page_of_a_site_without_restrictions_reads_them_once(library):
    with CaptureQueriesContext(connection) as queries:
        assert Client(HTTP_HOST="localhost").get(library.url).status_code == 200
    assert restriction_queries(queries) == 1  # the memo's read; Wagtail's ancestor check is skipped


def test_later_requests_read_no_skeleton_until_a_page_is_saved(library):
    client = Client(HTTP_HOST="localhost")
    client.get(library.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(library.url)
    assert skeleton_queries(queries) == []
    assert ">Library</a></li>" in response.content.decode()
    PublicationIndexPageFactory(
        parent=library.get_parent().get_parent(), title="Reports", slug="reports", show_in_menus=True
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(library.url)
    assert len(skeleton_queries(queries)) == 3  # site, settings and restrictions read again
    assert ">Reports</a></li>" in response.content.decode()


def test_a_saved_site_setting_shows_on_the_next_request(library, site):
    client = Client(HTTP_HOST="localhost")
    client.get(library.url)
    settings = SiteSettings.for_site(site)
    settings.organisation_name = "Renamed Network"
    settings.save()
    assert "Renamed Network" in client.get(library.url).content.decode()


def test_an_edit_in_another_worker_is_seen_through_the_shared_generation(library):
    client = Client(HTTP_HOST="localhost")
    client.get(library.url)
    cache.set(STRUCTURE_GENERATION_KEY, "another")  # what another worker's save does; this one was not told
    with CaptureQueriesContext(connection) as queries:
        client.get(library.url)
    assert len(skeleton_queries(queries)) == 3


def test_a_generation_lost_from_the_cache_is_never_taken_for_the_remembered_one(library):
    client = Client(HTTP_HOST="localhost")
    client.get(library.url)
    cache.delete(STRUCTURE_GENERATION_KEY)  # culled by a full file cache, or a cache server restarted
    with CaptureQueriesContext(connection) as queries:
        client.get(library.url)
    assert len(skeleton_queries(queries)) == 3


def test_outside_a_request_the_skeleton_is_read_afresh(library):
    with CaptureQueriesContext(connection) as queries:
        private_section_paths()
        private_section_paths()
    assert restriction_queries(queries) == 2


def test_a_page_under_a_private_section_still_asks_for_a_login(site):
    index = PublicationIndexPageFactory(parent=site.root_page)
    study = PublicationPageFactory(parent=index)
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    response = Client(HTTP_HOST="localhost").get(study.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
