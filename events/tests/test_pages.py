import json
import re

import pytest
from django.test import Client
from icalendar import Calendar

from events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


def test_event_ics_is_a_valid_calendar_with_the_event(client, event):
    response = client.get(event.url + "calendar/")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Global Boys Summit"
    assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)


def test_feed_lists_upcoming_events_only(client, events_index, event):
    EventPageFactory(parent=events_index, past=True, title="Old workshop")
    calendar = Calendar.from_ical(client.get(events_index.url + "calendar/").content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Global Boys Summit"]


def test_event_page_carries_schema_org_event_json_ld(client, event):
    html = client.get(event.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "Event"
    assert data["name"] == "Global Boys Summit"
    assert data["location"]["address"]["addressCountry"] == "MA"


def test_listing_splits_upcoming_and_past_and_filters_by_kind(client, events_index, event):
    EventPageFactory(parent=events_index, past=True, title="Old workshop", kind="regional_workshop")
    html = client.get(events_index.url).content.decode()
    upcoming, past = html.split('id="past-heading"')
    assert "Global Boys Summit" in upcoming and "Old workshop" in past
    filtered = client.get(events_index.url + "?kind=regional_workshop").content.decode()
    assert "Old workshop" in filtered and "Global Boys Summit" not in filtered


def test_registration_form_errors_are_shown_not_raised(client, event):
    response = client.post(event.url + "register/", {"name": "", "email": "nope", "country": "XX"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html


def test_tampered_agenda_link_gets_a_403_with_an_explanation(client, event):
    response = client.get(event.url + "agenda/?t=not-a-token")
    assert response.status_code == 403
    assert "not valid" in response.content.decode()


def test_listing_filters_by_the_hosts_region(client, events_index, event):
    from network.factories import OrganisationFactory, RegionFactory

    east = RegionFactory(name="East Africa", slug="east-africa")
    host = OrganisationFactory(region=east)
    other = EventPageFactory(parent=events_index, title="Nairobi workshop")
    other.hosts.set([host])
    other.save_revision().publish()
    html = client.get(events_index.url + "?region=east-africa").content.decode()
    assert "Nairobi workshop" in html and "Global Boys Summit" not in html
    assert '<option value="east-africa" selected>East Africa</option>' in html
