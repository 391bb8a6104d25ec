"""The demo site's address: canonical links, feeds and the PDF name the host the demo is served on."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from core.factories import site_with_home_page
from core.sites import default_site_at, host_and_port


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("http://localhost", ("localhost", 80)),
        ("https://report.example.org/", ("report.example.org", 443)),
    ],
)
def test_a_site_address_gives_its_host_and_port(url, expected):
    assert host_and_port(url) == expected


@pytest.mark.parametrize(
    "url", ["127.0.0.1:8000", "ftp://example.org", "http://", "http://h:port", "http://h/x/"]
)
def test_anything_else_is_refused_with_the_address_in_the_message(url):
    with pytest.raises(ValueError, match="is not a site address"):
        host_and_port(url)


def test_load_demo_year_refuses_a_bad_address_before_writing_anything(db):
    with pytest.raises(CommandError, match="'localhost:8000' is not a site address"):
        call_command("load_demo_year", "--site-url", "localhost:8000")
    assert not Site.objects.filter(hostname="localhost", port=8000).exists()


def test_the_default_site_moves_to_the_given_address(db):
    site = site_with_home_page()
    default_site_at(site.root_page, site_url="http://127.0.0.1:8000")
    site.refresh_from_db()
    assert site.root_url == "http://127.0.0.1:8000"
