"""Organisation and people imports, from Yearbook's own columns or a CRM's contact export (``import_formats``).

A row changes only what it says: an empty cell keeps the stored value and ``(clear)`` empties the field. Every
row is checked as the write would check it; nothing is written unless the whole file is valid, and a dry run
lists what each row would change."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries
from django_countries.data import COUNTRIES as OFFICIAL_COUNTRY_NAMES

from core.imports.files import Content, open_tables
from core.imports.formats import ExportFormat, formats
from core.imports.report import ImportReport
from core.imports.tables import Located
from core.tabular import YES_NO_HELP, yes_no
from network.import_formats import KIND, ORGANISATIONS, PEOPLE, of_holding
from network.models import FocusArea, Organisation, OrganisationAlias, OrganisationKind, Person, Region

# The cell text that empties a field (an empty cell keeps what is stored).
CLEAR = "(clear)"
FIRST_FOUNDED_YEAR = 1800
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE_NUMBER = re.compile(r"[+-]?\d{1,9}(?:\.0*)?")
ORGANISATION_TEXT_FIELDS = ("short_name", "city", "website", "description")
# Fields every organisation has: a row cannot clear them.
ORGANISATION_REQUIRED = ("name", "slug", "kind", "country")
PERSON_REQUIRED = ("name", "organisation")


def _no_progress(rows: int) -> None:
    """The default ``progress``: called with 1 for every row read."""


def is_clear(text: str) -> bool:
    return text.casefold() == CLEAR


def _cannot_clear(label: str) -> str:
    return f"{label}: {CLEAR} cannot empty {label}, which every record must have"


# Reading --------------------------------------------------------------------------------------------------------


@dataclass
class _Source:
    """The table being imported, its rows as {column key: cell text} and the file's own names for the columns."""

    export_format: ExportFormat
    located: Located
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def rows(self, progress: Callable[[int], None]) -> Iterator[tuple[int, dict[str, str]]]:
        positions = self.located.positions
        for number, cells in self.located.rows:
            progress(1)
            yield number, {key: cells[position].strip() for key, position in positions.items()}

    def other_contact_type(self, row: dict[str, str]) -> str:
        """Why a row of a CRM export is not this importer's contact type (CiviCRM exports every type at once)."""
        wanted = self.export_format.options.get("contact_type", "")
        found = row.get("contact_type", "")
        if wanted and found and found.casefold() != wanted.casefold():
            return f"{self.label('contact_type')} is {found!r}, not {wanted}"
        return ""


def _open(*, filename: str, content: Content, export_format: str, holds: str) -> _Source:
    """The file's table in the format named, or the one recognised among those holding ``holds``; ValueError with a
    message for the person importing otherwise."""
    tables = open_tables(filename, content)
    if export_format:
        chosen = formats.get(export_format, kind=KIND)
        if chosen.options.get("holds") != holds:
            raise ValueError(
                f"The format {chosen.label!r} holds {chosen.options.get('holds')}, not {holds}; "
                f"import the file as {chosen.options.get('holds')}."
            )
        located = chosen.locate(tables)
    else:
        chosen, located = formats.recognise(tables, kind=KIND, among=of_holding(holds))
    labels = {key: located.header[position] for key, position in located.positions.items()}
    return _Source(export_format=chosen, located=located, labels=labels)


def _shown(value) -> str:
    """A stored or parsed value as the change list shows it."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(sorted(str(v) for v in value))
    if hasattr(value, "code"):  # a django-countries Country
        return value.code or ""
    return str(value)


def _change_line(number: int, who: str, changes: list[str], kept: list[str]) -> str:
    parts = changes + ([f"{', '.join(kept)} kept"] if kept else [])
    return f"Row {number}: {who}: {'; '.join(parts)}"


def _validation_problems(exc: ValidationError, label: Callable[[str], str]) -> list[str]:
    """ "column: message" lines from a model's ValidationError ("__all__" errors without a column)."""
    lines = []
    for column, messages in exc.message_dict.items():
        for message in messages:
            lines.append(message if column == NON_FIELD_ERRORS else f"{label(column)}: {message}")
    return lines


# Cells ----------------------------------------------------------------------------------------------------------


def _date(value: str, label: str, problems: list[str]) -> datetime.date | None:
    try:
        if not DATE_SHAPE.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{label}: {value!r} is not a date in the form YYYY-MM-DD")
        return None


def _year(value: str, label: str, problems: list[str]) -> int | None:
    this_year = timezone.localdate().year
    if not WHOLE_NUMBER.fullmatch(value):
        problems.append(f"{label}: {value!r} is not a year (a whole number like 1998)")
        return None
    year = int(value.split(".")[0])
    if not FIRST_FOUNDED_YEAR <= year <= this_year:
        problems.append(f"{label}: {year} is not a year between {FIRST_FOUNDED_YEAR} and {this_year}")
        return None
    return year


def _words(name: str) -> frozenset[str]:
    """A country name as a set of words, so "Tanzania, United Republic of" (CiviCRM) finds "Tanzania, the United
    Republic of" (ISO) and "Côte d’Ivoire" finds "Côte d'Ivoire"."""
    plain = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return frozenset(w for w in re.findall(r"[a-z0-9]+", plain) if w not in {"the", "of"})


@cache
def _country_words() -> dict[frozenset[str], str]:
    found = {_words(str(name)): code for code, name in OFFICIAL_COUNTRY_NAMES.items()}
    return found | {_words(str(name)): code for code, name in countries}


@functools.lru_cache(maxsize=4096)
def country_code(text: str) -> str:
    """The ISO code of a country given by code (2 or 3 letters) or by its English name, common or official; ""."""
    code = countries.alpha2(text.strip())
    if not code:
        code = countries.by_name(text.strip()) or _country_words().get(_words(text), "")
    return code


def _unique_slug(name: str, taken: set[str]) -> str:
    """slugify(name), or name-2, name-3… when another organisation (in the DB or the file) has it."""
    max_length = Organisation._meta.get_field("slug").max_length
    base = slugify(name)[:max_length].strip("-") or "organisation"
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug


# Organisations --------------------------------------------------------------------------------------------------


@dataclass
class _OrganisationRow:
    organisation: Organisation
    created: bool
    changed: bool  # a field of the organisation itself
    areas: list[FocusArea] | None  # the focus areas to set, when they change
    new_aliases: list[str]
    clear_aliases: bool

    @property
    def updated(self) -> bool:
        return not self.created and (
            self.changed or self.areas is not None or bool(self.new_aliases) or self.clear_aliases
        )


def _kinds() -> dict[str, str]:
    return {v: v for v in OrganisationKind.values} | {
        label.lower(): v for v, label in OrganisationKind.choices
    }


class _OrganisationChecker:
    """Checks rows one by one against the database and the rows before them."""

    def __init__(self, source: _Source, declared_kind: str):
        self.source = source
        self.label = source.label
        self.declared_kind = declared_kind
        self.kinds = _kinds()
        self.regions = {r.name.lower(): r for r in Region.objects.all()} | {
            r.slug: r for r in Region.objects.all()
        }
        focus = FocusArea.objects.all()
        self.focus = {f.name.lower(): f for f in focus} | {f.slug: f for f in focus}
        organisations = Organisation.objects.select_related("region").prefetch_related(
            "focus_areas", "aliases"
        )
        self.existing = {o.name.lower(): o for o in organisations}
        self.taken_slugs = {o.slug for o in self.existing.values() if o.slug}
        self.alias_length = OrganisationAlias._meta.get_field("name").max_length
        self.seen: set[str] = set()

    def parse(self, key: str, text: str, problems: list[str]):
        """The value of a non-empty cell; None with a problem recorded when it cannot be read."""
        label = self.label(key)
        if key in ORGANISATION_TEXT_FIELDS or key == "slug":
            return text
        if key == "kind":
            kind = self.kinds.get(text.lower())
            if kind is None:
                problems.append(f"{label}: {text!r} is not one of {', '.join(OrganisationKind.values)}")
            return kind
        if key == "country":
            code = country_code(text)
            if not code:
                problems.append(f"{label}: {text!r} is not an ISO country code or name")
            return code or None
        if key == "region":
            region = self.regions.get(text.lower())
            if region is None:
                problems.append(f"{label}: {text!r} is not a region of the network")
            return region
        if key == "founded_year":
            return _year(text, label, problems)
        if key in ("joined_on", "left_on"):
            return _date(text, label, problems)
        if key == "focus_areas":
            areas = []
            for term in filter(None, (t.strip() for t in text.split(";"))):
                area = self.focus.get(term.lower()) or self.focus.get(slugify(term))
                if area is None:
                    problems.append(f"{label}: {term!r} is not in the vocabulary")
                else:
                    areas.append(area)
            return areas
        if key == "aliases":
            aliases = list(dict.fromkeys(a.strip() for a in text.split(";") if a.strip()))
            for alias in aliases:
                if len(alias) > self.alias_length:
                    problems.append(
                        f"{label}: an alias has {len(alias)} characters; the limit is {self.alias_length}"
                    )
            return aliases
        raise KeyError(key)

    @staticmethod
    def empty(key: str):
        return [] if key in ("focus_areas", "aliases") else "" if key in ORGANISATION_TEXT_FIELDS else None

    def check(self, number: int, row: dict[str, str], report: ImportReport) -> _OrganisationRow | None:
        problems: list[str] = []
        name = row["name"]
        if not name:
            problems.append(f"{self.label('name')}: empty")
        elif is_clear(name):
            problems.append(_cannot_clear(self.label("name")))
        elif name.lower() in self.seen:
            problems.append(f"{self.label('name')}: {name!r} appears more than once in the file")
        self.seen.add(name.lower())
        existing = self.existing.get(name.lower())
        organisation = existing or Organisation(name=name)
        original_slug = organisation.slug
        values: dict = {}
        kept: list[str] = []
        bad: set[str] = set()  # fields whose cell could not be read: the model's checks would only repeat it
        for key, text in row.items():
            if key in ("name", "contact_type"):
                continue
            if not text:
                if existing and _shown(self.stored(organisation, key)):
                    kept.append(self.label(key))
                continue
            if is_clear(text):
                if key in ORGANISATION_REQUIRED:
                    problems.append(_cannot_clear(self.label(key)))
                else:
                    values[key] = self.empty(key)
                continue
            before = len(problems)
            value = self.parse(key, text, problems)
            if len(problems) == before:
                values[key] = value
            else:
                bad.add(key)
        if existing is None:
            bad |= self.new_organisation_defaults(values, row, problems)
        # The values as the organisation would hold them, and what that changes.
        changes = []
        scalar_changed = False
        areas = values.pop("focus_areas", None)
        aliases = values.pop("aliases", None)
        for key, value in values.items():
            old = getattr(organisation, key)
            if _shown(old) != _shown(value):
                changes.append(f"{self.label(key)} {_shown(old)!r} → {_shown(value)!r}")
                scalar_changed = True
                setattr(organisation, key, value)
        if name and not organisation.slug:
            organisation.slug = _unique_slug(name, self.taken_slugs)
        elif organisation.slug != original_slug and organisation.slug in self.taken_slugs:
            problems.append(f"{self.label('slug')}: {organisation.slug!r} is another organisation's slug")
        self.taken_slugs.add(organisation.slug)
        stored_areas = set(organisation.focus_areas.all()) if existing else set()
        if areas is not None and set(areas) == stored_areas:
            areas = None
        elif areas is not None:
            changes.append(f"{self.label('focus_areas')} {_shown(stored_areas)!r} → {_shown(areas)!r}")
        stored_aliases = [a.name for a in organisation.aliases.all()] if existing else []
        clear_aliases = aliases == [] and bool(stored_aliases)
        new_aliases = [a for a in aliases or [] if a not in stored_aliases]
        if clear_aliases:
            changes.append(f"{self.label('aliases')} {_shown(stored_aliases)!r} → ''")
        elif new_aliases:
            changes.append(f"{self.label('aliases')} + {_shown(new_aliases)!r}")
        self.check_dates(organisation, problems)
        if not problems:
            # The checks of the write itself: lengths, URL, choices, constraints, unique name and slug.
            try:
                organisation.full_clean(exclude=["logo", "parent"])
            except ValidationError as exc:
                problems.extend(_validation_problems(exc, self.label))
        else:
            try:
                unnamed = ["name", "slug"] if not name or is_clear(name) else []
                organisation.clean_fields(exclude=["logo", "parent", *bad, *unnamed])
            except ValidationError as exc:
                problems.extend(_validation_problems(exc, self.label))
        if problems:
            report.errors.extend(f"Row {number}: {p}" for p in dict.fromkeys(problems))
            return None
        if existing is None:
            report.change(
                f"Row {number}: {name}: new organisation ({organisation.kind}, {_shown(organisation.country)})"
            )
        elif changes:
            report.change(_change_line(number, existing.name, changes, kept))
        return _OrganisationRow(
            organisation=organisation,
            created=existing is None,
            changed=scalar_changed,
            areas=areas,
            new_aliases=new_aliases,
            clear_aliases=clear_aliases,
        )

    @staticmethod
    def stored(organisation: Organisation, key: str):
        if key == "focus_areas":
            return list(organisation.focus_areas.all())
        if key == "aliases":
            return [a.name for a in organisation.aliases.all()]
        return getattr(organisation, key, None)

    def new_organisation_defaults(self, values: dict, row: dict[str, str], problems: list[str]) -> set[str]:
        """A new organisation's kind comes from its row or the import's declared kind; its country from its row.
        Returns the fields left unset."""
        unset = set()
        if not row.get("kind"):
            if self.declared_kind:
                values["kind"] = self.declared_kind
            else:
                problems.append(
                    f"{self.label('kind')}: empty for a new organisation; give its kind in a kind column, or "
                    "declare the kind of the file's new organisations (--kind, or the upload's choice)"
                )
                unset.add("kind")
        if not row.get("country"):
            problems.append(
                f"{self.label('country')}: empty, and a new organisation needs its country (an ISO code or name)"
            )
            unset.add("country")
        return unset

    def check_dates(self, organisation: Organisation, problems: list[str]) -> None:
        founded, joined = organisation.founded_year, organisation.joined_on
        if founded and joined and joined.year < founded:
            problems.append(f"{self.label('joined_on')}: {joined} is before the founding year {founded}")
        if joined and organisation.left_on and organisation.left_on < joined:
            problems.append(f"{self.label('left_on')}: {organisation.left_on} is before joined_on {joined}")


def _civicrm_organisation_row(row: dict[str, str], source: _Source) -> None:
    """A CRM's legal name, when it differs from the name, is another name media monitoring looks for."""
    legal = row.pop("legal_name", "")
    if legal and not is_clear(legal) and legal.casefold() != row["name"].casefold():
        row["aliases"] = "; ".join(filter(None, [row.get("aliases", ""), legal]))
        source.labels.setdefault("aliases", source.label("legal_name"))


@dataclass
class _Counts:
    """How many checked rows create, update or leave a record as it is."""

    rows: int = 0
    created: int = 0
    updated: int = 0

    def add(self, *, created: bool, updated: bool) -> None:
        self.rows += 1
        self.created += bool(created)
        self.updated += bool(updated and not created)


def _counted(report: ImportReport, counts: _Counts) -> bool:
    """Count the checked rows into the report; False (the import stops) when it has errors or no rows."""
    if not report.rows:
        report.errors.append("The file has no data rows.")
    if report.errors:
        report.changes.clear()
        return False
    report.created, report.updated = counts.created, counts.updated
    report.unchanged = counts.rows - counts.created - counts.updated
    return True


def organisations_import(
    *,
    filename: str,
    content: Content,
    write: bool = False,
    progress: Callable[[int], None] = _no_progress,
    kind: str = "",
    export_format: str = "",
) -> ImportReport:
    """Check every row as the write would; write nothing unless the whole file is valid.

    A row updates the organisation of the same name (case-insensitively, the stored spelling kept) or creates one;
    ``kind`` is the kind of new organisations whose row gives none. ``export_format`` names a format of
    ``network.import_formats``; the file's is recognised when it is empty."""
    report = ImportReport()
    declared_kind = _kinds().get(kind.strip().lower(), "") if kind else ""
    if kind and not declared_kind:
        report.errors.append(
            f"The declared kind {kind!r} is not one of {', '.join(OrganisationKind.values)}; nothing was read."
        )
        return report
    checked = _Counts()
    try:
        # Rows are written as they pass, inside one transaction rolled back when any row fails (or for a dry
        # run), so memory does not grow with the file.
        with transaction.atomic():
            source = _open(
                filename=filename, content=content, export_format=export_format, holds=ORGANISATIONS
            )
            report.format_label = source.export_format.label
            checker = _OrganisationChecker(source, declared_kind)
            for number, row in source.rows(progress):
                report.rows += 1
                if reason := source.other_contact_type(row):
                    report.skip(number, reason)
                    continue
                _civicrm_organisation_row(row, source)
                if found := checker.check(number, row, report):
                    checked.add(created=found.created, updated=found.updated)
                    if write and not report.errors:
                        _write_organisation(found)
            report.notes.extend(source.located.notes())
            if not _counted(report, checked) or not write:
                transaction.set_rollback(True)
                return report
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    report.written = True
    return report


def _write_organisation(row: _OrganisationRow) -> None:
    organisation = row.organisation
    if row.created or row.changed:
        organisation.save()
    if row.areas is not None:
        organisation.focus_areas.set(row.areas)
    if row.clear_aliases:
        organisation.aliases.all().delete()
    for alias in row.new_aliases:
        OrganisationAlias.objects.get_or_create(organisation=organisation, name=alias)


# People ---------------------------------------------------------------------------------------------------------


@dataclass
class _PersonRow:
    person: Person
    created: bool
    changed: bool


def _person_name(row: dict[str, str], source: _Source) -> str:
    """The name of a Yearbook row, or a CRM's first and last names (its display name when both are empty)."""
    if "first_name" in row or "last_name" in row or "display_name" in row:
        first_last = " ".join(filter(None, (row.pop("first_name", ""), row.pop("last_name", ""))))
        return first_last or row.pop("display_name", "")
    return row["name"]


def people_import(
    *,
    filename: str,
    content: Content,
    write: bool = False,
    progress: Callable[[int], None] = _no_progress,
    export_format: str = "",
) -> ImportReport:
    """People by organisation name, short name or alias (case-insensitive); every row checked as the write would
    check it, nothing written unless all are valid. A row updates the person of the same name in the same
    organisation, changing only the cells it fills."""
    report = ImportReport()
    try:
        source = _open(filename=filename, content=content, export_format=export_format, holds=PEOPLE)
        report.format_label = source.export_format.label
        if "name" not in source.labels:
            names = [
                source.labels[k] for k in ("first_name", "last_name", "display_name") if k in source.labels
            ]
            if not names:
                raise ValueError(
                    "The file has no First Name, Last Name or Display Name column; a person needs a name."
                )
            source.labels["name"] = " + ".join(names)
        checked = _check_people(source, report, progress)
        report.notes.extend(source.located.notes())
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    counts = _Counts()
    for person in checked:
        counts.add(created=person.created, updated=person.changed)
    if not _counted(report, counts):
        return report
    if write:
        with transaction.atomic():
            for row in checked:
                if row.created or row.changed:
                    row.person.save()
        report.written = True
    return report


def _check_people(source: _Source, report: ImportReport, progress: Callable[[int], None]) -> list[_PersonRow]:
    label = source.label
    skip_unknown = source.export_format.options.get("unknown_organisation") == "skip"
    organisations = {
        a.name.lower(): a.organisation for a in OrganisationAlias.objects.select_related("organisation")
    }
    organisations |= {o.short_name.lower(): o for o in Organisation.objects.exclude(short_name="")}
    organisations |= {o.name.lower(): o for o in Organisation.objects.all()}
    regions = {r.name.lower(): r for r in Region.objects.all()} | {r.slug: r for r in Region.objects.all()}
    people = {(p.organisation_id, p.name.lower()): p for p in Person.objects.select_related("region")}
    checked, seen = [], set()
    for number, row in source.rows(progress):
        report.rows += 1
        if reason := source.other_contact_type(row):
            report.skip(number, reason)
            continue
        name = _person_name(row, source)
        named = row["organisation"]
        problems: list[str] = []
        organisation = organisations.get(named.lower())
        if not named or is_clear(named):
            if skip_unknown:
                report.skip(number, f"{label('organisation')} is empty: a person belongs to an organisation")
                continue
            problems.append(f"{label('organisation')}: empty; a person belongs to an organisation")
        elif organisation is None:
            if skip_unknown:
                report.skip(
                    number, f"{label('organisation')} {named!r} is not an organisation of the network"
                )
                continue
            problems.append(f"{label('organisation')}: {named!r} is not an organisation of the network")
        if not name:
            problems.append(f"{label('name')}: empty")
        elif is_clear(name):
            problems.append(_cannot_clear(label("name")))
        # By the organisation found, not as written: "Keoogo" and "Association Keoogo" are one organisation.
        key = (organisation.pk if organisation else named.lower(), name.lower())
        if key in seen:
            problems.append(f"{label('name')}: {name!r} appears twice for the same organisation")
        seen.add(key)
        existing = people.get(key) if organisation else None
        person = existing or Person(organisation=organisation, name=name)
        values: dict = {}
        kept: list[str] = []
        bad = {"organisation", "region", "photo"}
        for column, text in row.items():
            if column in ("name", "organisation", "contact_type", "display_name"):
                continue
            if not text:
                if existing and _shown(getattr(person, column)) not in ("", "False"):
                    kept.append(label(column))
                continue
            clear = is_clear(text)
            if column == "role":
                values["role"] = "" if clear else text
            elif column == "region":
                values["region"] = None if clear else regions.get(text.lower())
                if not clear and values["region"] is None:
                    problems.append(f"{label(column)}: {text!r} is not a region of the network")
                    del values["region"]
            elif column == "may_be_quoted":
                values["may_be_quoted"] = False if clear else yes_no(text)
                if values["may_be_quoted"] is None:
                    problems.append(f"{label(column)}: {text!r} is not yes or no; {YES_NO_HELP}")
                    del values["may_be_quoted"]
                    bad.add("may_be_quoted")
            elif column == "email":
                values["email"] = "" if clear else text
                if not clear:
                    try:
                        validate_email(text)
                    except ValidationError:
                        problems.append(f"{label(column)}: {text!r} is not an email address")
                        bad.add("email")
        changes = []
        for column, value in values.items():
            old = getattr(person, column)
            if _shown(old) != _shown(value):
                if existing:
                    changes.append(f"{label(column)} {_shown(old)!r} → {_shown(value)!r}")
                setattr(person, column, value)
        try:
            # Lengths and formats as the database will hold them.
            person.clean_fields(exclude=sorted(bad | ({"name"} if not name or is_clear(name) else set())))
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, label))
        if problems:
            report.errors.extend(f"Row {number}: {p}" for p in dict.fromkeys(problems))
            continue
        who = f"{existing.name if existing else name} ({organisation.name})"
        if existing is None:
            report.change(f"Row {number}: {who}: new person")
        elif changes:
            report.change(_change_line(number, who, changes, kept))
        checked.append(_PersonRow(person=person, created=existing is None, changed=bool(changes)))
    return checked
