"""Writes for the network: the all-or-nothing organisation import, and the export in the same columns."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from core.tabular import YES_NO_HELP, ImportReport, read_rows, yes_no
from network.models import FocusArea, Organisation, OrganisationAlias, OrganisationKind, Region

COLUMNS = [
    "name",
    "short_name",
    "kind",
    "country",
    "city",
    "region",
    "founded_year",
    "joined_on",
    "left_on",
    "website",
    "focus_areas",
    "aliases",
    "description",
]


FIRST_FOUNDED_YEAR = 1800
DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE_NUMBER = re.compile(r"[+-]?\d{1,9}(?:\.0*)?")


def _date(value: str, column: str, problems: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        if not DATE_SHAPE.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{column}: {value!r} is not a date in the form YYYY-MM-DD")
        return None


def _year(value: str, column: str, problems: list[str]) -> int | None:
    if not value:
        return None
    this_year = datetime.date.today().year
    if not WHOLE_NUMBER.fullmatch(value):
        problems.append(f"{column}: {value!r} is not a year (a whole number like 1998)")
        return None
    year = int(value.split(".")[0])
    if not FIRST_FOUNDED_YEAR <= year <= this_year:
        problems.append(f"{column}: {year} is not a year between {FIRST_FOUNDED_YEAR} and {this_year}")
        return None
    return year


def _validation_problems(exc: ValidationError) -> list[str]:
    """ "column: message" lines from a model's ValidationError ("__all__" errors without a column)."""
    lines = []
    for column, messages in exc.message_dict.items():
        for message in messages:
            lines.append(message if column == NON_FIELD_ERRORS else f"{column}: {message}")
    return lines


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


def organisations_import(
    *, filename: str, content: bytes, write: bool = False, progress: Callable[[int], None] = lambda n: None
) -> ImportReport:
    """Check every row as the write would (columns, model validation, constraints, slugs); write nothing unless the
    whole file is valid.

    A row updates the organisation of the same name (compared case-insensitively, the stored spelling is kept) or
    creates one with a new unique slug. Only the columns the file has are written."""
    report = ImportReport()
    regions = {r.name.lower(): r for r in Region.objects.all()} | {r.slug: r for r in Region.objects.all()}
    focus = {f.name.lower(): f for f in FocusArea.objects.all()} | {
        f.slug: f for f in FocusArea.objects.all()
    }
    kinds = {v: v for v in OrganisationKind.values} | {
        label.lower(): v for v, label in OrganisationKind.choices
    }
    existing = {o.name.lower(): o for o in Organisation.objects.all()}
    taken_slugs = {o.slug for o in existing.values() if o.slug}
    alias_length = OrganisationAlias._meta.get_field("name").max_length
    parsed, seen = [], set()
    try:
        for number, row in read_rows(filename, content, required=["name"]):
            progress(number)
            report.rows += 1
            problems: list[str] = []
            bad: set[str] = set()
            name = row["name"]
            if not name:
                problems.append("name: empty")
            elif name.lower() in seen:
                problems.append(f"name: {name!r} appears more than once in the file")
            seen.add(name.lower())
            fields: dict = {}
            if "country" in row:
                code = row["country"].upper()
                if len(code) != 2:
                    code = countries.by_name(row["country"]) or code
                if code not in dict(countries):
                    problems.append(f"country: {row['country']!r} is not an ISO country code or name")
                    bad.add("country")
                fields["country"] = code
            # An empty kind cell keeps an existing organisation's kind; a new organisation is a member by default.
            if row.get("kind") or name.lower() not in existing:
                kind = kinds.get(row.get("kind", "").lower() or OrganisationKind.MEMBER)
                if kind is None:
                    problems.append(
                        f"kind: {row.get('kind')!r} is not one of {', '.join(OrganisationKind.values)}"
                    )
                    bad.add("kind")
                fields["kind"] = kind
            if "region" in row:
                region = None
                if row["region"]:
                    region = regions.get(row["region"].lower())
                    if region is None:
                        problems.append(f"region: {row['region']!r} is not a region of the network")
                fields["region"] = region
            if "founded_year" in row:
                fields["founded_year"] = _year(row["founded_year"], "founded_year", problems)
            for column in ("joined_on", "left_on"):
                if column in row:
                    fields[column] = _date(row[column], column, problems)
            for column in ("short_name", "city", "website", "description"):
                if column in row:
                    fields[column] = row[column]
            areas = None
            if "focus_areas" in row:
                areas = []
                for term in filter(None, (t.strip() for t in row["focus_areas"].split(";"))):
                    if term.lower() not in focus and slugify(term) not in focus:
                        problems.append(f"focus_areas: {term!r} is not in the vocabulary")
                    else:
                        areas.append(focus.get(term.lower()) or focus[slugify(term)])
            aliases = [a.strip() for a in row.get("aliases", "").split(";") if a.strip()]
            for alias in aliases:
                if len(alias) > alias_length:
                    problems.append(
                        f"aliases: an alias has {len(alias)} characters; the limit is {alias_length}"
                    )
            organisation = existing.get(name.lower()) or Organisation(name=name)
            for key, value in fields.items():
                if key not in bad:
                    setattr(organisation, key, value)
            if name and not organisation.slug:
                organisation.slug = _unique_slug(name, taken_slugs)
                taken_slugs.add(organisation.slug)
            founded, joined = organisation.founded_year, organisation.joined_on
            if founded and joined and joined.year < founded:
                problems.append(f"joined_on: {joined} is before the founding year {founded}")
            if joined and organisation.left_on and organisation.left_on < joined:
                problems.append(f"left_on: {organisation.left_on} is before joined_on {joined}")
            if not problems:
                # The checks of the write itself: lengths, URL, choices, constraints, unique name and slug.
                try:
                    organisation.full_clean(exclude=["logo", "parent"])
                except ValidationError as exc:
                    problems.extend(_validation_problems(exc))
            else:
                try:
                    organisation.clean_fields(
                        exclude=["logo", "parent", *bad, *([] if name else ["name", "slug"])]
                    )
                except ValidationError as exc:
                    problems.extend(_validation_problems(exc))
            if problems:
                report.errors.extend(f"Row {number}: {p}" for p in dict.fromkeys(problems))
                continue
            parsed.append((organisation, areas, aliases))
    except ValueError as exc:
        report.errors.append(str(exc))
    if report.errors or not write:
        return report
    with transaction.atomic():
        for organisation, areas, aliases in parsed:
            created = organisation._state.adding
            organisation.save()
            if areas is not None:
                organisation.focus_areas.set(areas)
            for alias in aliases:
                OrganisationAlias.objects.get_or_create(organisation=organisation, name=alias)
            report.created += created
            report.updated += not created
    report.written = True
    return report


def organisations_export_rows() -> Iterator[list[str]]:
    yield COLUMNS
    for o in Organisation.objects.select_related("region").prefetch_related("focus_areas", "aliases"):
        yield [
            o.name,
            o.short_name,
            o.kind,
            o.country.code,
            o.city,
            o.region.name if o.region else "",
            str(o.founded_year or ""),
            str(o.joined_on or ""),
            str(o.left_on or ""),
            o.website,
            "; ".join(f.name for f in o.focus_areas.all()),
            "; ".join(a.name for a in o.aliases.all()),
            o.description,
        ]


PEOPLE_COLUMNS = ["name", "role", "organisation", "region", "may_be_quoted", "email"]


def people_import(
    *, filename: str, content: bytes, write: bool = False, progress: Callable[[int], None] = lambda n: None
) -> ImportReport:
    """People by organisation name or short name (case-insensitive); all rows checked as the write would check
    them, nothing written unless all are valid. A row updates the person of the same name in the same organisation;
    only the columns the file has are written."""
    from django.core.validators import validate_email

    from network.models import Person

    report = ImportReport()
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    organisations |= {o.short_name.lower(): o for o in Organisation.objects.exclude(short_name="")}
    regions = {r.name.lower(): r for r in Region.objects.all()}
    parsed, seen = [], set()
    try:
        for number, row in read_rows(filename, content, required=["name", "organisation"]):
            report.rows += 1
            progress(number)
            problems = []
            bad = {"organisation", "region", "photo"}
            organisation = organisations.get(row["organisation"].lower())
            if organisation is None:
                problems.append(
                    f"organisation: {row['organisation']!r} is not an organisation of the network"
                )
            if not row["name"]:
                problems.append("name: empty")
                bad.add("name")
            # By the organisation found, not as written: "Keoogo" and "Association Keoogo" are one organisation.
            key = (row["name"].lower(), organisation.pk if organisation else row["organisation"].lower())
            if key in seen:
                problems.append(f"name: {row['name']!r} appears twice for the same organisation")
            seen.add(key)
            defaults: dict = {}
            if "region" in row:
                defaults["region"] = regions.get(row["region"].lower()) if row["region"] else None
                if row["region"] and defaults["region"] is None:
                    problems.append(f"region: {row['region']!r} is not a region of the network")
            if "may_be_quoted" in row:
                defaults["may_be_quoted"] = yes_no(row["may_be_quoted"])
                if defaults["may_be_quoted"] is None:
                    problems.append(
                        f"may_be_quoted: {row['may_be_quoted']!r} is not yes or no; {YES_NO_HELP}"
                    )
                    bad.add("may_be_quoted")
            if "email" in row:
                defaults["email"] = row["email"]
                if row["email"]:
                    try:
                        validate_email(row["email"])
                    except ValidationError:
                        problems.append(f"email: {row['email']!r} is not an email address")
                        bad.add("email")
            if "role" in row:
                defaults["role"] = row["role"]
            # Lengths and formats as the database will hold them.
            person = Person(organisation=organisation, name=row["name"], **defaults)
            try:
                person.clean_fields(exclude=sorted(bad))
            except ValidationError as exc:
                problems.extend(_validation_problems(exc))
            if problems:
                report.errors.extend(f"Row {number}: {p}" for p in dict.fromkeys(problems))
                continue
            parsed.append((organisation, row["name"], defaults))
    except ValueError as exc:
        report.errors.append(str(exc))
    if report.errors or not write:
        return report
    with transaction.atomic():
        for organisation, name, defaults in parsed:
            _, created = Person.objects.update_or_create(
                organisation=organisation, name=name, defaults=defaults
            )
            report.created += created
            report.updated += not created
    report.written = True
    return report
