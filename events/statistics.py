"""Figures about events, computed from event pages and participant records.

Figures are public (report, PDF, API): only live events outside any private section count."""

from datetime import date

from django.db.models import Count

from core.statistics import Figure, Listing, ListingItem, registry
from events.models import ActionPoint, ActionStatus, EventPage, Participant


def _event(slug: str) -> EventPage:
    from core.statistics import StatisticError

    event = EventPage.objects.live().public().filter(slug=slug).first()
    if event is None:
        raise StatisticError(f"There is no published public event with the slug {slug!r}.")
    return event


@registry.register("events.count", label="Events held")
def events_count(start: date, end: date, kind: str = "") -> Figure:
    events = EventPage.objects.live().public().filter(start__date__gte=start, start__date__lte=end)
    if kind:
        events = events.filter(kind=kind)
    titles = tuple(events.order_by("start").values_list("title", flat=True))
    return Figure(
        len(titles), f"{len(titles)} events starting {start:%d %b %Y}–{end:%d %b %Y}.", items=titles
    )


@registry.register("events.participants", label="Participants")
def participants(start: date, end: date) -> Figure:
    counted = Participant.objects.counted().for_period(start, end)
    n = counted.count()
    per_event = counted.values("event__title").annotate(n=Count("id")).order_by("-n")
    detail = "; ".join(f"{row['event__title']}: {row['n']}" for row in per_event)
    return Figure(
        n,
        f"{n} registered or attending participant records at events {start:%d %b %Y}–{end:%d %b %Y} ({detail}).",
    )


@registry.register("events.countries", label="Countries represented at events")
def countries(start: date, end: date) -> Figure:
    # A participant imported from a platform that asks no country (a Zoom meeting) has none: not a country.
    codes = sorted(
        set(
            Participant.objects.counted()
            .for_period(start, end)
            .exclude(country="")
            .values_list("country", flat=True)
        )
    )
    return Figure(len(codes), f"Distinct countries of {start:%Y}–{end:%Y} participants.", items=tuple(codes))


@registry.register("events.event_participants", label="Participants at an event")
def event_participants(event: str) -> Figure:
    page = _event(event)
    n = page.participants.counted().count()
    return Figure(
        n, f"{n} participant records for {page.title} (registered or attended).", records_url=page.url or ""
    )


@registry.register("events.event_countries", label="Countries at an event")
def event_countries(event: str) -> Figure:
    page = _event(event)
    codes = sorted(set(page.participants.counted().exclude(country="").values_list("country", flat=True)))
    return Figure(
        len(codes),
        f"Distinct countries of {page.title} participants.",
        records_url=page.url or "",
        items=tuple(codes),
    )


@registry.register("events.action_points", label="Action points")
def action_points(status: str = "") -> Figure:
    points = ActionPoint.objects.filter(event__in=EventPage.objects.live().public())
    by_status = dict(points.values_list("status").annotate(n=Count("id")).order_by())
    if status:
        points = points.filter(status=status)
    breakdown = ", ".join(f"{ActionStatus(s).label.lower()}: {n}" for s, n in sorted(by_status.items()))
    return Figure(points.count(), f"Action points agreed at events ({breakdown}).")


@registry.listing("events.held", label="Events")
def events_held(start: date, end: date, kind: str = "", request=None) -> Listing:
    events = EventPage.objects.live().public().filter(start__date__gte=start, start__date__lte=end)
    if kind:
        events = events.filter(kind=kind)
    return Listing(
        tuple(
            ListingItem(
                e.title,
                e.get_url(request) or "",
                " · ".join(filter(None, [e.start.strftime("%-d %B %Y"), e.city])),
            )
            for e in events.order_by("start").defer_streamfields()
        ),
        f"Published events starting {start:%d %b %Y}–{end:%d %b %Y}" + (f" of kind {kind}." if kind else "."),
    )
