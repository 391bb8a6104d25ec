"""Read-side queries for the network directory."""

from django.db.models import Q
from django.utils import timezone

from core.params import year_param
from core.periods import PeriodNotFound, reporting_period
from network.map import world_map_svg
from network.models import FocusArea, Organisation, OrganisationKind, Region


def directory(*, params) -> dict:
    """Current member organisations filtered by region, country, focus area and joined year; the map of them."""
    today = timezone.localdate()
    all_members = Organisation.objects.members(on=today).select_related("region")
    members = all_members.prefetch_related("focus_areas")
    filters = {k: params.get(k, "") for k in ("region", "country", "focus", "joined")}
    if filters["region"]:
        members = members.filter(region__slug=filters["region"])
    if filters["country"]:
        members = members.filter(country=filters["country"].upper())
    if filters["focus"]:
        members = members.filter(focus_areas__slug=filters["focus"])
    joined = year_param(filters["joined"])
    filters["joined"] = str(joined or "")
    if joined:
        members = members.filter(joined_on__year=joined)
    countries = sorted({m.country for m in all_members}, key=lambda c: c.name)
    try:  # "new this year" counts the reporting year asked for (?year=), or the latest report's
        period = reporting_period(params.get("year"))
    except PeriodNotFound:
        period = reporting_period()
    return {
        "filters": filters,
        "members": members.distinct(),
        "regions": Region.objects.filter(Q(organisations__kind=OrganisationKind.MEMBER)).distinct(),
        "focus_areas": FocusArea.objects.all(),
        "joined_years": sorted(
            {d.year for d in all_members.exclude(joined_on=None).dates("joined_on", "year")}, reverse=True
        ),
        "countries": countries,
        "map_svg": world_map_svg(highlight={c.code for c in countries}),
        "new_this_year": all_members.filter(joined_on__range=period.bounds),
        "period": period,
    }
