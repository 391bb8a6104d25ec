import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from report.factories import AnnualReportPageFactory


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def report(site):
    return AnnualReportPageFactory(parent=site.root_page, slug="ar", title="Annual Report")


def test_second_anonymous_request_is_served_from_cache_without_queries(page_cache, report):
    client = Client(HTTP_HOST="localhost")
    assert client.get("/ar/")["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ar/")
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "public" in response["Cache-Control"]


def test_publishing_any_page_purges_the_cache(page_cache, report):
    client = Client(HTTP_HOST="localhost")
    client.get("/ar/")
    report.title = "Annual Report, revised"
    report.save_revision().publish()
    response = client.get("/ar/")
    assert response["X-Page-Cache"] == "miss"
    assert "Annual Report, revised" in response.content.decode()


def test_editors_with_a_session_bypass_the_cache(page_cache, report, django_user_model):
    client = Client(HTTP_HOST="localhost")
    client.get("/ar/")
    client.force_login(django_user_model.objects.create_user("editor"))
    assert "X-Page-Cache" not in client.get("/ar/")


def test_unchanged_page_answers_304_to_a_matching_etag(page_cache, report):
    client = Client(HTTP_HOST="localhost")
    etag = client.get("/ar/")["ETag"]
    assert client.get("/ar/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_pages_are_compressed_for_clients_that_accept_gzip(report):
    response = Client(HTTP_HOST="localhost").get("/ar/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_making_a_page_private_purges_the_cache(page_cache, report):
    from wagtail.models import PageViewRestriction

    client = Client(HTTP_HOST="localhost")
    assert client.get("/ar/").status_code == 200
    PageViewRestriction.objects.create(
        page=report, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-words"
    )
    response = client.get("/ar/")
    assert response.get("X-Page-Cache") != "hit"
    assert 'name="password"' in response.content.decode()  # Wagtail's password form, not the cached page


def test_deleting_a_page_purges_the_cache(page_cache, report):
    client = Client(HTTP_HOST="localhost")
    assert client.get("/ar/").status_code == 200
    report.delete()
    assert client.get("/ar/").status_code == 404


def test_a_cached_page_keeps_the_etag_it_was_stored_with(page_cache, report, monkeypatch):
    client = Client(HTTP_HOST="localhost")
    etag = client.get("/ar/")["ETag"]
    hashed = []
    monkeypatch.setattr("django.middleware.http.set_response_etag", hashed.append)
    hit = client.get("/ar/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["ETag"] == etag
    assert hashed == []  # the hit was not hashed again
    assert client.get("/ar/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_changing_a_site_setting_purges_the_cache(page_cache, report):
    from core.models import SiteSettings

    client = Client(HTTP_HOST="localhost")
    client.get("/ar/")
    site_settings = SiteSettings.for_site(report.get_site())
    site_settings.announcement_text = "Our annual report is out"
    site_settings.save()
    response = client.get("/ar/")
    assert response["X-Page-Cache"] == "miss"
    assert "Our annual report is out" in response.content.decode()


def test_cached_pages_and_their_304s_tell_nginx_how_long_to_keep_them(page_cache, report, settings):
    settings.PROXY_CACHE_SECONDS = 2
    client = Client(HTTP_HOST="localhost")
    miss = client.get("/ar/")
    hit = client.get("/ar/")
    not_modified = client.get("/ar/", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert [r.get("X-Accel-Expires") for r in (miss, hit, not_modified)] == ["2", "2", "2"]
    assert not_modified.status_code == 304


def test_nothing_the_page_cache_refuses_is_offered_to_nginx(page_cache, report, django_user_model, settings):
    settings.PROXY_CACHE_SECONDS = 2
    client = Client(HTTP_HOST="localhost")
    assert "X-Accel-Expires" not in client.get("/no-such-page/")  # a 404
    client.force_login(django_user_model.objects.create_user("editor"))
    assert "X-Accel-Expires" not in client.get("/ar/")  # an editor's request
    settings.PAGE_CACHE_SECONDS = 0
    assert "X-Accel-Expires" not in Client(HTTP_HOST="localhost").get("/ar/")  # the page cache switched off
