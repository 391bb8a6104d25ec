"""Public listings ignore malformed year filters instead of failing (the audit found 500s for each of these)."""

import pytest

from core.params import year_param


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023", 2023),
        (" 2022 ", 2022),
        ("0000", None),
        ("0", None),
        ("99999", None),
        ("²³⁴⁵", None),
        ("", None),
    ],
)
def test_year_param(raw, expected):
    assert year_param(raw) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["0000", "0", "99999", "99999999999999999999", "²³⁴⁵"])
def test_listings_ignore_malformed_years(client, site, year):
    from events.factories import EventIndexPageFactory
    from network.models import NetworkIndexPage
    from publications.factories import PublicationIndexPageFactory

    events = EventIndexPageFactory(parent=site.root_page)
    network = site.root_page.add_child(instance=NetworkIndexPage(title="Our network", slug="network"))
    library = PublicationIndexPageFactory(parent=site.root_page)
    assert client.get(events.url, {"year": year}).status_code == 200
    assert client.get(network.url, {"joined": year}).status_code == 200
    assert client.get(library.url, {"year": year}).status_code == 200
    assert client.get("/search/", {"q": "child", "year": year}).status_code == 200
