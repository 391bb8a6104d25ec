"""Everything the network knows about one country, and which countries it touches at all."""

from collections import defaultdict
from dataclasses import dataclass, field

from django_countries import countries as all_countries
from django_countries.fields import Country

from events.models import ActionPoint, EventPage
from network.models import Organisation
from publications.models import (
    Compliance,
    ConventionStandard,
    CountryOverview,
    OverviewKind,
    PublicationCountry,
    PublicationPage,
)


@dataclass
class CountryTouch:
    country: Country
    members: int = 0
    events: int = 0
    publications: int = 0
    overviews: int = 0
    kinds: set = field(default_factory=set)


def _live_publications():
    return PublicationPage.objects.live().public()


def _public_events():
    """Live events outside any private section: their titles, countries and action points may be shown."""
    return EventPage.objects.live().public()


def countries_touched() -> dict[str, CountryTouch]:
    """Countries with a member, a live event, a live publication covering them, a published overview or an action
    point."""
    touched: dict[str, CountryTouch] = {}

    def add(code: str, attribute: str | None = None) -> None:
        if not code:
            return
        entry = touched.setdefault(code, CountryTouch(Country(code)))
        if attribute:
            setattr(entry, attribute, getattr(entry, attribute) + 1)

    for code in Organisation.objects.members().values_list("country", flat=True):
        add(code, "members")
    events = _public_events()
    for code in events.values_list("country", flat=True):
        add(code, "events")
    live_ids = _live_publications().values_list("pk", flat=True)
    for code in PublicationCountry.objects.filter(page__in=live_ids).values_list("country", flat=True):
        add(code, "publications")
    for code in CountryOverview.objects.live().values_list("country", flat=True):
        add(code, "overviews")
    for code in ActionPoint.objects.filter(event__in=events).values_list("country", flat=True):
        add(code)
    return touched


def country_listing() -> list[CountryTouch]:
    return sorted(countries_touched().values(), key=lambda t: t.country.name)


def country_profile(*, code: str) -> dict | None:
    """The country page's content, or None for a code that is not ISO 3166 or that the network never touched."""
    if code not in dict(all_countries) or code not in countries_touched():
        return None
    events = _public_events()
    publications = (
        _live_publications().filter(countries__country=code).distinct().order_by("-publication_date", "title")
    )
    overviews = (
        CountryOverview.objects.live()
        .filter(country=code)
        .select_related("publication")
        .prefetch_related("sections", "assessments__standard")
    )
    return {
        "country": Country(code),
        "members": Organisation.objects.members().filter(country=code).order_by("name"),
        "partners": Organisation.objects.exclude(kind="member").filter(country=code).order_by("name"),
        "events": events.filter(country=code).order_by("-start"),
        "publications": publications,
        "overviews": overviews,
        "action_points": ActionPoint.objects.filter(event__in=events, country=code).select_related(
            "event", "owner"
        ),
    }


def assessment_table(*, params) -> dict:
    """Standards down, countries across: each country's latest published joint overview, its compliance per
    standard. Only published text is compared: a draft (a new overview, or an unpublished edit waiting for review)
    changes nothing here until it is published."""
    overviews = list(
        CountryOverview.objects.live()
        .filter(kind=OverviewKind.JOINT)
        .prefetch_related("assessments")
        .order_by("country", "-year")
    )
    latest: dict[str, CountryOverview] = {}
    for overview in overviews:
        latest.setdefault(overview.country.code, overview)
    columns = sorted(latest.values(), key=lambda o: o.country.name)
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for overview in columns:
        for assessment in overview.assessments.all():
            ratings[assessment.standard_id][overview.pk] = assessment.compliance
    labels = dict(Compliance.choices)
    rows = [
        {
            "standard": standard,
            "cells": [
                {
                    "value": ratings[standard.pk].get(o.pk, Compliance.NO_DATA),
                    "label": labels[ratings[standard.pk].get(o.pk, Compliance.NO_DATA)],
                }
                for o in columns
            ],
        }
        for standard in ConventionStandard.objects.filter(assessments__overview__in=columns).distinct()
    ]
    return {"columns": columns, "rows": rows, "compliance_choices": Compliance.choices}
