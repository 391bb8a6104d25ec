"""Figures about the network, computed from organisation records."""

from collections import Counter
from datetime import date

from django.utils import timezone

from core.statistics import Figure, Listing, ListingItem, registry
from network.models import NetworkIndexPage, Organisation


@registry.register("network.members", label="Member organisations")
def members(on: date | None = None) -> Figure:
    on = on or timezone.localdate()
    qs = Organisation.objects.members(on=on)
    n = qs.count()
    return Figure(
        n,
        f"{n} member organisations in the network on {on:%d %b %Y} (joined, not left).",
        records_url="/network/",
    )


@registry.register("network.countries", label="Countries with members")
def countries(on: date | None = None) -> Figure:
    on = on or timezone.localdate()
    codes = sorted({o.country.code for o in Organisation.objects.members(on=on).only("country")})
    return Figure(
        len(codes),
        f"Distinct countries of the {on:%Y} member organisations.",
        records_url="/network/",
        items=tuple(codes),
    )


def _joined(start: date, end: date):
    return Organisation.objects.joined_between(start, end).order_by("joined_on", "name")


@registry.register("network.new_members", label="New member organisations")
def new_members(start: date, end: date) -> Figure:
    joined = list(_joined(start, end))
    names = tuple(f"{o.name} ({o.country.name})" for o in joined)
    return Figure(
        len(joined),
        f"{len(joined)} organisations joined between {start:%d %b %Y} and {end:%d %b %Y}: "
        + "; ".join(names)
        + ".",
        records_url=f"/network/?joined={end.year}",
        items=names,
    )


@registry.register("network.new_member_countries", label="Countries of new members")
def new_member_countries(start: date, end: date) -> Figure:
    names = tuple(sorted({o.country.name for o in _joined(start, end)}))
    return Figure(
        len(names), f"Countries of organisations that joined {start:%d %b %Y}–{end:%d %b %Y}.", items=names
    )


@registry.register("network.members_per_region", label="Members per region")
def members_per_region(on: date | None = None) -> Figure:
    on = on or timezone.localdate()
    counts = Counter(
        o.region.name if o.region else "No region"
        for o in Organisation.objects.members(on=on).select_related("region")
    )
    items = tuple(f"{region}: {n}" for region, n in sorted(counts.items()))
    return Figure(len(counts), f"Member organisations per region on {on:%d %b %Y}.", items=items)


@registry.listing("network.joined", label="New member organisations")
def joined(start: date, end: date, kind: str = "", request=None) -> Listing:
    index = NetworkIndexPage.objects.live().defer_streamfields().first()
    base = index.get_url(request) if index else ""
    return Listing(
        tuple(
            ListingItem(
                o.name,
                f"{base}organisations/{o.slug}/" if base else "",
                " · ".join(filter(None, [o.country.name, o.joined_on.strftime("%B %Y")])),
            )
            for o in _joined(start, end)
        ),
        f"Organisations that joined between {start:%d %b %Y} and {end:%d %b %Y}.",
    )
