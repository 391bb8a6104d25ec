import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from events.factories import EventPageFactory, ParticipantFactory
from events.models import ActionLevel, ActionPoint, AgendaSession, Participant
from events.services import participant_token, proposal_create, registration_create

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


@pytest.mark.parametrize("proposal", ["²", "١٢", "0", "-1", "1" * 20, "x"])
def test_a_vote_for_a_proposal_id_that_cannot_be_one_is_a_bad_request_not_an_error(client, event, proposal):
    participant = registration_create(event=event, name="Amina", email="amina@example.org", country="MA")
    token = participant_token(participant)
    proposal_create(event=event, token=token, title="Boys online", description="Why it matters")
    response = client.post(event.url + f"agenda/?t={token}", {"proposal": proposal})
    assert response.status_code == 400
    assert response.content == b"Unknown proposal."
    assert not event.proposals.get().votes.exists()


def test_listing_filters_by_region_of_the_events_own_country(client, events_index, event):
    """A Nairobi event hosted by an organisation of another region is listed under the region of Kenya."""
    from network.factories import OrganisationFactory, RegionFactory

    east = RegionFactory(name="East Africa", slug="east-africa")
    asia = RegionFactory(name="Southeast Asia", slug="southeast-asia")
    OrganisationFactory(region=east, country="KE")
    OrganisationFactory(region=RegionFactory(name="North Africa", slug="north-africa"), country="MA")
    nairobi = EventPageFactory(parent=events_index, title="Nairobi workshop", country="KE")
    nairobi.hosts.set([OrganisationFactory(region=asia, country="TH")])
    nairobi.save_revision().publish()
    html = client.get(events_index.url + "?region=east-africa").content.decode()
    assert "Nairobi workshop" in html and "Global Boys Summit" not in html
    assert '<option value="east-africa" selected>East Africa</option>' in html
    assert "Nairobi workshop" not in client.get(events_index.url + "?region=southeast-asia").content.decode()


def test_listing_region_filter_falls_back_to_the_hosts_region_without_a_country(client, events_index, event):
    from network.factories import OrganisationFactory, RegionFactory

    east = RegionFactory(name="East Africa", slug="east-africa")
    webinar = EventPageFactory(parent=events_index, title="Online webinar", country="", online=True)
    webinar.hosts.set([OrganisationFactory(region=east, country="KE")])
    webinar.save_revision().publish()
    html = client.get(events_index.url + "?region=east-africa").content.decode()
    assert "Online webinar" in html and "Global Boys Summit" not in html


def test_upcoming_event_without_participants_shows_no_empty_who_took_part(client, event):
    html = client.get(event.url).content.decode()
    assert "Who took part" not in html
    assert "0 participants" not in html
    assert "Registration is open" in html


def test_past_event_with_participants_says_who_took_part(client, events_index):
    past = EventPageFactory(parent=events_index, past=True, title="Old workshop")
    ParticipantFactory(event=past, country="KE")
    html = client.get(past.url).content.decode()
    assert "Who took part" in html
    assert "<strong>1</strong> participant from <strong>1</strong> country." in html


def test_countries_represented_are_listed_by_name_alphabetically(client, events_index):
    past = EventPageFactory(parent=events_index, past=True, title="Old workshop")
    for code in ("KE", "BR", "FR", "KE"):
        ParticipantFactory(event=past, country=code)
    html = client.get(past.url).content.decode()
    assert "from <strong>3</strong> countries" in html
    assert "<p>Brazil, France, Kenya</p>" in html


def test_one_day_event_shows_one_date_and_its_time_range_in_the_local_time_zone(client, events_index):
    start = datetime.datetime(2030, 3, 10, 13, tzinfo=datetime.UTC)
    webinar = EventPageFactory(
        parent=events_index,
        title="Webinar",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Europe/Brussels",
    )
    html = client.get(webinar.url).content.decode()
    assert "10 March 2030, 14:00</time>–<time" in html
    assert "16:00</time> CET" in html
    assert html.count("10 March 2030") == 1


def test_multi_day_event_shows_its_first_and_last_date(client, events_index):
    start = datetime.datetime(2030, 6, 6, 8, tzinfo=datetime.UTC)
    summit = EventPageFactory(parent=events_index, start=start, end=start + datetime.timedelta(days=2))
    html = client.get(summit.url).content.decode()
    assert "6 June 2030</time>–<time" in html and "8 June 2030</time>" in html


def test_every_table_on_an_event_page_scrolls_in_its_own_labelled_region(client, event):
    start = event.start
    AgendaSession.objects.create(
        event=event, title="Opening", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    ActionPoint.objects.create(event=event, text="Publish the outcomes", level=ActionLevel.GLOBAL)
    html = client.get(event.url).content.decode()
    tables = re.findall(r"<table", html)
    wrapped = re.findall(
        r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*<table', html
    )
    assert len(tables) == 2
    assert len(wrapped) == 2


def test_registration_page_of_a_past_event_shows_why_and_links_back_without_a_form(client, events_index):
    past = EventPageFactory(parent=events_index, past=True, title="Old workshop")
    response = client.get(past.url + "register/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This event has already taken place, so registration is closed." in html
    assert f'href="{past.url}"' in html
    assert "<form" not in html.split('id="main"')[1].split("</main>")[0]


def test_posting_to_a_closed_registration_shows_the_closed_page_and_registers_no_one(client, events_index):
    past = EventPageFactory(parent=events_index, past=True, title="Old workshop")
    response = client.post(
        past.url + "register/", {"name": "Amina", "email": "amina@example.org", "country": "MA"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "This event has already taken place, so registration is closed." in html
    assert "does not take registrations" not in html
    assert "<form" not in html.split('id="main"')[1].split("</main>")[0]
    assert not Participant.objects.exists()


def test_registration_that_has_closed_before_the_event_says_so(client, events_index):
    now = timezone.now()
    event = EventPageFactory(
        parent=events_index,
        registration_opens=now - datetime.timedelta(days=10),
        registration_closes=now - datetime.timedelta(days=1),
    )
    html = client.get(event.url + "register/").content.decode()
    assert "Registration for this event has closed." in html
    assert 'name="email"' not in html


def test_participant_summary_counts_roles_countries_and_everyone_counted(events_index):
    from events.models import ParticipantRole, ParticipantStatus

    past = EventPageFactory(parent=events_index, past=True, title="Old workshop")
    for country, role in [
        ("KE", "speaker"),
        ("KE", "practitioner"),
        ("FR", "practitioner"),
        ("", "practitioner"),
    ]:
        ParticipantFactory(event=past, country=country, role=role)
    ParticipantFactory(event=past, country="BR", role="speaker", status=ParticipantStatus.CANCELLED)
    summary = past.participant_summary()
    assert summary["total"] == 4  # the one without a country counts; the cancelled one does not
    assert summary["countries"] == ["France", "Kenya"]
    assert summary["roles"] == [(ParticipantRole.PRACTITIONER.label, 3), (ParticipantRole.SPEAKER.label, 1)]


def test_action_tracker_leaves_out_events_behind_a_view_restriction(client, events_index, event):
    private = EventPageFactory(parent=events_index, title="Closed survivors retreat", slug="retreat")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    ActionPoint.objects.create(
        event=private, text="Relocate the shelter in Kisumu", level=ActionLevel.NATIONAL, country="KE"
    )
    ActionPoint.objects.create(
        event=event, text="Train police in Rabat", level=ActionLevel.NATIONAL, country="MA"
    )
    assert client.get(private.url).status_code == 302  # the page itself is protected
    html = client.get(events_index.url + "actions/").content.decode()
    assert "Train police in Rabat" in html
    assert "Relocate the shelter" not in html
    assert "Closed survivors retreat" not in html


def test_an_event_behind_a_view_restriction_shows_its_action_points_to_those_let_in(
    client, events_index, django_user_model
):
    private = EventPageFactory(parent=events_index, title="Closed survivors retreat", slug="retreat")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    ActionPoint.objects.create(
        event=private, text="Relocate the shelter in Kisumu", level=ActionLevel.NATIONAL, country="KE"
    )
    client.force_login(django_user_model.objects.create_user("member", password="x"))
    assert "Relocate the shelter in Kisumu" in client.get(private.url).content.decode()
