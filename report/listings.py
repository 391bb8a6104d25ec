"""What a listing block can list: each source returns the records of a period as (title, url, meta) items.

Apps' records are read here (report may use every app); a new source is one function and one registry entry.
Sources take the request, when there is one, so page URLs reuse its site lookup instead of one per item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ListingItem:
    title: str
    url: str
    meta: str


def events_listing(start: date, end: date, kind: str = "", request=None) -> list[ListingItem]:
    from events.models import EventPage

    events = EventPage.objects.live().public().filter(start__date__gte=start, start__date__lte=end)
    if kind:
        events = events.filter(kind=kind)
    return [
        ListingItem(
            e.title,
            e.get_url(request) or "",
            " · ".join(filter(None, [e.start.strftime("%-d %B %Y"), e.city])),
        )
        for e in events.order_by("start").defer_streamfields()
    ]


def new_members_listing(start: date, end: date, kind: str = "", request=None) -> list[ListingItem]:
    from network.models import NetworkIndexPage, Organisation

    index = NetworkIndexPage.objects.live().defer_streamfields().first()
    base = index.get_url(request) if index else ""
    return [
        ListingItem(
            o.name,
            f"{base}organisations/{o.slug}/" if base else "",
            " · ".join(filter(None, [o.country.name, o.joined_on.strftime("%B %Y")])),
        )
        for o in Organisation.objects.joined_between(start, end).order_by("joined_on", "name")
    ]


def podcast_episodes_listing(start: date, end: date, kind: str = "", request=None) -> list[ListingItem]:
    from comms.models import PodcastEpisodePage

    episodes = PodcastEpisodePage.objects.live().public().filter(publication_date__range=(start, end))
    if kind:  # a series title, e.g. "She Leads"
        episodes = episodes.filter(series__title__iexact=kind)
    return [
        ListingItem(e.title, e.get_url(request) or "", e.publication_date.strftime("%-d %B %Y"))
        for e in episodes.select_related("series").order_by("publication_date").defer_streamfields()
    ]


def publications_listing(start: date, end: date, kind: str = "", request=None) -> list[ListingItem]:
    from publications.models import PublicationPage

    pages = PublicationPage.objects.live().public().filter(publication_date__range=(start, end))
    if kind:  # a publication kind, e.g. case_study
        pages = pages.filter(kind=kind)
    return [
        ListingItem(p.title, p.get_url(request) or "", p.publication_date.strftime("%B %Y"))
        for p in pages.order_by("publication_date", "title").defer_streamfields()
    ]


SOURCES: dict[str, tuple[str, Callable[..., list[ListingItem]]]] = {
    "events": ("Events", events_listing),
    "new_members": ("New member organisations", new_members_listing),
    "podcast_episodes": ("Podcast episodes", podcast_episodes_listing),
    "publications": ("Publications", publications_listing),
}


def source_choices() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _function) in SOURCES.items()]
