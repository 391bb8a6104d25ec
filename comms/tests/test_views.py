import json
from datetime import date

import feedparser
import podcastparser
import pytest
from django.test import Client

from comms.demo import build_channels_and_observations, build_podcast
from core.demo import DemoContext
from monitoring.demo import build_monitoring
from network.demo import build_network
from report.factories import report_with_headlines

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site):
    ctx = DemoContext(home=site.root_page.specific, log=lambda _: None)
    build_network(ctx)  # guests and partners are the network's organisations
    build_channels_and_observations(ctx)
    build_podcast(ctx)
    build_monitoring(ctx)  # the mention figures are counted from monitored items
    return ctx


HEADLINES = [
    ("comms.yoy_change", f"channel={channel}\nmeasure={measure}", f"{channel} {measure}")
    for channel, measure in [
        ("linkedin", "followers"),
        ("instagram", "followers"),
        ("facebook", "followers"),
        ("website", "visits"),
        ("traditional_media", "mentions"),
        ("social_mentions", "mentions"),
    ]
]


def annual_report(parent, label: str, start: date, end: date, headlines=HEADLINES):
    return report_with_headlines(parent=parent, label=label, start=start, end=end, headlines=headlines)


@pytest.fixture
def reports(demo, site):
    """The demo year's report, and an older one (the impact page shows the latest by default)."""
    return (
        annual_report(site.root_page, "2022-2023", date(2022, 8, 1), date(2023, 7, 31)),
        annual_report(
            site.root_page,
            "2021-2022",
            date(2021, 8, 1),
            date(2022, 7, 31),
            headlines=[("network.new_members", "", "New members"), HEADLINES[0]],
        ),
    )


@pytest.fixture
def client():
    return Client(HTTP_HOST="localhost")


def test_feed_is_read_by_feedparser(demo, client):
    response = client.get("/podcast/feed.xml")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Ending The Silent Podcast"
    titles = [entry.title for entry in feed.entries]
    assert titles[-1] == "Voluntourism: when helping harms children"
    assert len(titles) == 7  # four of 2022-2023, three of 2023-2024
    voluntourism = feed.entries[-1]
    enclosure = voluntourism.enclosures[0]
    assert enclosure.href == "https://media.ecpat.example/podcast/voluntourism.mp3"
    assert enclosure.type == "audio/mpeg"
    assert int(enclosure.length) == 18_000_000 + 1_234_567
    assert voluntourism.itunes_duration == str(1500 + 137)
    assert voluntourism.published_parsed[:3] == (2022, 9, 27)


def test_feed_is_read_by_podcastparser(demo, client):
    content = client.get("/podcast/feed.xml").content
    import io

    parsed = podcastparser.parse("http://localhost/podcast/feed.xml", io.BytesIO(content))
    assert parsed["title"] == "Ending The Silent Podcast"
    episodes = {e["title"]: e for e in parsed["episodes"]}
    she_leads = episodes["She Leads: why girls must be heard"]
    assert she_leads["total_time"] == 1500 + 2 * 137
    assert (
        she_leads["enclosures"][0]["url"]
        == "https://media.ecpat.example/podcast/she-leads-why-girls-must-be-heard.mp3"
    )
    assert she_leads["enclosures"][0]["file_size"] == 18_000_000 + 2 * 1_234_567
    assert she_leads["enclosures"][0]["mime_type"] == "audio/mpeg"
    assert she_leads["number"] == 2
    assert she_leads["season"] == 2
    # podcastparser knows only the old GitHub URI of the Podcasting 2.0 namespace; we use the official one.


def test_feed_carries_podcasting_2_tags(demo, client):
    xml = client.get("/podcast/feed.xml").content.decode()
    assert "<podcast:guid>9b1c7a8e-6a53-5a3e-9d7c-2a1f0f2c2023</podcast:guid>" in xml
    assert '<podcast:season name="She Leads">2</podcast:season>' in xml
    assert "<podcast:episode>1</podcast:episode>" in xml
    assert 'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in xml
    assert (
        '<podcast:transcript url="http://localhost/podcast/voluntourism/#transcript" type="text/html"' in xml
    )
    assert (
        '<podcast:person role="guest" group="cast" href="http://localhost/network/organisations/lanka-child-guard/">'
        "Member representative, Lanka Child Guard</podcast:person>"
    ) in xml
    assert '<itunes:category text="Society &amp; Culture"/>' in xml


def test_demo_voluntourism_episode_has_chapters_and_a_webvtt_transcript(demo, client):
    from comms.models import PodcastEpisodePage

    episode = PodcastEpisodePage.objects.get(slug="voluntourism")
    xml = client.get("/podcast/feed.xml").content.decode()
    chapters_url = f"http://localhost/podcast/episodes/{episode.pk}/chapters.json"
    assert f'<podcast:chapters url="{chapters_url}" type="application/json+chapters"/>' in xml
    transcript_url = f"http://localhost/podcast/episodes/{episode.pk}/transcript.vtt"
    assert f'<podcast:transcript url="{transcript_url}" type="text/vtt" language="en"/>' in xml

    chapters = json.loads(client.get(chapters_url).content)["chapters"]
    assert [c["startTime"] for c in chapters] == [0, 95, 720, 1560]
    assert all(c["startTime"] < episode.duration_seconds for c in chapters)
    vtt = b"".join(client.get(transcript_url).streaming_content).decode()
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> ")
    assert "<v Guest, Sri Lanka>" in vtt
    assert "\n00:01:35.000 --> " in vtt  # the second paragraph opens the second chapter


def test_demo_podcast_asks_listeners_to_give_on_the_donation_page(demo, client):
    from comms.demo import link_podcast_funding
    from donations.demo import build_donations

    link_podcast_funding(demo)  # before the donation page exists: the feed simply has no funding link
    assert "<podcast:funding" not in client.get("/podcast/feed.xml").content.decode()
    build_donations(demo)
    link_podcast_funding(demo)
    xml = client.get("/podcast/feed.xml").content.decode()
    assert (
        '<podcast:funding url="http://localhost/donate/">Support our work with children</podcast:funding>'
        in xml
    )


def test_demo_podcast_pages_keep_their_chapters_and_guests_in_the_revision_editors_open(demo):
    from comms.demo import build_podcast
    from comms.models import PodcastEpisodePage

    episode = PodcastEpisodePage.objects.get(slug="voluntourism")
    revision = episode.get_latest_revision()
    draft = revision.as_object()
    assert [c.title for c in draft.chapters.all()][0] == "Welcome: World Tourism Day and voluntourism"
    assert len(draft.guests.all()) == 2
    build_podcast(demo)  # again: nothing changed, so no new revision
    assert PodcastEpisodePage.objects.get(pk=episode.pk).get_latest_revision() == revision


def test_feed_is_404_without_a_podcast(site, client):
    assert client.get("/podcast/feed.xml").status_code == 404


def test_episode_page_has_a_player_guests_and_transcript(demo, client):
    html = client.get("/podcast/voluntourism/").content.decode()
    assert (
        '<audio class="podcast__player" controls preload="none" src="https://media.ecpat.example/podcast/voluntourism.mp3">'
        in html
    )
    assert "Marks World Tourism Day 2022." in html
    assert 'id="transcript"' in html
    assert "Member representative, Anak Aman Indonesia" in html


def test_she_leads_episode_names_the_partners(demo, client):
    html = client.get("/podcast/she-leads-changing-norms/").content.decode()
    assert "Defence for Children – ECPAT the Netherlands" in html
    assert "African Women&#x27;s Development and Communication Network" in html


def test_podcast_index_lists_episodes_and_the_feed(demo, client):
    html = client.get("/podcast/").content.decode()
    assert 'href="/podcast/feed.xml"' in html
    assert html.count('class="podcast__meta"') == 7


def test_figures_api_returns_one_figure(demo, client):
    response = client.get("/api/comms/figures/?channel=linkedin&measure=followers&period_end=2023-07-31")
    data = json.loads(response.content)
    assert data["value"] == "27.00"
    assert data["unit"] == "percent"
    assert data["derivation"].startswith("LinkedIn followers 31 Jul 2023: 12,700 (8,420 on 31 Jul 2021")


def test_figures_api_lists_the_headline_figures_the_latest_report_chose(reports, client):
    data = json.loads(client.get("/api/comms/figures/").content)
    assert data["period"] == {"year": "2022-2023", "start": "2022-08-01", "end": "2023-07-31"}
    assert [f["value"] for f in data["figures"]] == ["27.00", "12.50", "3.00", "13.29", "108.00", "111.00"]


def test_figures_api_gives_another_report_by_its_year(reports, client):
    data = json.loads(client.get("/api/comms/figures/?year=2021-2022").content)
    assert data["period"]["end"] == "2022-07-31"
    new_members, linkedin = data["figures"]
    assert new_members["label"] == "New members"
    assert new_members["derivation"].startswith(
        f"{new_members['value']} organisations joined between 01 Aug 2021"
    )
    # The demo's LinkedIn exports start in August 2021, counted on from the total known on 31 July 2021.
    assert linkedin["value"] == "18.76"
    assert "8,420 on 31 Jul 2021 (a known total)" in linkedin["derivation"]


def test_figures_api_answers_404_for_a_year_without_a_report(reports, client):
    response = client.get("/api/comms/figures/?year=1999")
    assert response.status_code == 404
    assert "2022-2023, 2021-2022" in json.loads(response.content)["error"]


def test_figures_api_rejects_bad_parameters_with_400(demo, client):
    response = client.get("/api/comms/figures/?channel=linkedin&measure=followers&period_end=soon")
    assert response.status_code == 400
    assert "period_end='soon' should be a date" in json.loads(response.content)["error"]


def test_figures_api_answers_400_for_a_period_end_with_no_year_before_it(demo, client):
    response = client.get("/api/comms/figures/?period_end=0001-01-01&channel=linkedin&measure=followers")
    assert response.status_code == 400
    assert json.loads(response.content)["error"].startswith("period_end 0001-01-01 is too early")


def test_impact_page_shows_the_latest_reports_figures_with_derivations_and_a_chart(reports, client):
    html = client.get("/impact/").content.decode()
    assert "Impact in numbers, 2022-2023" in html
    assert "1 August 2022 to 31 July 2023" in html
    for text in ("+27%", "+12.5%", "+3%", "+13.29%", "+108%", "+111%"):
        assert text in html
    assert "31 Jul 2022: 20,000" in html
    assert 'role="img"' in html
    assert "<table" in html


def test_impact_page_shows_an_earlier_report_on_request_and_404s_for_an_unknown_year(reports, client):
    html = client.get("/impact/?year=2021-2022").content.decode()
    assert "Impact in numbers, 2021-2022" in html
    assert "+12.5%" not in html  # only the figure that report chose
    assert html.count('class="comms-figures__item"') == 2
    assert "+18.76%" in html
    assert client.get("/impact/?year=1999").status_code == 404


def test_impact_page_without_any_report_says_no_figures_were_chosen(demo, client):
    html = client.get("/impact/").content.decode()
    assert "has chosen no headline figures yet" in html
