"""Private sections are read once per request, and a page in one stays out of every public listing."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from core.models import private_section_paths
from core.request_memo import RequestMemoMiddleware
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


def test_serving_a_page_of_a_site_without_restrictions_reads_them_once(site):
    index = PublicationIndexPageFactory(parent=site.root_page)
    study = PublicationPageFactory(parent=index)
    with CaptureQueriesContext(connection) as queries:
        assert Client(HTTP_HOST="localhost").get(study.url).status_code == 200
    assert restriction_queries(queries) == 1  # the memo's read; Wagtail's ancestor check is skipped


def test_a_page_under_a_private_section_still_asks_for_a_login(site):
    index = PublicationIndexPageFactory(parent=site.root_page)
    study = PublicationPageFactory(parent=index)
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    response = Client(HTTP_HOST="localhost").get(study.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
