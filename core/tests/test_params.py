"""Public listings ignore malformed year filters instead of failing (the audit found 500s for each of these), and
ids from form or query text are ids or nothing."""

import pytest

from core.params import LARGEST_ID, parse_id, year_param


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (" 42\n", 42),
        ("\t7 ", 7),
        ("007", 7),
        (str(LARGEST_ID), LARGEST_ID),
        ("0", None),
        ("000", None),
        ("-1", None),
        ("+1", None),
        ("4 2", None),
        ("1.0", None),
        ("²", None),
        ("١٢", None),
        ("４２", None),
        (str(LARGEST_ID + 1), None),
        ("9" * 19, None),
        ("1" * 20, None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_id_accepts_only_a_positive_ascii_integer_a_bigint_can_hold(raw, expected):
    assert parse_id(raw) == expected


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


@pytest.mark.parametrize("query", ["country=%00", "region=a%00b", "%00=1", "page=2&theme=%00"])
def test_a_nul_character_in_a_parameter_is_refused_with_400_not_passed_to_the_database(client, site, query):
    response = client.get(f"/?{query}", HTTP_HOST="localhost")
    assert response.status_code == 400 and b"NUL" in response.content


def test_ordinary_parameters_pass(client, site):
    assert client.get("/?country=FR&q=caf%C3%A9", HTTP_HOST="localhost").status_code == 200
