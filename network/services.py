"""Writes for the network: the all-or-nothing organisation import, and the export in the same columns."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.db import transaction
from django.utils.text import slugify
from django_countries import countries

from core.tabular import ImportReport, read_rows
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


def _date(value: str, column: str, problems: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        problems.append(f"{column}: {value!r} is not a date like 2023-03-31")
        return None


def organisations_import(
    *, filename: str, content: bytes, write: bool = False, progress: Callable[[int], None] = lambda n: None
) -> ImportReport:
    """Check every row (country, kind, dates, duplicates); write nothing unless the whole file is valid."""
    report = ImportReport()
    regions = {r.name.lower(): r for r in Region.objects.all()} | {r.slug: r for r in Region.objects.all()}
    focus = {f.name.lower(): f for f in FocusArea.objects.all()} | {
        f.slug: f for f in FocusArea.objects.all()
    }
    kinds = {v: v for v in OrganisationKind.values} | {
        label.lower(): v for v, label in OrganisationKind.choices
    }
    parsed, seen = [], set()
    try:
        for number, row in read_rows(filename, content):
            progress(number)
            if number == 2 and "name" not in row:
                report.errors.append("The header has no 'name' column; expected: " + ", ".join(COLUMNS))
                return report
            if not any(row.values()):
                continue
            report.rows += 1
            problems: list[str] = []
            name = row.get("name", "")
            if not name:
                problems.append("name: empty")
            elif name.lower() in seen:
                problems.append(f"name: {name!r} appears more than once in the file")
            seen.add(name.lower())
            code = row.get("country", "").upper()
            if len(code) != 2:
                code = countries.by_name(row.get("country", "")) or code
            if code not in dict(countries):
                problems.append(f"country: {row.get('country')!r} is not an ISO country code or name")
            kind = kinds.get(row.get("kind", "member").lower() or "member")
            if kind is None:
                problems.append(
                    f"kind: {row.get('kind')!r} is not one of {', '.join(OrganisationKind.values)}"
                )
            region = None
            if row.get("region"):
                region = regions.get(row["region"].lower())
                if region is None:
                    problems.append(f"region: {row['region']!r} is not a region of the network")
            founded = None
            if row.get("founded_year"):
                try:
                    founded = int(float(row["founded_year"]))
                except ValueError:
                    problems.append(f"founded_year: {row['founded_year']!r} is not a year")
            joined = _date(row.get("joined_on", ""), "joined_on", problems)
            left = _date(row.get("left_on", ""), "left_on", problems)
            if founded and joined and joined.year < founded:
                problems.append(f"joined_on: {joined} is before the founding year {founded}")
            if joined and left and left < joined:
                problems.append(f"left_on: {left} is before joined_on {joined}")
            areas = []
            for term in filter(None, (t.strip() for t in row.get("focus_areas", "").split(";"))):
                if term.lower() not in focus and slugify(term) not in focus:
                    problems.append(f"focus_areas: {term!r} is not in the vocabulary")
                else:
                    areas.append(focus.get(term.lower()) or focus[slugify(term)])
            if problems:
                report.errors.extend(f"Row {number}: {p}" for p in problems)
                continue
            parsed.append(
                (
                    {
                        "short_name": row.get("short_name", ""),
                        "kind": kind,
                        "country": code,
                        "city": row.get("city", ""),
                        "region": region,
                        "founded_year": founded,
                        "joined_on": joined,
                        "left_on": left,
                        "website": row.get("website", ""),
                        "description": row.get("description", ""),
                    },
                    name,
                    areas,
                    [a.strip() for a in row.get("aliases", "").split(";") if a.strip()],
                )
            )
    except ValueError as exc:
        report.errors.append(str(exc))
    if report.errors or not write:
        return report
    with transaction.atomic():
        for fields, name, areas, aliases in parsed:
            organisation, created = Organisation.objects.update_or_create(name=name, defaults=fields)
            organisation.full_clean(exclude=["slug", "logo", "parent"])
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


def people_import(*, filename: str, content: bytes, write: bool = False) -> ImportReport:
    """People by organisation name or short name; all rows checked first, nothing written unless all are valid."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from network.models import Person

    report = ImportReport()
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    organisations |= {o.short_name.lower(): o for o in Organisation.objects.exclude(short_name="")}
    regions = {r.name.lower(): r for r in Region.objects.all()}
    parsed, seen = [], set()
    try:
        for number, row in read_rows(filename, content):
            if number == 2 and not {"name", "organisation"} <= set(row):
                report.errors.append(
                    "The header needs 'name' and 'organisation'; expected: " + ", ".join(PEOPLE_COLUMNS)
                )
                return report
            if not any(row.values()):
                continue
            report.rows += 1
            problems = []
            organisation = organisations.get(row.get("organisation", "").lower())
            if organisation is None:
                problems.append(
                    f"organisation: {row.get('organisation')!r} is not an organisation of the network"
                )
            if not row.get("name"):
                problems.append("name: empty")
            key = (row.get("name", "").lower(), row.get("organisation", "").lower())
            if key in seen:
                problems.append(f"name: {row.get('name')!r} appears twice for the same organisation")
            seen.add(key)
            region = regions.get(row.get("region", "").lower()) if row.get("region") else None
            if row.get("region") and region is None:
                problems.append(f"region: {row['region']!r} is not a region of the network")
            if row.get("email"):
                try:
                    validate_email(row["email"])
                except ValidationError:
                    problems.append(f"email: {row['email']!r} is not an email address")
            if problems:
                report.errors.extend(f"Row {number}: {p}" for p in problems)
                continue
            parsed.append((organisation, row, region))
    except ValueError as exc:
        report.errors.append(str(exc))
    if report.errors or not write:
        return report
    with transaction.atomic():
        for organisation, row, region in parsed:
            _, created = Person.objects.update_or_create(
                organisation=organisation,
                name=row["name"],
                defaults={
                    "role": row.get("role", ""),
                    "region": region,
                    "may_be_quoted": row.get("may_be_quoted", "").lower() in {"yes", "y", "true", "1"},
                    "email": row.get("email", ""),
                },
            )
            report.created += created
            report.updated += not created
    report.written = True
    return report
