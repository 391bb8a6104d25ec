"""Attendance imports from the exports platforms produce: formats recognised, people merged by email, no-shows
kept out of the figures, re-imports idempotent, large files read with flat memory."""

import io
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from events import attendance, statistics
from events.attendance import attendance_import
from events.factories import ParticipantFactory
from events.models import Participant, ParticipantRole, ParticipantStatus

DATA = Path(__file__).parent / "data"
WEBINAR = DATA / "zoom_webinar_attendee_report.csv"
MEETING = DATA / "zoom_meeting_participants.csv"


def _import(event, path: Path, **options):
    return attendance_import(event=event, filename=path.name, content=path.read_bytes(), **options)


def _people(event) -> dict[str, Participant]:
    return {p.email or p.name: p for p in Participant.objects.filter(event=event)}


def test_the_zoom_webinar_report_is_recognised_and_its_attendees_counted(event):
    report = _import(event, WEBINAR, write=True)
    assert report.errors == [] and report.written
    assert report.format_label == "Zoom webinar attendee report (CSV) (recognised from the file)"
    # 1 host + 2 panelists + 6 attendees attended; 3 registrants never joined; Chloé's 3 rows are one person.
    assert (report.rows, report.created) == (15, 12)
    assert event.participants.counted().count() == 9
    assert event.participants.filter(status=ParticipantStatus.NO_SHOW).count() == 3
    people = _people(event)
    assert people["chloe.martin@example.org"].minutes_attended == 19 + 37 + 25
    assert people["chloe.martin@example.org"].name == "Chloé Martin"  # the registration's first and last name
    assert people["amina.yusuf@example.org"].minutes_attended == 88
    assert people["amina.yusuf@example.org"].role == ParticipantRole.SPEAKER  # a panelist
    assert people["secretariat@example.org"].role == ParticipantRole.ORGANISER  # the host
    assert people["jose.perez@example.org"].name == "José Pérez"  # Zoom's "(Original Name)" left out
    assert people["kwame.boateng@example.org"].country == "GH"  # no answer: the country Zoom placed them in
    assert people["mia.jones@example.org"].country == "US"  # Zoom's "United States"
    assert people["wang.fang@example.org"].name == "王芳"  # as shown: family name first, not "芳 王"
    assert people["sara.alhassan@example.org"].name == "سارة الحسن"
    assert people["wang.fang@example.org"].organisation_name == ""
    assert people["lucas.silva@example.org"].status == ParticipantStatus.NO_SHOW
    assert people["lucas.silva@example.org"].minutes_attended == 0
    assert "3 registrant(s) who did not attend recorded as “registered, did not attend”" in report.notes


def test_no_shows_are_not_counted_by_the_participant_statistics(event):
    _import(event, WEBINAR, write=True)
    assert Participant.objects.filter(event=event).count() == 12
    assert statistics.event_participants(event.slug).value == 9
    no_show_countries = {"BR", "IN", "TR"}
    assert not no_show_countries & set(statistics.event_countries(event.slug).items)
    assert event.participant_summary()["total"] == 9
    day = event.start.date()
    assert statistics.participants(day, day).value == 9


def test_people_without_a_country_are_not_a_country_in_the_figures(event):
    _import(event, MEETING, write=True)
    day = event.start.date()
    assert statistics.participants(day, day).value == 5
    assert statistics.countries(day, day).value == 0


def test_the_zoom_meeting_report_sums_each_persons_joins(event):
    report = _import(event, MEETING, write=True)
    assert report.errors == []
    assert report.format_label == "Zoom meeting participants report (CSV) (recognised from the file)"
    people = _people(event)
    assert len(people) == 5
    assert (
        people["amina.yusuf@example.org"].minutes_attended == 33 + 30
    )  # rows 6 and 8: not next to each other
    assert people["Phone User"].email == "" and people["Phone User"].minutes_attended == 35
    assert {p.status for p in people.values()} == {ParticipantStatus.ATTENDED}
    assert "5 new participant(s) without a country (the file gives none)" in report.notes


def test_the_eventbrite_report_reads_checked_in_attending_and_refunded(event):
    report = _import(event, DATA / "eventbrite_attendees.csv", write=True)
    assert report.errors == []
    assert report.format_label.startswith("Eventbrite attendee report")
    statuses = {p.email: (p.status, p.country.code, p.organisation_name) for p in event.participants.all()}
    assert statuses == {
        "amina.yusuf@example.org": ("attended", "NG", "Youth Alliance NG"),
        "kwame.boateng@example.org": ("registered", "GH", "Boys2Men Ghana"),
        "lucia.fernandez@example.org": ("attended", "AR", "Red Juvenil"),
        "tomas.novak@example.org": ("cancelled", "CZ", ""),
        "fatima.zahra@example.org": ("cancelled", "MA", ""),
    }
    assert event.participants.counted().count() == 3


def test_an_eventbrite_checked_in_column_counts_as_attended_and_unknown_statuses_are_named(event):
    content = (
        b"Order #,First Name,Last Name,Email,Attendee Status,Checked In?\n"
        b"1,Ana,Lee,ana@example.org,Attending,Yes\n"
        b"2,Bo,Kim,bo@example.org,Waiting,No\n"
    )
    report = attendance_import(event=event, filename="eb.csv", content=content, write=True)
    assert report.errors == [
        "Row 3: Attendee Status: 'Waiting' is not one of attending, checked in, not attending, refunded, "
        "cancelled, canceled, deleted, transferred"
    ]
    content = content.replace(b"Waiting", b"Attending")
    attendance_import(event=event, filename="eb.csv", content=content, write=True)
    assert dict(event.participants.values_list("email", "status")) == {
        "ana@example.org": "attended",
        "bo@example.org": "registered",
    }


def test_the_google_forms_download_is_read_from_its_zip_with_the_forms_own_questions(event):
    report = _import(event, DATA / "google_forms_responses.csv.zip", write=True)
    assert report.errors == []
    assert report.format_label.startswith("Google Forms responses")
    rows = sorted(event.participants.values_list("name", "country", "organisation_name", "listed_publicly"))
    assert rows == [
        ("Amina Yusuf", "NG", "Youth Alliance NG", True),
        ("Chloé Martin", "FR", "Aide Jeunesse", False),
        ("Nguyễn Văn An", "VN", "", True),
    ]


def test_a_french_google_form_is_matched_by_its_question_words(event):
    content = (
        "Horodateur,Adresse e-mail,Prénom,Nom de famille,Nom de votre organisation,Pays de résidence\n"
        "14/03/2024 14:03:11,awa@example.org,Awa,Diop,Jeunesse Active,Sénégal\n"
    ).encode()
    report = attendance_import(event=event, filename="Formulaire.csv", content=content, write=True)
    assert report.errors == [] and report.format_label.startswith("Google Forms")
    assert list(event.participants.values_list("name", "organisation_name", "country")) == [
        ("Awa Diop", "Jeunesse Active", "SN")
    ]


def test_the_yearbook_columns_remain_a_format(event):
    report = _import(event, DATA / "yearbook_attendance.csv", write=True)
    assert report.errors == [] and report.format_label.startswith("Yearbook attendance list")
    assert sorted(event.participants.values_list("name", "country", "role", "listed_publicly")) == [
        ("Amina Yusuf", "NG", "speaker", True),
        ("Kwame Boateng", "GH", "practitioner", False),
        ("Lina Haddad", "LB", "youth_delegate", True),
    ]


def test_a_format_named_that_the_file_is_not_says_what_it_looked_for(event):
    report = _import(event, MEETING, export_format="eventbrite")
    assert report.errors[0].startswith("This is not a Eventbrite attendee report (CSV or XLSX) file:")
    assert "'Order #'" in report.errors[0]
    report = _import(event, MEETING, export_format="luma")
    assert report.errors[0].startswith("There is no attendance format 'luma'")


def test_an_updated_list_merges_by_email_and_the_dry_run_lists_the_changes(event):
    ParticipantFactory(
        event=event,
        name="Kwame Boateng",
        email="Kwame.Boateng@example.org",  # typed with capitals in the admin: the same person
        organisation_name="",
        country="GH",
        status=ParticipantStatus.REGISTERED,
    )
    ParticipantFactory(
        event=event,
        name="Oleg Petrov",
        email="oleg.petrov@example.org",
        organisation_name="Youth Forum KZ",
        country="KZ",
        status=ParticipantStatus.ATTENDED,
        minutes_attended=87,
    )
    ParticipantFactory(
        event=event,
        name="Lucas Silva",
        email="lucas.silva@example.org",
        country="BR",
        status=ParticipantStatus.REGISTERED,
    )
    dry = _import(event, WEBINAR)
    assert not dry.written and dry.errors == []
    assert (dry.created, dry.updated, dry.unchanged) == (9, 2, 1)
    assert (
        "Kwame Boateng <Kwame.Boateng@example.org>: status registered → attended; organisation name — → "
        "Boys2Men Ghana; minutes attended — → 90" in dry.changes
    )
    assert (
        "Lucas Silva <lucas.silva@example.org>: status registered → registered, did not attend; organisation name — → Instituto Jovem; minutes attended — → 0"
        in dry.changes
    )
    assert "New: Chloé Martin <chloe.martin@example.org> (attended, 81 min)" in dry.changes
    assert Participant.objects.filter(event=event).count() == 3  # a dry run writes nothing
    assert event.participants.get(name="Kwame Boateng").status == ParticipantStatus.REGISTERED
    written = _import(event, WEBINAR, write=True)
    assert (written.created, written.updated, written.unchanged) == (9, 2, 1)
    kwame = event.participants.get(name="Kwame Boateng")
    assert (kwame.status, kwame.organisation_name, kwame.minutes_attended) == (
        "attended",
        "Boys2Men Ghana",
        90,
    )
    assert kwame.email == "Kwame.Boateng@example.org"
    assert Participant.objects.filter(event=event).count() == 12


def test_attendance_is_never_undone_by_a_no_show_row(event):
    ParticipantFactory(
        event=event, email="priya.nair@example.org", country="IN", status=ParticipantStatus.ATTENDED
    )
    _import(event, WEBINAR, write=True)
    assert event.participants.get(email="priya.nair@example.org").status == ParticipantStatus.ATTENDED


@pytest.mark.parametrize("path", [WEBINAR, DATA / "eventbrite_attendees.csv"])
def test_re_importing_the_same_file_changes_nothing(event, path):
    first = _import(event, path, write=True)
    before = sorted(
        Participant.objects.filter(event=event).values_list(
            "email", "name", "status", "minutes_attended", "country", "organisation_name", "role"
        )
    )
    again = _import(event, path, write=True)
    assert again.errors == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    after = sorted(
        Participant.objects.filter(event=event).values_list(
            "email", "name", "status", "minutes_attended", "country", "organisation_name", "role"
        )
    )
    assert after == before


def test_a_person_whose_rows_fall_in_different_batches_is_summed_and_re_imported_unchanged(
    event, monkeypatch
):
    monkeypatch.setattr(attendance, "BATCH_SIZE", 2)
    report = _import(event, MEETING, write=True)
    assert report.created == 5
    assert event.participants.get(email="amina.yusuf@example.org").minutes_attended == 63
    again = _import(event, MEETING, write=True)
    # The phone user has no email: as ever, a person without email already on the event is refused.
    assert again.errors == [
        "Row 9: Name (Original Name): 'Phone User' (no organisation) is already a participant of this event; "
        "add an email to tell two people apart"
    ]
    without_phone = MEETING.read_bytes().replace(
        b"Phone User (+254 7** *** 112),,", b"Phone User,phone@example.org,"
    )
    event.participants.filter(email="").update(email="phone@example.org")
    again = attendance_import(event=event, filename="m.csv", content=without_phone, write=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5), again.changes
    assert event.participants.get(email="amina.yusuf@example.org").minutes_attended == 63


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(event):
    lines = WEBINAR.read_text(encoding="utf-8-sig").splitlines()
    lines[15] = lines[15].replace("Chloe.Martin@example.org", "chloe.martin@")
    lines[18] = lines[18].replace(",87,", ",eighty,")
    lines[19] = lines[19].replace("Yes,", "Maybe,", 1)
    report = attendance_import(
        event=event, filename="report.csv", content="\r\n".join(lines).encode(), write=True
    )
    assert report.errors == [
        "Row 16: Email: 'chloe.martin@' is not an email address",
        "Row 19: Time in Session (minutes): 'eighty' is not a whole number of minutes",
        "Row 20: Attended: 'Maybe' is not Yes or No",
    ]
    assert not report.written and Participant.objects.count() == 0


def _zoom_webinar_file(path: Path, rows: int) -> Path:
    lines = WEBINAR.read_text(encoding="utf-8-sig").splitlines()[:15]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\r\n".join(lines) + "\r\n")
        for n in range(rows):
            handle.write(
                f"Yes,Person {n},Émile{n},Петров{n},person{n}@example.org,City,Kenya,Organisation {n % 97},,"
                f'"Mar 01, 2024 10:15 AM",approved,"Mar 14, 2024 02:01 PM","Mar 14, 2024 02:20 PM",{n % 90},Yes,'
                "Kenya,\r\n"
            )
    return path


def _peak_import(event, path, ticks) -> tuple:
    tracemalloc.start()
    try:
        report = attendance_import(
            event=event, filename=path.name, content=path, write=True, progress=ticks.append
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.errors == []
    return report, peak


def test_a_large_file_is_read_with_flat_memory(event, events_index, tmp_path, monkeypatch):
    # Memory follows the batch, not the file (benchmarks/bench_attendance.py compares 5 and 50 MB): a file four
    # times longer takes about the same peak, on SQLite and on PostgreSQL alike.
    from events.factories import EventPageFactory

    monkeypatch.setattr(attendance, "BATCH_SIZE", 500)
    small = _zoom_webinar_file(tmp_path / "small.csv", 4_000)
    large = _zoom_webinar_file(tmp_path / "large.csv", 16_000)
    assert large.stat().st_size > 3_000_000
    other = EventPageFactory(parent=events_index, title="Regional workshop", slug="workshop")
    _report, small_peak = _peak_import(other, small, [])
    ticks = []
    report, large_peak = _peak_import(event, large, ticks)
    assert report.created == 16_003
    assert sum(ticks) == report.rows + 4  # every row read, the 4 section lines included, moves the bar
    assert large_peak < small_peak * 1.5, f"peak {large_peak:,} bytes at 16,000 rows, {small_peak:,} at 4,000"
    assert large_peak < large.stat().st_size / 3


def test_the_command_prints_the_format_and_the_counts_and_fails_when_nothing_is_imported(event, tmp_path):
    out = io.StringIO()
    call_command("import_attendance", event.slug, str(WEBINAR), stdout=out, stderr=io.StringIO(), verbosity=0)
    text = out.getvalue()
    assert "Format: Zoom webinar attendee report (CSV) (recognised from the file)." in text
    assert (
        "Dry run, nothing written: 12 new, 0 updated, 0 unchanged participants. Add --write to import."
        in text
    )
    assert Participant.objects.count() == 0
    call_command("import_attendance", event.slug, str(WEBINAR), "--write", stdout=out, verbosity=0)
    assert Participant.objects.count() == 12
    empty = tmp_path / "empty.csv"
    empty.write_text("name,country\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command(
            "import_attendance",
            event.slug,
            str(empty),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            verbosity=0,
        )
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("import_attendance", "nope", str(WEBINAR), stdout=io.StringIO(), verbosity=0)


def test_the_prepared_insert_names_every_column_a_new_participant_needs():
    """A field added to Participant with a Python default would be NULL in the raw INSERT: name it there."""
    from events.attendance import INSERTED_FIELDS
    from events.models import Participant

    needed = {
        f.name
        for f in Participant._meta.concrete_fields
        if not f.primary_key and not f.null and f.db_default is models.NOT_PROVIDED
    }
    assert needed <= set(INSERTED_FIELDS)
