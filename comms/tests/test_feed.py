"""The podcast feed's Podcasting 2.0 tags (funding, people, artwork, chapters, transcripts), the chapters and
transcript files it links to, transcript checks in the episode form, and the pages that advertise the feed."""

import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import feedparser
import podcastparser
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from comms.factories import (
    ArtworkFactory,
    EpisodeChapterFactory,
    EpisodeGuestFactory,
    PodcastEpisodePageFactory,
    PodcastIndexPageFactory,
    TranscriptFactory,
)
from comms.models import PodcastEpisodePage
from comms.transcripts import transcript_problem
from network.factories import OrganisationFactory, PersonFactory
from network.models import NetworkIndexPage

pytestmark = pytest.mark.django_db

NS = {
    "podcast": "https://podcastindex.org/namespace/1.0",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
}
# The spec: "Clients which recognize this namespace must also recognize [this URI] as identical." podcastparser
# knows only this older spelling, so the tests teach it the equivalence the spec requires of every reader.
GITHUB_NAMESPACE = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def index(site):
    return PodcastIndexPageFactory(parent=site.root_page, show__title="Field Notes", show__language="en-GB")


def feed(client) -> ET.Element:
    response = client.get("/podcast/feed.xml")
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, made by the test)


def item_of(channel: ET.Element, title: str) -> ET.Element:
    return next(item for item in channel.iter("item") if item.findtext("title") == title)


def test_feed_links_the_funding_page_with_its_text(index, client):
    index.show.funding_page = index.get_parent()
    index.show.funding_text = "Keep the research going"
    index.show.save()
    funding = feed(client).find("channel/podcast:funding", NS)
    assert funding.get("url") == "http://localhost/"
    assert funding.text == "Keep the research going"


def test_feed_funding_text_defaults_to_the_pages_title(index, client):
    index.show.funding_page = index.get_parent()
    index.show.save()
    assert feed(client).find("channel/podcast:funding", NS).text == index.get_parent().title


def test_feed_has_no_funding_link_without_a_live_funding_page(index, client):
    give = index.get_parent().add_child(instance=index.get_parent().specific_class(title="Give", slug="give"))
    index.show.funding_page = give
    index.show.save()
    assert feed(client).find("channel/podcast:funding", NS) is not None
    give.unpublish()
    assert feed(client).find("channel/podcast:funding", NS) is None


def test_feed_credits_hosts_and_guests_with_links_and_photos_only_when_known(index, site, client):
    directory = site.root_page.add_child(instance=NetworkIndexPage(title="Our network", slug="network"))
    assert directory.live
    episode = PodcastEpisodePageFactory(parent=index, title="Episode with people")
    host = PersonFactory(name="Ama Mensah", photo=ArtworkFactory(file__width=600, file__height=800))
    EpisodeGuestFactory(episode=episode, person=host, host=True, url="https://example.org/ama")
    with_website = OrganisationFactory(
        name="River Trust", slug="river-trust", website="https://river.example"
    )
    EpisodeGuestFactory(episode=episode, person=PersonFactory(name="Bo Lind", organisation=with_website))
    listed = OrganisationFactory(name="Hill School", slug="hill-school")
    EpisodeGuestFactory(episode=episode, person=None, role="Head teacher", organisation=listed)
    EpisodeGuestFactory(episode=episode, person=None, name="A listener")

    people = item_of(feed(client).find("channel"), "Episode with people").findall("podcast:person", NS)
    assert [(p.text, p.get("role"), p.get("href")) for p in people] == [
        ("Ama Mensah", "host", "https://example.org/ama"),
        ("Bo Lind", "guest", "https://river.example"),
        ("Head teacher, Hill School", "guest", "http://localhost/network/organisations/hill-school/"),
        ("A listener", "guest", None),
    ]
    photo = host.photo.get_rendition("fill-400x400")
    assert people[0].get("img") == f"http://localhost{photo.url}"
    assert (photo.width, photo.height) == (400, 400)
    assert [p.get("img") for p in people[1:]] == [None, None, None]


def test_feed_person_without_a_directory_or_website_has_no_href(index, client):
    episode = PodcastEpisodePageFactory(parent=index, title="Solo")
    EpisodeGuestFactory(episode=episode)
    person = item_of(feed(client).find("channel"), "Solo").find("podcast:person", NS)
    assert person.get("href") is None
    assert person.get("role") == "guest"


def test_episode_artwork_is_an_itunes_image_of_that_item(index, client):
    PodcastEpisodePageFactory(parent=index, title="With art", with_artwork=True)
    PodcastEpisodePageFactory(parent=index, title="Without art")
    channel = feed(client).find("channel")
    image = item_of(channel, "With art").find("itunes:image", NS)
    assert image.get("href").startswith("http://localhost/media/images/")
    podcast_image = item_of(channel, "With art").find("podcast:image", NS)
    assert podcast_image.get("href") == image.get("href")
    assert (podcast_image.get("width"), podcast_image.get("height")) == ("1400", "1400")  # never enlarged
    assert item_of(channel, "Without art").find("itunes:image", NS) is None


def test_chapters_are_listed_in_the_feed_and_served_as_json_chapters_in_order(index, client):
    episode = PodcastEpisodePageFactory(parent=index, title="In parts", duration_seconds=3600)
    # Entered out of order in the editor: the file lists them in the order they are heard.
    EpisodeChapterFactory(episode=episode, sort_order=0, start=timedelta(minutes=12, seconds=30), title="Two")
    EpisodeChapterFactory(episode=episode, sort_order=1, start=timedelta(0), title="One")
    EpisodeChapterFactory(
        episode=episode,
        sort_order=2,
        start=timedelta(seconds=1500.5),
        title="Three",
        url="https://x.example/3",
    )
    PodcastEpisodePageFactory(parent=index, title="In one piece")

    channel = feed(client).find("channel")
    assert item_of(channel, "In one piece").find("podcast:chapters", NS) is None
    chapters = item_of(channel, "In parts").find("podcast:chapters", NS)
    assert chapters.get("type") == "application/json+chapters"
    url = chapters.get("url")
    assert url == f"http://localhost/podcast/episodes/{episode.pk}/chapters.json"

    response = client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json+chapters"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["version"] == "1.2.0"
    assert data["title"] == "In parts"
    assert data["podcastName"] == "Field Notes"
    assert data["chapters"] == [
        {"startTime": 0, "title": "One"},
        {"startTime": 750, "title": "Two"},
        {"startTime": 1500.5, "title": "Three", "url": "https://x.example/3"},
    ]


def test_chapters_file_is_404_without_chapters_or_for_an_unpublished_episode(index, client):
    bare = PodcastEpisodePageFactory(parent=index)
    assert client.get(f"/podcast/episodes/{bare.pk}/chapters.json").status_code == 404
    draft = PodcastEpisodePageFactory(parent=index)
    EpisodeChapterFactory(episode=draft)
    assert client.get(f"/podcast/episodes/{draft.pk}/chapters.json").status_code == 200
    draft.unpublish()
    assert client.get(f"/podcast/episodes/{draft.pk}/chapters.json").status_code == 404


@pytest.mark.parametrize(
    ("traits", "extension", "mime_type", "first_line"),
    [
        ({}, "vtt", "text/vtt", "WEBVTT"),
        ({"transcript_file__srt": True}, "srt", "application/x-subrip", "1"),
    ],
)
def test_transcript_file_is_listed_with_its_type_and_language_and_served(
    index, client, traits, extension, mime_type, first_line
):
    episode = PodcastEpisodePageFactory(parent=index, title="Transcribed", with_transcript=True, **traits)
    transcripts = item_of(feed(client).find("channel"), "Transcribed").findall("podcast:transcript", NS)
    assert [(t.get("url"), t.get("type"), t.get("language")) for t in transcripts] == [
        (f"http://localhost/podcast/episodes/{episode.pk}/transcript.{extension}", mime_type, "en-GB")
    ]
    response = client.get(f"/podcast/episodes/{episode.pk}/transcript.{extension}")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{mime_type}; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"".join(response.streaming_content).decode().splitlines()[0] == first_line
    other = "srt" if extension == "vtt" else "vtt"
    assert client.get(f"/podcast/episodes/{episode.pk}/transcript.{other}").status_code == 404


def test_a_transcript_in_a_private_collection_is_neither_listed_nor_served(index, client):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    episode = PodcastEpisodePageFactory(
        parent=index, title="Private notes", with_transcript=True, transcript_file__collection=private
    )
    assert item_of(feed(client).find("channel"), "Private notes").find("podcast:transcript", NS) is None
    assert client.get(f"/podcast/episodes/{episode.pk}/transcript.vtt").status_code == 404


def test_feed_with_every_podcasting_2_tag_is_read_by_feedparser_and_podcastparser(index, client, monkeypatch):
    index.show.funding_page = index.get_parent()
    index.show.funding_text = "Support the show"
    index.show.save()
    episode = PodcastEpisodePageFactory(
        parent=index, title="Everything", with_transcript=True, with_artwork=True
    )
    EpisodeGuestFactory(episode=episode, host=True, person__name="Ama Mensah", url="https://example.org/ama")
    EpisodeChapterFactory(episode=episode)
    content = client.get("/podcast/feed.xml").content

    parsed = feedparser.parse(content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries[0].image.href.startswith("http://localhost/media/images/")

    monkeypatch.setitem(podcastparser.Namespace.NAMESPACES, NS["podcast"], "podcast")
    podcast = podcastparser.parse("http://localhost/podcast/feed.xml", io.BytesIO(content))
    assert podcast["funding_url"] == "http://localhost/"
    [entry] = podcast["episodes"]
    assert entry["chapters_json_url"] == f"http://localhost/podcast/episodes/{episode.pk}/chapters.json"
    assert entry["transcript_url"] == f"http://localhost/podcast/episodes/{episode.pk}/transcript.vtt"
    assert entry["persons"] == [
        {
            "name": "Ama Mensah",
            "role": "host",
            "group": "cast",
            "href": "https://example.org/ama",
            "img": None,
        }
    ]
    assert entry["episode_art_url"].startswith("http://localhost/media/images/")


# --- The episode form refuses transcript files podcast apps could not read -----------------------------------


def episode_form(episode: PodcastEpisodePage, *, chapters=(), **fields):
    form_class = PodcastEpisodePage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": episode.title,
            "slug": episode.slug,
            "episode_number": episode.episode_number,
            "publication_date": episode.publication_date.isoformat(),
            "summary": episode.summary,
            "enclosure_url": episode.enclosure_url,
            "enclosure_length": episode.enclosure_length,
            "enclosure_type": episode.enclosure_type,
            "duration_seconds": episode.duration_seconds,
            "guests": inline_formset([]),
            "chapters": inline_formset(list(chapters)),
            **fields,
        }
    )
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    return form_class(data, instance=episode, parent_page=episode.get_parent(), for_user=user)


def transcript(filename: str, content: bytes):
    """A document holding ``content``; the storage may add a suffix to its name, so messages use ``{name}``."""
    document = TranscriptFactory()
    document.file.save(filename, ContentFile(content))
    return document


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "notes.pdf",
            b"%PDF-1.7",
            "{name} is a .pdf file: choose a WebVTT (.vtt) or SubRip (.srt) transcript.",
        ),
        (
            "episode.vtt",
            b"1\n00:00:00,000 --> 00:00:04,000\nHello\n",
            '{name} is not a WebVTT file: its first line must be "WEBVTT", not "1".',
        ),
        (
            "episode.srt",
            b"Hello, and welcome.\n",
            "{name} is not a SubRip file: it must begin with a numbered cue",
        ),
        (
            "episode.srt",
            b"WEBVTT\n\n00:00.000 --> 00:04.000\nHi\n",
            "{name} is a WebVTT file; give it the .vtt extension.",
        ),
        ("episode.vtt", b"WEBVTT\n\nJust words.\n", "{name} has no cues"),
        (
            "episode.vtt",
            b"WEBVTT\n\n00:00.000 --> 00:04.000\n\xff\xfe oops\n",
            "{name} is not UTF-8 text (byte 32)",
        ),
    ],
)
def test_episode_form_refuses_a_transcript_file_podcast_apps_cannot_read(index, filename, content, message):
    episode = PodcastEpisodePageFactory(parent=index)
    document = transcript(filename, content)
    form = episode_form(episode, transcript_file=document.pk)
    assert not form.is_valid()
    assert message.format(name=document.filename) in form.errors["transcript_file"][0]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("episode.vtt", b"\xef\xbb\xbfWEBVTT - Episode 1\r\n\r\n00:00:00.000 --> 00:00:04.000\r\nHello\r\n"),
        ("episode.VTT", b"WEBVTT\n\nNOTE made by hand\n\n01:02.500 --> 01:04.000\n<v Ama>Hello\n"),
        (
            "episode.srt",
            b"1\n00:00:00,000 --> 00:00:04,000\nHello\n\n2\n00:00:04,000 --> 00:00:06,000\nBye\n",
        ),
    ],
)
def test_episode_form_accepts_webvtt_and_subrip_transcripts(index, filename, content):
    episode = PodcastEpisodePageFactory(parent=index)
    form = episode_form(episode, transcript_file=transcript(filename, content).pk)
    assert form.is_valid(), form.errors


def test_a_bad_transcript_is_refused_in_the_admin_with_the_reason(index, admin_client):
    episode = PodcastEpisodePageFactory(parent=index)
    document = transcript("captions.txt", b"Hello")
    form = episode_form(episode, transcript_file=document.pk)
    response = admin_client.post(f"/admin/pages/{episode.pk}/edit/", form.data)
    assert response.status_code == 200  # the form again, not a redirect after saving
    assert f"{document.filename} is a .txt file: choose a WebVTT (.vtt) or SubRip (.srt) transcript." in (
        response.content.decode()
    )
    episode.refresh_from_db()
    assert episode.transcript_file is None


def test_transcript_problem_reads_only_the_first_bytes_and_forgives_a_character_cut_in_two():
    head = ("WEBVTT\n\n00:00.000 --> 00:04.000\n" + "é" * 10).encode()[:-1]
    assert transcript_problem(filename="long.vtt", head=head) is None


def test_episode_form_refuses_a_chapter_that_starts_after_the_episode_ends(index):
    episode = PodcastEpisodePageFactory(parent=index, duration_seconds=600)
    chapters = [
        {"start": "0", "title": "Start", "url": ""},
        {"start": "10:00", "title": "Too late", "url": ""},
    ]
    form = episode_form(episode, chapters=chapters)
    assert not form.is_valid()
    errors = form.formsets["chapters"].forms[1].errors["start"]
    assert errors == ["The episode is 00:10:00 long; this chapter starts at 00:10:00."]
    assert not form.formsets["chapters"].forms[0].errors


def test_episode_form_refuses_two_chapters_that_start_at_the_same_moment(index):
    episode = PodcastEpisodePageFactory(parent=index)
    chapters = [{"start": "4:30", "title": "One", "url": ""}, {"start": "270", "title": "Two", "url": ""}]
    form = episode_form(episode, chapters=chapters)
    assert not form.is_valid()
    assert "start" in str(form.formsets["chapters"].non_form_errors())


# --- Podcast pages advertise the feed -------------------------------------------------------------------------


class AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_head = False
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        elif tag == "link" and self.in_head and dict(attrs).get("rel") == "alternate":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def feed_links(html: str) -> list[dict]:
    parser = AlternateLinks()
    parser.feed(html)
    return [link for link in parser.links if link.get("type") == "application/rss+xml"]


def test_podcast_index_and_episode_pages_advertise_the_feed_in_their_head(index, client):
    episode = PodcastEpisodePageFactory(parent=index, slug="first")
    for url in ("/podcast/", "/podcast/first/"):
        response = client.get(url)
        assert response.status_code == 200, url
        [link] = feed_links(response.content.decode())
        assert link["title"] == "Field Notes"
        assert link["href"] == "http://localhost/podcast/feed.xml"
        subscribed = client.get(link["href"].removeprefix("http://localhost"))
        assert subscribed.status_code == 200
        assert subscribed["Content-Type"].startswith("application/rss+xml")
    assert episode.live


def test_episode_page_lists_its_chapters_and_names_its_host(index, client):
    episode = PodcastEpisodePageFactory(parent=index, slug="parts")
    EpisodeChapterFactory(episode=episode, start=timedelta(minutes=3), title="Later", sort_order=0)
    EpisodeChapterFactory(episode=episode, start=timedelta(0), title="Opening", sort_order=1)
    EpisodeGuestFactory(episode=episode, host=True, person__name="Ama Mensah", person__role="")
    html = client.get("/podcast/parts/").content.decode()
    assert html.index("Opening") < html.index("Later")
    assert '<time datetime="PT180S">00:03:00</time>' in html
    assert "Hosted by Ama Mensah" in html


# --- Where editors set it up ------------------------------------------------------------------------------------


def test_show_editor_has_a_funding_panel_with_a_page_chooser(index, admin_client):
    html = admin_client.get(f"/admin/snippets/comms/podcastshow/edit/{index.show.pk}/").content.decode()
    assert "Funding" in html
    assert 'name="funding_page"' in html
    assert 'new PageChooser("id_funding_page"' in html
    assert 'name="funding_text"' in html
    assert 'maxlength="128"' in html


def test_episode_editor_offers_chapters_artwork_and_a_transcript_file(index, admin_client):
    episode = PodcastEpisodePageFactory(parent=index)
    html = admin_client.get(f"/admin/pages/{episode.pk}/edit/").content.decode()
    assert 'name="chapters-TOTAL_FORMS"' in html
    assert 'name="transcript_file"' in html
    assert 'name="artwork"' in html
    assert 'name="guests-__prefix__-credit"' in html
