"""What the podcast feed says beyond RSS and iTunes: the Podcasting 2.0 people, artwork, chapters, transcript and
funding of the show, each link absolute (podcast apps fetch them without a page around them).

Spec: https://github.com/Podcastindex-org/podcast-namespace (namespace https://podcastindex.org/namespace/1.0).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from django.http import HttpRequest
from django.urls import reverse
from wagtail.models import Page

from comms.models import EpisodeGuest, PodcastEpisodePage, PodcastIndexPage, PodcastShow
from comms.transcripts import TRANSCRIPT_TYPES, transcript_extension
from network.models import NetworkIndexPage

ARTWORK_RENDITION = "fill-3000x3000"  # Apple: square, 1400–3000 px; Wagtail never enlarges a smaller original
PERSON_RENDITION = "fill-400x400"


@dataclass(frozen=True)
class FeedPerson:
    """One podcast:person: the name shown, a Podcast Taxonomy role, and links only where they are known."""

    name: str
    role: str
    href: str = ""
    img: str = ""


@dataclass(frozen=True)
class FeedImage:
    href: str
    width: int
    height: int


@dataclass(frozen=True)
class FeedTranscript:
    url: str
    type: str


@dataclass(frozen=True)
class FeedEpisode:
    """An episode with the absolute URLs its <item> carries."""

    page: PodcastEpisodePage
    enclosure_url: str
    artwork: FeedImage | None
    people: tuple[FeedPerson, ...]
    chapters_url: str
    transcript: FeedTranscript | None


@dataclass(frozen=True)
class Funding:
    url: str
    text: str


def absolute(base: str, url: str) -> str:
    """``url`` made absolute against the site's ``base`` (already absolute URLs, e.g. from cloud storage, stay)."""
    return urljoin(f"{base}/", url) if url else ""


class OrganisationLinks:
    """The page that says most about an organisation: its own website, else its entry in the network directory."""

    def __init__(self, *, base: str, request: HttpRequest | None = None):
        self.directory = NetworkIndexPage.objects.live().public().first()
        self.directory_url = absolute(base, self.directory.get_url(request)) if self.directory else ""

    def href(self, organisation) -> str:
        if organisation is None:
            return ""
        if organisation.website:
            return organisation.website
        if not self.directory_url:
            return ""
        return urljoin(
            self.directory_url,
            self.directory.reverse_subpage("organisation", kwargs={"slug": organisation.slug}),
        )


def rendition_url(image, spec: str, *, base: str) -> str:
    return absolute(base, image.get_rendition(spec).url) if image else ""


def feed_person(guest: EpisodeGuest, *, base: str, organisations: OrganisationLinks) -> FeedPerson:
    return FeedPerson(
        name=guest.credited_name,
        role=guest.credit,
        href=guest.url or organisations.href(guest.affiliation),
        img=rendition_url(guest.photo, PERSON_RENDITION, base=base),
    )


def feed_artwork(episode: PodcastEpisodePage, *, base: str) -> FeedImage | None:
    if episode.artwork is None:
        return None
    rendition = episode.artwork.get_rendition(ARTWORK_RENDITION)
    return FeedImage(absolute(base, rendition.url), rendition.width, rendition.height)


def feed_transcript(episode: PodcastEpisodePage, *, base: str) -> FeedTranscript | None:
    document = episode.public_transcript_file()
    if document is None:
        return None
    extension = transcript_extension(document.filename)
    url = reverse("comms:podcast_transcript", kwargs={"pk": episode.pk, "extension": extension})
    return FeedTranscript(absolute(base, url), TRANSCRIPT_TYPES[extension])


def feed_episodes(
    index: PodcastIndexPage, *, base: str, request: HttpRequest | None = None
) -> list[FeedEpisode]:
    """The index's live episodes, newest first, with everything their feed items link to."""
    episodes = (
        index.episodes()
        .select_related("series", "audio", "artwork", "transcript_file__collection")
        .prefetch_related(
            "guests__person__organisation",
            "guests__person__photo",
            "guests__organisation__logo",
            "chapters",
        )
    )
    organisations = OrganisationLinks(base=base, request=request)
    items = []
    for episode in episodes:
        has_chapters = bool(episode.chapters.all())
        items.append(
            FeedEpisode(
                page=episode,
                enclosure_url=episode.enclosure_url
                or absolute(base, episode.audio.url if episode.audio_id else ""),
                artwork=feed_artwork(episode, base=base),
                people=tuple(
                    feed_person(guest, base=base, organisations=organisations)
                    for guest in episode.guests.all()
                ),
                chapters_url=absolute(base, reverse("comms:podcast_chapters", kwargs={"pk": episode.pk}))
                if has_chapters
                else "",
                transcript=feed_transcript(episode, base=base),
            )
        )
    return items


def show_funding(show: PodcastShow, request: HttpRequest | None = None) -> Funding | None:
    """The show's podcast:funding link: its funding page while that page is live and public."""
    if not show.funding_page_id:
        return None
    page = Page.objects.live().public().filter(pk=show.funding_page_id).first()
    if page is None:
        return None
    url = page.get_full_url(request)
    if not url:
        return None
    return Funding(url=url, text=show.funding_text or page.title)
