"""Read-side queries for events: the filtered listing, an event's outputs, the cross-event action tracker and the
action points a user may post updates on."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import private_section_paths
from core.params import year_param
from events.models import ActionPoint, EventKind, EventPage
from network.models import Organisation, Region
from network.permissions import is_secretariat


def in_region(slug: str) -> Q:
    """Events held in a region: by the event's own country, mapped to regions through the network's organisations
    there (a country is in a region when an organisation of that country is); events without a country (online
    ones) fall back to their hosts' region."""
    countries = Organisation.objects.filter(region__slug=slug).exclude(country="").values("country")
    return Q(country__in=countries) | Q(country="", hosts__region__slug=slug)


def event_listing(*, index, params) -> dict:
    """Upcoming and past events under an index, filtered by year, kind, region and country from GET params."""
    events = EventPage.objects.child_of(index).live().public().order_by("-start")
    filters = {
        "year": params.get("year", ""),
        "kind": params.get("kind", ""),
        "region": params.get("region", ""),
        "country": params.get("country", "").upper(),
    }
    year = year_param(filters["year"])
    filters["year"] = str(year or "")
    if year:
        events = events.filter(start__year=year)
    if filters["kind"] in EventKind.values:
        events = events.filter(kind=filters["kind"])
    if filters["country"]:
        events = events.filter(country=filters["country"])
    if filters["region"]:
        events = events.filter(in_region(filters["region"])).distinct()
    now = timezone.now()
    all_events = EventPage.objects.child_of(index).live().public()
    return {
        "filters": filters,
        "upcoming": events.filter(end__gte=now).order_by("start"),
        "past": events.filter(end__lt=now),
        "years": sorted({d.year for d in all_events.dates("start", "year")}, reverse=True),
        "kinds": EventKind.choices,
        "countries": sorted(
            {e.country for e in all_events.only("country") if e.country}, key=lambda c: c.name
        ),
        "regions": Region.objects.filter(
            Q(organisations__country__in=all_events.exclude(country="").values("country"))
            | Q(organisations__hosted_events__in=all_events.filter(country=""))
        ).distinct(),
    }


def action_tracker(*, event=None, status: str = ""):
    """Action points with their owners and latest updates, for one event or across all of the live events the public
    may see (an event behind a view restriction shows its points on its own page only, to those let in)."""
    points = ActionPoint.objects.select_related("owner", "event").prefetch_related("updates")
    if event is None:
        points = points.filter(event__in=EventPage.objects.live().public())
    else:
        points = points.filter(event=event, event__live=True)
    if status:
        points = points.filter(status=status)
    return points


@dataclass(frozen=True)
class OutputLink:
    """An event output as its page lists it; ``href`` is empty when the title links nowhere."""

    title: str
    kind: str
    href: str


def event_outputs(*, event: EventPage, request=None) -> list[OutputLink]:
    """The event's outputs, each linking to its library publication while that is live and outside any private
    section, else to its document or address. One query, whatever the number of outputs."""
    private = private_section_paths()
    links = []
    for output in event.outputs.select_related("publication", "document"):
        publication = output.publication
        shown = (
            publication is not None
            and publication.live
            and not any(publication.path.startswith(path) for path in private)
        )
        href = publication.get_url(request) if shown else output.link
        links.append(OutputLink(title=output.title, kind=output.get_kind_display(), href=href or ""))
    return links


def action_points_for_updates(user) -> QuerySet[ActionPoint]:
    """The action points a user may post updates on: every one for the secretariat, otherwise those owned by the
    organisations the user edits (a point without an owner is the secretariat's to follow)."""
    points = ActionPoint.objects.select_related("event", "owner").order_by("event__title", "due", "pk")
    if is_secretariat(user):
        return points
    return points.filter(owner__editors=user).distinct()
