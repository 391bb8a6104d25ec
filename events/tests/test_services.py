import datetime

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import Workbook

from events.attendance import attendance_import
from events.factories import EventPageFactory, ParticipantFactory
from events.models import Participant, ParticipantStatus, Vote
from events.services import (
    RegistrationError,
    TokenError,
    participant_token,
    proposal_create,
    registration_create,
    vote_cast,
)


def register(event, email="amina@example.org", **extra):
    return registration_create(event=event, name="Amina", email=email, country="MA", **extra)


def test_registration_records_the_participant_and_emails_a_personal_link(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participant = register(event, agenda_url="http://x/events/summit/agenda/?t=")
    assert participant.status == ParticipantStatus.REGISTERED
    [message] = mail.outbox
    assert message.to == ["amina@example.org"]
    assert f"http://x/events/summit/agenda/?t={participant_token(participant)}" in message.body


def test_same_email_cannot_register_twice_and_gets_a_polite_message(event):
    register(event)
    with pytest.raises(RegistrationError, match="already registered"):
        register(event, email="AMINA@example.org ")
    assert Participant.objects.count() == 1


def test_registrations_beyond_capacity_join_the_waiting_list(event):
    register(event, email="a@example.org")
    register(event, email="b@example.org")
    third = register(event, email="c@example.org")
    assert third.status == ParticipantStatus.WAITLISTED


def test_registration_after_closing_is_refused(events_index):
    event = EventPageFactory(
        parent=events_index, registration_closes=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(RegistrationError, match="closed"):
        register(event)


def test_participants_vote_once_per_proposal_through_their_signed_link(event):
    participant = register(event)
    token = participant_token(participant)
    proposal = proposal_create(event=event, token=token, title="Boys online", description="Why it matters")
    assert vote_cast(event=event, token=token, proposal_id=proposal.pk)[1] is True
    assert vote_cast(event=event, token=token, proposal_id=proposal.pk)[1] is False
    assert Vote.objects.count() == 1


def test_a_tampered_or_foreign_link_cannot_vote(event, events_index):
    participant = register(event)
    token = participant_token(participant)
    proposal = proposal_create(event=event, token=token, title="T", description="D")
    with pytest.raises(TokenError, match="not valid"):
        vote_cast(event=event, token=token[:-2] + "xx", proposal_id=proposal.pk)
    other = EventPageFactory(parent=events_index)
    with pytest.raises(TokenError, match="another event"):
        vote_cast(event=other, token=token, proposal_id=proposal.pk)


def test_import_dry_run_reports_each_bad_row_and_writes_nothing(event):
    csv = (
        b"name,email,organisation,country,role\n"
        b"Ama Demori,ama@example.org,AMANE,MA,speaker\n"
        b"Lira Talvek,lira@example.org,,Atlantis,practitioner\n"
        b"Seko Mbeyo,ama@example.org,,KE,wizard\n"
    )
    report = attendance_import(event=event, filename="list.csv", content=csv, write=True)
    assert report.errors == [
        "Row 3: country: 'Atlantis' is not a known country name or ISO code",
        "Row 4: role: 'wizard' is not one of practitioner, speaker, organiser, youth_delegate, policymaker, researcher, staff",
        "Row 4: email: ama@example.org appears twice in this file (first on row 2)",
    ]
    assert Participant.objects.count() == 0


def test_a_valid_xlsx_is_imported_whole_with_country_names_or_codes(event, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Country", "Role", "Listed_publicly"])
    sheet.append(["Ama Demori", "Morocco", "Speaker", "yes"])
    sheet.append(["Lira Talvek", "ke", "", "no"])
    book.save(tmp_path / "list.xlsx")
    report = attendance_import(
        event=event, filename="list.xlsx", content=(tmp_path / "list.xlsx").read_bytes(), write=True
    )
    assert report.errors == []
    assert sorted(Participant.objects.values_list("name", "country", "role", "listed_publicly")) == [
        ("Ama Demori", "MA", "speaker", True),
        ("Lira Talvek", "KE", "practitioner", False),
    ]


def test_missing_required_columns_are_named(event):
    report = attendance_import(
        event=event, filename="x.csv", content=b"name,email\nA,a@example.org\n", export_format="yearbook"
    )
    assert report.errors[0].startswith(
        "This is not a Yearbook attendance list (name, email, organisation, country, role, listed_publicly) "
        "file: x.csv: no row in the first 2 names the columns 'name'; 'country'."
    )


def test_counts_include_everyone_but_only_consenting_names_are_listed(event, client):
    ParticipantFactory(event=event, name="Listed Person", country="MA", listed_publicly=True)
    ParticipantFactory(event=event, name="Private Person", country="KE", listed_publicly=False)
    ParticipantFactory(event=event, name="Waiting Person", country="TZ", status=ParticipantStatus.WAITLISTED)
    html = client.get(event.url, HTTP_HOST="localhost").content.decode()
    assert "<strong>2</strong> participants from <strong>2</strong> countries" in html
    assert "Listed Person" in html
    assert "Private Person" not in html


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            b"name,email,country\nAma,not-an-email,MA\n",
            "Row 2: email: 'not-an-email' is not an email address",
        ),
        (b"name,country,listed_publicly\nAma,MA,maybe\n", "Row 2: listed_publicly: 'maybe' is not yes or no"),
        (b"name,country\nAma,MA\nAma,MA\n", "Row 3: the row repeats row 2"),
        (b"name,country\n" + b"x" * 300 + b",MA\n", "Row 2: name: has 300 characters; the limit is 200"),
        (b"name,country\n" + b"x" * 200_000 + b",MA\n", "Row 2: a cell is longer than 128 KB"),
        (b"name,country\n", "The file has a header but no data rows."),
        (b"Ama,MA\n", "This is not a Yearbook attendance list"),
    ],
)
def test_import_reports_bad_files_and_rows_and_writes_nothing(event, content, error):
    report = attendance_import(
        event=event, filename="list.csv", content=content, export_format="yearbook", write=True
    )
    assert len(report.errors) == 1 and report.errors[0].startswith(error), report.errors
    assert Participant.objects.count() == 0


def test_a_file_that_is_not_xlsx_is_reported(event):
    report = attendance_import(event=event, filename="list.xlsx", content=b"\x00garbage" * 100, write=False)
    assert report.errors[0].startswith("list.xlsx is not a valid .xlsx file")


def test_the_same_person_without_email_is_not_imported_twice(event):
    ParticipantFactory(event=event, name="Ama Demori", email="", organisation_name="AMANE", country="MA")
    content = b"name,organisation,country\nama demori,amane,MA\n"
    report = attendance_import(event=event, filename="list.csv", content=content, write=True)
    assert report.errors == [
        "Row 2: name: 'ama demori' (amane) is already a participant of this event; add an email to tell two"
        " people apart"
    ]


def test_an_address_typed_in_the_admin_with_capitals_is_the_same_person_on_import_and_registration(event):
    ParticipantFactory(event=event, name="Ann Lee", email="Ann@Example.org", country="KR")
    content = b"name,email,country\nAnn Lee,ann@example.org,KR\n"
    report = attendance_import(event=event, filename="list.csv", content=content, write=True)
    assert report.errors == [] and (report.created, report.unchanged) == (0, 1)
    with pytest.raises(RegistrationError, match="already registered"):
        register(event, email="ann@example.org")
    assert Participant.objects.count() == 1


def test_the_registration_form_refuses_an_address_too_long_to_store():
    from events.forms import RegistrationForm

    long_address = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com"
    form = RegistrationForm(
        data={"name": "A", "email": long_address, "country": "FR", "role": "practitioner"}
    )
    assert not form.is_valid() and "at most 254 characters" in str(form.errors["email"])
