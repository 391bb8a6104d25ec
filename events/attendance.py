"""Importing an event's attendance from the lists platforms export (events.import_formats): people merged by email
with those already on the event, in one streaming pass of batched writes inside one transaction."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries

from core.imports.files import UnreadableFile, open_tables
from core.imports.formats import ExportFormat, UnknownFormat, formats
from core.imports.report import LISTED, ImportReport
from core.imports.tables import Located, column_key
from core.tabular import YES_NO_HELP, yes_no
from events import import_formats as f
from events.models import EventPage, Participant, ParticipantRole, ParticipantStatus

BATCH_SIZE = 2000
MAX_ERRORS = 200
NAME_MAX_LENGTH = Participant._meta.get_field("name").max_length
ORGANISATION_MAX_LENGTH = Participant._meta.get_field("organisation_name").max_length
EMAIL_MAX_LENGTH = Participant._meta.get_field("email").max_length
ROLE_BY_LABEL = {
    **{v: v for v in ParticipantRole.values},
    **{label.lower(): v for v, label in ParticipantRole.choices},
}
# How platforms spell countries that django-countries names otherwise (Zoom: "United States", "Hong Kong SAR").
COUNTRY_ALIASES = {
    "united states": "US",
    "usa": "US",
    "us": "US",
    "uk": "GB",
    "great britain": "GB",
    "korea, republic of": "KR",
    "republic of korea": "KR",
    "hong kong sar": "HK",
    "macao sar": "MO",
    "macau sar": "MO",
    "macau": "MO",
    "ivory coast": "CI",
    "dr congo": "CD",
    "congo (kinshasa)": "CD",
    "congo (brazzaville)": "CG",
    "the netherlands": "NL",
}
COUNTRY_LANGUAGES = ("en", "fr", "es", "pt", "de", "ar", "ru", "zh-hans")
# Eventbrite's attendee statuses; "Checked In" may also be its own yes/no column.
EVENTBRITE_STATUSES = {
    "attending": ParticipantStatus.REGISTERED,
    "checked in": ParticipantStatus.ATTENDED,
    "not attending": ParticipantStatus.CANCELLED,
    "refunded": ParticipantStatus.CANCELLED,
    "cancelled": ParticipantStatus.CANCELLED,
    "canceled": ParticipantStatus.CANCELLED,
    "deleted": ParticipantStatus.CANCELLED,
    "transferred": ParticipantStatus.CANCELLED,
}
# Which of two statuses one person's rows keep: any row attended means they attended.
STATUS_RANK = {
    ParticipantStatus.CANCELLED: 0,
    ParticipantStatus.NO_SHOW: 1,
    ParticipantStatus.WAITLISTED: 2,
    ParticipantStatus.REGISTERED: 3,
    ParticipantStatus.ATTENDED: 4,
}
# Google Forms heads columns with the form's own questions: the words that say what a question asks, by language.
QUESTION_WORDS = (
    (f.EMAIL, re.compile(r"\b(e-?mail|courriel|correo|endereço de e-mail)\b")),
    (f.COUNTRY, re.compile(r"\b(country|pays|país|pais|land|страна|国家|国)\b")),
    (
        f.ORGANISATION,
        re.compile(
            r"(organi[sz]ation|organisme|organización|organização|institution|company|employer|entreprise)"
        ),
    ),
    (f.FIRST_NAME, re.compile(r"\b(first name|given name|prénom|prenom|vorname|primeiro nome)\b")),
    (
        f.LAST_NAME,
        re.compile(r"\b(last name|surname|family name|nom de famille|apellidos?|nachname|sobrenome)\b"),
    ),
    (f.LISTED, re.compile(r"\b(list|listed|publicly|public|publier|publicar|publicado)\b")),
    (f.NAME, re.compile(r"\b(name|nom|nombre|nome|имя|姓名)\b")),
)
# A subset of the addresses django.core.validators.validate_email accepts, checked ten times faster.
PLAIN_EMAIL = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.ASCII
)
MINUTES_TEXT = re.compile(r"\d{1,6}", re.ASCII)
NO_VALUE = frozenset({"", "--", "-"})
ATTENDED_ANSWERS = frozenset({"Yes", "No"})


@dataclass(slots=True)
class Person:
    """One person as the file gives them (the rows of their re-joins summed)."""

    row: int
    email: str
    name: str
    organisation: str
    country: str
    role: str | None
    listed: bool | None
    minutes: int | None
    status: str

    def absorb(self, other: Person) -> None:
        """Fold a later row of the same person into this one."""
        if other.minutes is not None:
            self.minutes = (self.minutes or 0) + other.minutes
        if STATUS_RANK[other.status] > STATUS_RANK[self.status]:
            self.status = other.status
        self.name = self.name or other.name
        self.organisation = self.organisation or other.organisation
        self.country = self.country or other.country
        self.role = self.role or other.role


class Rejected(Exception):
    """The file cannot be read as an attendance list; the message says why."""


def attendance_import(
    *,
    event: EventPage,
    filename: str,
    content: bytes | Path,
    export_format: str = "",
    write: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Merge an attendance list into ``event`` by email: new people created, known ones updated. ``export_format``
    is recognised from the file when not given. Nothing is written if any row is wrong, or unless ``write``.

    A Path is streamed: memory stays flat in the file's size (batches written inside one transaction; a dry run
    is the same writes rolled back, so it reports exactly what a write would do)."""
    report = ImportReport()
    try:
        chosen, located, label = _located(filename, content, export_format)
    except Rejected as rejected:
        report.errors.append(str(rejected))
        return report
    report.format_label = label
    importer = _Importer(event=event, chosen=chosen, located=located, report=report, progress=progress)
    with transaction.atomic():
        try:
            importer.run()
        except UnreadableFile as error:  # a row that cannot be read stops the reading
            report.errors.append(str(error))
        if not report.errors and report.rows == 0:
            report.errors.append("The file has a header but no data rows.")
        if report.errors or not write:
            transaction.set_rollback(True)
    if report.errors:
        report.created = report.updated = report.unchanged = 0
        return report
    report.notes = located.notes() + importer.notes()
    report.written = write
    return report


def _located(filename: str, content: bytes | Path, export_format: str) -> tuple[ExportFormat, Located, str]:
    try:
        tables = open_tables(filename, content)
        if export_format:
            chosen = formats.get(export_format, kind=f.KIND)
            return chosen, chosen.locate(tables), chosen.label
        chosen, located = formats.recognise(tables, kind=f.KIND)
    except (UnreadableFile, UnknownFormat) as error:
        raise Rejected(str(error)) from None
    return chosen, located, f"{chosen.label} (recognised from the file)"


class _Importer:
    """One pass over the rows: parse, fold re-joins together, and write people in batches."""

    def __init__(self, *, event, chosen: ExportFormat, located: Located, report: ImportReport, progress):
        self.event, self.format, self.located, self.report = event, chosen, located, report
        self.progress = progress
        self.strict = chosen.options.get("strict", False)
        self.sum_minutes = chosen.options.get("sum_minutes", False)
        self.sections = chosen.options.get("sections", {})
        self.section_role: str | None = None
        self.header = located.header
        self.positions = dict(located.positions)
        for cells in located.lines_above:  # the first section's title is above the header the format found
            self._section_title(cells)
        if chosen.options.get("questions"):
            self._match_questions()
        self._positions_changed()
        # Addresses already on the event, lower-cased (an address typed in the admin as Ann@Example.org is the
        # same person) → as stored. Bounded by the event, not the file.
        self.existing = {
            e.lower(): e for e in event.participants.exclude(email="").values_list("email", flat=True)
        }
        self.existing_without_email = {
            (name.lower(), organisation.lower())
            for name, organisation in event.participants.filter(email="").values_list(
                "name", "organisation_name"
            )
        }
        # Only rows without an email are remembered whole (today's rule: such a row may not repeat another).
        self.seen_without_email: dict[tuple, int] = {}
        # Known people this import has reached: email → (their values before it, whether it changed them), so
        # that one whose rows span several batches is counted once (bounded by the event, not the file).
        self.touched: dict[str, tuple[tuple, bool]] = {}
        self.recurred: set[str] = set()
        self.pending: dict[str, Person] = {}
        self.pending_without_email: list[Person] = []
        self.country_cache: dict[str, str | None] = {}
        self.unknown_countries: dict[str, int] = {}
        self.without_country = 0
        self.no_shows = 0

    # Reading ------------------------------------------------------------------------------------------------

    def _match_questions(self) -> None:
        """Columns for the form's questions that no usual wording named, by the words they contain."""
        taken = set(self.positions.values())
        for key, words in QUESTION_WORDS:
            if key in self.positions:
                continue
            for index, text in enumerate(self.header):
                if index not in taken and words.search(column_key(text)):
                    self.positions[key] = index
                    taken.add(index)
                    break

    def _positions_changed(self) -> None:
        self.pick = itemgetter(*(self.positions.get(key, -1) for key in PICKED))
        self.width = max(self.positions.values()) + 1

    def _column(self, key: str) -> str:
        return self.header[self.positions[key]]

    def _problem(self, number: int, key: str, why: str) -> None:
        if len(self.report.errors) < MAX_ERRORS:
            self.report.errors.append(
                f"Row {number}: {self._column(key)}: {why}" if key else f"Row {number}: {why}"
            )
        elif len(self.report.errors) == MAX_ERRORS:
            self.report.errors.append(
                f"Stopped listing problems after {MAX_ERRORS}; fix these and try again."
            )

    def _section_line(self, cells: list[str]) -> bool:
        """A sectioned report's title line ("Panelist Details") or a section's own header: not a person."""
        if cells and cells[0] in ATTENDED_ANSWERS:  # nearly every row: a person, not a title or a header
            return False
        if self._section_title(cells):
            return True
        first = column_key(cells[0]) if cells else ""
        if first == column_key(self.header[0]) and self.format.columns[0].matches([first]) is not None:
            keys = [column_key(c) for c in cells]
            self.header = [c.strip() for c in cells]
            self.positions = {c.key: p for c in self.format.columns if (p := c.matches(keys)) is not None}
            self._positions_changed()
            return True
        return False

    def _section_title(self, cells: list[str]) -> bool:
        first = column_key(cells[0]) if cells else ""
        if first in self.sections and not any(c.strip() for c in cells[1:]):
            self.section_role = self.sections[first] or None
            return True
        return False

    def _country(self, number: int, text: str, key: str) -> str | None:
        """The ISO code of a country cell; None when it is not a country (an error only in Yearbook lists)."""
        if text in self.country_cache:
            code = self.country_cache[text]
        else:
            upper = text.upper()
            code = upper if len(upper) == 2 and upper in countries else None
            code = code or COUNTRY_ALIASES.get(text.lower()) or _country_by_name(text)
            self.country_cache[text] = code
        if code is None:
            if self.strict:
                self._problem(number, key, f"{text!r} is not a known country name or ISO code")
            else:
                self.unknown_countries[text] = self.unknown_countries.get(text, 0) + 1
        return code

    def parse(self, number: int, cells: list[str]) -> Person | None:
        if len(cells) < self.width:  # a row shorter than a later section's wider header
            cells = cells + [""] * (self.width - len(cells))
        # One C call picks every cell the formats read; a column the file lacks reads the "" appended here.
        cells.append("")
        (name, first, last, email_text, organisation, country_text, guessed, role_text, listed_text, minutes_text,
         attended_text, status_text, checked_in) = map(str.strip, self.pick(cells))  # fmt: skip
        if self.sum_minutes and name.endswith(")") and " (" in name:
            name = name[: name.rindex(" (")]  # Zoom's "Shown Name (Original Name)": the name the person chose
        if (first or last) and not (first in name and last in name):
            # The name given at registration, unless the name shown holds it (王芳 for 芳 and 王, family first).
            name = f"{first} {last}".strip()
        email = email_text.lower()
        if not name and not email:
            if self.strict:
                self._problem(number, f.NAME, "empty")
            else:
                self.report.skip(number, "no name and no email")
            return None
        if not name:
            name = email.split("@")[0]
        if len(name) > NAME_MAX_LENGTH:
            self._problem(number, f.NAME, f"has {len(name)} characters; the limit is {NAME_MAX_LENGTH}")
        if len(organisation) > ORGANISATION_MAX_LENGTH:
            limit = ORGANISATION_MAX_LENGTH
            self._problem(number, f.ORGANISATION, f"has {len(organisation)} characters; the limit is {limit}")
        if email:
            if len(email) > EMAIL_MAX_LENGTH:
                self._problem(
                    number, f.EMAIL, f"has {len(email)} characters; the limit is {EMAIL_MAX_LENGTH}"
                )
            elif not PLAIN_EMAIL.fullmatch(
                email
            ):  # the plain shape Django accepts too; anything else is asked
                try:
                    validate_email(email)
                except ValidationError:
                    self._problem(number, f.EMAIL, f"{email_text!r} is not an email address")
        country = ""
        if country_text and country_text not in NO_VALUE:
            country = self._country(number, country_text, f.COUNTRY) or ""
        elif guessed and guessed not in NO_VALUE:
            country = self._country(number, guessed, f.COUNTRY_GUESSED) or ""
        elif self.strict:
            self._problem(number, f.COUNTRY, "empty")
        role = self.section_role
        if f.ROLE in self.positions:
            role = ROLE_BY_LABEL.get(role_text.lower() or ParticipantRole.PRACTITIONER)
            if role is None:
                self._problem(
                    number, f.ROLE, f"{role_text!r} is not one of {', '.join(ParticipantRole.values)}"
                )
        listed = None
        if f.LISTED in self.positions:
            listed = yes_no(listed_text)
            if listed is None and not self.strict:
                listed = False  # consent is given in words the list does not know ("Oui"): not taken as given
            elif listed is None:
                self._problem(number, f.LISTED, f"{listed_text!r} is not yes or no; {YES_NO_HELP}")
        minutes = None
        if f.MINUTES in self.positions:
            if MINUTES_TEXT.fullmatch(minutes_text):
                minutes = int(minutes_text)
            elif minutes_text in NO_VALUE:
                minutes = 0 if self.sum_minutes else None
            else:
                self._problem(number, f.MINUTES, f"{minutes_text!r} is not a whole number of minutes")
        status = self._status(number, minutes, attended_text, status_text, checked_in)
        # A row with problems is still handed on, so that its email is checked against the other rows; nothing
        # is written once there is a problem.
        return Person(
            number,
            email,
            name,
            organisation,
            country,
            role,
            listed,
            minutes,
            status or ParticipantStatus.REGISTERED,
        )

    def _status(
        self, number: int, minutes: int | None, attended_text: str, status_text: str, checked_in: str
    ) -> str | None:
        how = self.format.options.get("status", "attended")
        if how == "zoom-webinar":
            attended = yes_no(attended_text)
            if attended is None:
                self._problem(number, f.ATTENDED, f"{attended_text!r} is not Yes or No")
                return None
            # A registrant listed with "Attended: No" never joined; time in the session says otherwise.
            return ParticipantStatus.ATTENDED if attended or (minutes or 0) > 0 else ParticipantStatus.NO_SHOW
        if how == "eventbrite":
            if yes_no(checked_in):
                return ParticipantStatus.ATTENDED
            if not status_text:
                return ParticipantStatus.REGISTERED
            status = EVENTBRITE_STATUSES.get(status_text.lower())
            if status is None:
                known = ", ".join(EVENTBRITE_STATUSES)
                self._problem(number, f.ATTENDEE_STATUS, f"{status_text!r} is not one of {known}")
            return status
        return ParticipantStatus.ATTENDED

    def people(self) -> Iterator[Person]:
        """The file's people, consecutive rows of one person (a Zoom re-join) folded into one."""
        current: Person | None = None
        since_progress = 0
        # No totals rows to look for: an attendance list has none, and a person may be called Total.
        for number, cells in self.located.rows:
            since_progress += 1
            if self.progress and since_progress >= BATCH_SIZE:
                self.progress(since_progress)
                since_progress = 0
            if self.sections and self._section_line(cells):
                continue
            self.report.rows += 1
            person = self.parse(number, cells)
            if person is None:
                continue
            if current is not None and self.sum_minutes and _same(current, person):
                current.absorb(person)
                continue
            if current is not None:
                yield current
            current = person
        if current is not None:
            yield current
        if self.progress and since_progress:
            self.progress(since_progress)

    # Writing ------------------------------------------------------------------------------------------------

    def run(self) -> None:
        for person in self.people():
            if person.email:
                earlier = self.pending.get(person.email)
                if earlier is None:
                    self.pending[person.email] = person
                elif self.strict:
                    self._twice(person, f"(first on row {earlier.row})")
                else:
                    earlier.absorb(person)
            else:
                self._without_email(person)
            if len(self.pending) + len(self.pending_without_email) >= BATCH_SIZE:
                self.flush()
        self.flush()
        self._reclassify_recurred()

    def _twice(self, person: Person, where: str) -> None:
        self._problem(person.row, f.EMAIL, f"{person.email} appears twice in this file {where}")

    def _without_email(self, person: Person) -> None:
        """Today's rules for a person without email: not a repeat of a row, nor of someone on the event."""
        same = (person.name.lower(), person.organisation.lower(), person.country, person.role, person.listed)
        if same in self.seen_without_email:
            self._problem(person.row, "", f"the row repeats row {self.seen_without_email[same]}")
            return
        self.seen_without_email[same] = person.row
        if (person.name.lower(), person.organisation.lower()) in self.existing_without_email:
            self._problem(
                person.row,
                f.NAME,
                f"{person.name!r} ({person.organisation or 'no organisation'}) is already a participant of this "
                "event; add an email to tell two people apart",
            )
            return
        self.pending_without_email.append(person)

    def flush(self) -> None:
        if self.report.errors:  # the transaction will be rolled back: keep reading to explain, stop writing
            self.pending, self.pending_without_email = {}, []
            return
        stored = [self.existing.get(e, e) for e in self.pending]
        found = {p.email.lower(): p for p in _by_email(self.event, stored)}
        new, changed = list(self.pending_without_email), []
        for email, person in self.pending.items():
            participant = found.get(email)
            if participant is None:
                new.append(person)
            elif email not in self.existing:  # created by an earlier batch of this import
                if self.strict:
                    self._twice(person, "(on an earlier row too)")
                    continue
                _fold_into(participant, person)
                changed.append(participant)
            elif email in self.touched:  # a known person updated by an earlier batch of this import
                if self.strict:
                    self._twice(person, "(on an earlier row too)")
                    continue
                _fold_into(participant, person)
                self.recurred.add(email)
                changed.append(participant)
            else:
                before = _values(participant)
                _apply(participant, person)
                self.touched[email] = (before, _values(participant) != before)
                if not self.touched[email][1]:
                    self.report.unchanged += 1
                else:
                    self.report.updated += 1
                    self.report.change(_describe_change(participant, before))
                    changed.append(participant)
        if not self.report.errors:
            self._create(new)
            if changed:
                Participant.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=500)
        self.pending, self.pending_without_email = {}, []

    def _create(self, people: list[Person]) -> None:
        """New people in one prepared INSERT: the ORM's bulk_create costs four times as much per row."""
        if not people:
            return
        registered_at = REGISTERED_AT.get_db_prep_value(timezone.now(), connection)
        values = []
        for person in people:
            values.append(
                (
                    self.event.pk,
                    person.name,
                    person.email,
                    person.organisation,
                    person.country,
                    person.role or ParticipantRole.PRACTITIONER,
                    bool(person.listed),
                    person.status,
                    registered_at,
                    person.minutes,
                )
            )
            self.no_shows += person.status == ParticipantStatus.NO_SHOW
            self.without_country += not person.country
            if len(self.report.changes) < LISTED:
                self.report.change(f"New: {_describe(person)}")
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_SQL, values)
        self.report.created += len(people)

    def _reclassify_recurred(self) -> None:
        """Known people whose rows were in several batches: compared once more, with all their rows counted."""
        if self.report.errors or not self.recurred:
            return
        stored = [self.existing[e] for e in self.recurred]
        for participant in _by_email(self.event, stored):
            before, changed_then = self.touched[participant.email.lower()]
            # Counted once already, at the first batch that held them, from part of their rows.
            if changed_then:
                self.report.updated -= 1
                prefix = f"{participant.name} <{participant.email}>:"
                self.report.changes = [c for c in self.report.changes if not c.startswith(prefix)]
            else:
                self.report.unchanged -= 1
            if _values(participant) == before:
                self.report.unchanged += 1
            else:
                self.report.updated += 1
                self.report.change(_describe_change(participant, before))

    def notes(self) -> list[str]:
        found = []
        if self.no_shows:
            found.append(
                f"{self.no_shows} registrant(s) who did not attend recorded as “registered, did not attend”"
            )
        if self.without_country:
            found.append(f"{self.without_country} new participant(s) without a country (the file gives none)")
        if self.unknown_countries:
            names = ", ".join(f"{name!r} ({n})" for name, n in sorted(self.unknown_countries.items())[:10])
            found.append(f"countries not recognised, left empty: {names}")
        return found


def _country_by_name(text: str) -> str | None:
    """The code of a country named in English or in a language the forms are filled in (Sénégal, Alemania)."""
    for language in COUNTRY_LANGUAGES:
        if code := countries.by_name(text, language=language):
            return code
    return None


INSERTED_FIELDS = (
    "event",
    "name",
    "email",
    "organisation_name",
    "country",
    "role",
    "listed_publicly",
    "status",
    "registered_at",
    "minutes_attended",
)
REGISTERED_AT = Participant._meta.get_field("registered_at")
# Table and column names from the model; every value is a parameter.
INSERT_SQL = "INSERT INTO {table} ({columns}) VALUES ({placeholders})".format(  # noqa: S608
    table=connection.ops.quote_name(Participant._meta.db_table),
    columns=", ".join(
        connection.ops.quote_name(Participant._meta.get_field(f).column) for f in INSERTED_FIELDS
    ),
    placeholders=", ".join(["%s"] * len(INSERTED_FIELDS)),
)

# The cells parse() reads, in its order.
PICKED = (
    f.NAME,
    f.FIRST_NAME,
    f.LAST_NAME,
    f.EMAIL,
    f.ORGANISATION,
    f.COUNTRY,
    f.COUNTRY_GUESSED,
    f.ROLE,
    f.LISTED,
    f.MINUTES,
    f.ATTENDED,
    f.ATTENDEE_STATUS,
    f.CHECKED_IN,
)

UPDATED_FIELDS = ["status", "organisation_name", "country", "role", "listed_publicly", "minutes_attended"]


def _by_email(event: EventPage, emails: list[str]):
    # The "email is not empty" term lets SQLite use the unique (event, email) index, whose condition it is;
    # without it every batch scans all of the event's participants.
    return event.participants.filter(email__in=emails).exclude(email="").order_by()


def _same(a: Person, b: Person) -> bool:
    if a.email or b.email:
        return a.email == b.email
    return (a.name.lower(), a.organisation.lower()) == (b.name.lower(), b.organisation.lower())


def _values(participant: Participant) -> tuple:
    return tuple(getattr(participant, name) for name in UPDATED_FIELDS)


def _status_after(current: str, incoming: str) -> str:
    """A known person's status after the file: attendance is never undone; a no-show keeps a cancellation."""
    if ParticipantStatus.ATTENDED in (current, incoming):
        return ParticipantStatus.ATTENDED
    if incoming == ParticipantStatus.NO_SHOW and current in (
        ParticipantStatus.CANCELLED,
        ParticipantStatus.WAITLISTED,
    ):
        return current
    return incoming


def _apply(participant: Participant, person: Person) -> None:
    """A known person as the file has them (blank cells leave what the event holds)."""
    participant.status = _status_after(participant.status, person.status)
    participant.organisation_name = person.organisation or participant.organisation_name
    participant.country = person.country or participant.country
    if person.role:
        participant.role = person.role
    if person.listed is not None:
        participant.listed_publicly = person.listed
    if person.minutes is not None:
        participant.minutes_attended = person.minutes


def _fold_into(participant: Participant, person: Person) -> None:
    """A later batch's rows of someone this import has already written: their minutes add up."""
    if person.minutes is not None:
        participant.minutes_attended = (participant.minutes_attended or 0) + person.minutes
    if STATUS_RANK.get(person.status, 0) > STATUS_RANK.get(participant.status, 0):
        participant.status = _status_after(participant.status, person.status)
    participant.organisation_name = participant.organisation_name or person.organisation
    participant.country = participant.country or person.country


def _describe(person: Person) -> str:
    minutes = f", {person.minutes} min" if person.minutes is not None else ""
    who = f"{person.name} <{person.email}>" if person.email else person.name
    return f"{who} ({ParticipantStatus(person.status).label.lower()}{minutes})"


def _describe_change(participant: Participant, before: tuple) -> str:
    parts = []
    for name, old, new in zip(UPDATED_FIELDS, before, _values(participant), strict=True):
        if old != new:
            label = Participant._meta.get_field(name).verbose_name
            parts.append(f"{label} {_shown(old)} → {_shown(new)}")
    return f"{participant.name} <{participant.email}>: " + "; ".join(parts)


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if value in ParticipantStatus.values or value in ParticipantRole.values:
        return str(dict(ParticipantStatus.choices + ParticipantRole.choices)[value]).lower()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
