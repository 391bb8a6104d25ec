import pytest
from django.test import Client

from core.models import SiteSettings
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def report(site):
    report = AnnualReportPageFactory(parent=site.root_page, title="Annual Report 2022-2023", slug="ar")
    ReportChapterPageFactory(parent=report, title="Outreach", slug="outreach")
    return report


def test_home_page_lists_the_report_and_links_it_in_the_navigation(client, report):
    html = client.get("/").content.decode()
    assert 'href="/ar/"' in html
    assert '<nav aria-label="Main">' in html
    assert "Annual Report 2022-2023" in html


def test_pages_carry_open_graph_and_canonical_tags(client, report):
    html = client.get("/ar/outreach/").content.decode()
    assert '<meta property="og:title" content="Outreach">' in html
    assert '<link rel="canonical" href="http://localhost/ar/outreach/">' in html


def test_announcement_banner_and_donation_call_to_action_appear_on_every_page(client, report, site):
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={"announcement_text": "A new law is needed", "donation_heading": "Give monthly"},
    )
    for url in ["/", "/ar/", "/ar/outreach/"]:
        html = client.get(url).content.decode()
        assert "A new law is needed" in html, url
        assert "Give monthly" in html, url


def test_sitemap_lists_every_live_page(client, report):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/ar/outreach/</loc>" in xml
    assert "<loc>http://localhost/ar/</loc>" in xml


def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client, site):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://localhost/sitemap.xml" in body


def test_unknown_url_gets_the_friendly_404_page(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_print_stylesheet_is_linked(client, site):
    assert 'media="print"' in client.get("/").content.decode()


def test_every_page_header_has_a_labelled_site_search_form(client, report):
    html = client.get(report.url).content.decode()
    assert '<form class="site-search" role="search" aria-label="Site" action="/search/" method="get">' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html
    assert client.get("/search/", {"q": "annual"}).status_code == 200


def test_page_titles_name_the_organisation_once(client, report, site):
    SiteSettings.objects.update_or_create(site=site, defaults={"organisation_name": site.root_page.title})
    assert f"<title>{site.root_page.title}</title>" in client.get("/").content.decode()
    assert (
        f"<title>Annual Report 2022-2023 · {site.root_page.title}</title>"
        in client.get("/ar/").content.decode()
    )


def test_every_page_footer_links_the_public_figures(client, report):
    for url in ["/", "/ar/outreach/"]:
        assert '<a href="/impact/">Our reach in figures</a>' in client.get(url).content.decode(), url


def test_admin_pages_carry_the_site_favicon(client, site, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    html = client.get("/admin/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert html.count('rel="icon"') == 1  # replaces Wagtail's default, not added next to it
