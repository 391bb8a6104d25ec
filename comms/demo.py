"""The demo years' communications: channels, import shapes, the podcast and three years of observations.

Observations are generated with fixed seeds so the computed year-over-year changes equal the published ones
exactly: LinkedIn followers +27%, Instagram +12.5%, Facebook +3%, website visits +13.29% (periods ending 31 July 2022
and 31 July 2023). The year to 31 July 2024 continues them with slower growth (LinkedIn +18.9%, Instagram +8.89%,
Facebook +1.46%, website visits +9.24%) from a generator of its own, so the earlier values never move. Media
mentions come from monitoring (monitoring/demo.py).
"""

from __future__ import annotations

import io
import json
import math
import random
import re
from datetime import date, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page
from wagtail.utils.file import hash_filelike

from core.demo import DemoContext, demo_step, upsert_page

FIRST_DAY = date(2021, 8, 1)
YEAR_ENDS = (date(2022, 7, 31), date(2023, 7, 31), date(2024, 7, 31))
SEED = 2023  # the first two years; each later year is drawn from SEED + its distance from the second

CHANNELS = [
    ("facebook", "Facebook", "facebook", "https://www.facebook.com/ecpatinternational"),
    ("instagram", "Instagram", "instagram", "https://www.instagram.com/ecpatinternational"),
    ("linkedin", "LinkedIn", "linkedin", "https://www.linkedin.com/company/ecpat-international"),
    ("x", "X", "x", "https://x.com/ECPAT"),
    ("youtube", "YouTube", "youtube", "https://www.youtube.com/@ecpatinternational"),
    ("website", "Website", "website", "https://ecpat.org"),
    ("newsletter", "Newsletter", "newsletter", ""),
    ("traditional_media", "Traditional media", "traditional_media", ""),
    ("social_mentions", "Social media", "social_mentions", ""),
]

# Audience: value on 1 Aug 2021, then on 31 July of each of YEAR_ENDS.
FOLLOWERS = {
    "linkedin": (8_420, 10_000, 12_700, 15_100),  # +27%, then +18.9%
    "instagram": (7_310, 8_000, 9_000, 9_800),  # +12.5%, then +8.89%
    "facebook": (19_650, 20_000, 20_600, 20_900),  # +3%, then +1.46%
}
# Flows: total over each twelve months ending on one of YEAR_ENDS (Aug 2021–Jul 2022, …).
VISITS = (730_000, 827_017, 903_450)  # +13.29%, then +9.24%
# Traditional and social media mentions (+108%, +111%) are counted from matched items by monitoring/demo.py.

# LinkedIn exports only each day's new followers: the demo imports those exports as downloaded (built by
# comms/tests/data/make_samples.py) and counts the audience on from the total the page showed before them.
LINKEDIN_EXPORTS = sorted((Path(__file__).parent / "demo_data").glob("linkedin-followers-*.xls"))
COUNTED_FROM_EXPORTS = {"linkedin"}

IMPORT_SOURCES = [
    {
        "name": "yearbook-observations",
        "label": "Yearbook observations (channel, date, measures)",
        "channel": None,
        "channel_column": "channel",
        "date_column": "date",
        "date_format": "%Y-%m-%d",
        "columns": {
            "followers": "followers",
            "visits": "visits",
            "mentions": "mentions",
            "listens": "listens",
        },
    },
]


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split ``total`` into ``parts`` positive-ish integers with some noise; they always sum to ``total``."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    values = [math.floor(x) for x in exact]
    # Largest remainders get the units rounding left over, so no single day jumps (a chart would show it).
    by_remainder = sorted(range(parts), key=lambda i: exact[i] - values[i], reverse=True)
    for i in by_remainder[: total - sum(values)]:
        values[i] += 1
    return values


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def generated_observations() -> list[tuple[str, str, date, int]]:
    """(channel slug, measure, date, value) for Aug 2021–Jul 2024, the same on every run.

    The first two years come from one generator, drawn in the order they always were; each later year has a
    generator of its own, so adding a year never moves a value of the years before it."""
    spans = [days(FIRST_DAY, YEAR_ENDS[0])] + [
        days(before + timedelta(days=1), end) for before, end in zip(YEAR_ENDS, YEAR_ENDS[1:], strict=False)
    ]
    draws = [(SEED, [0, 1])] + [(SEED + n - 1, [n]) for n in range(2, len(YEAR_ENDS))]
    rows = []
    for seed, years in draws:
        rng = random.Random(seed)  # noqa: S311 (demo data, not security)
        for slug, values in FOLLOWERS.items():
            value = values[years[0]]
            for n in years:
                for day, step in zip(
                    spans[n], spread(values[n + 1] - value, len(spans[n]), rng), strict=True
                ):
                    value += step
                    rows.append((slug, "followers", day, value))
        for n in years:
            for day, visits in zip(spans[n], spread(VISITS[n], len(spans[n]), rng), strict=True):
                rows.append(("website", "visits", day, visits))
    return rows


@demo_step(order=200)
def build_channels_and_observations(ctx: DemoContext) -> None:
    from comms.models import AudienceBaseline, Channel, ImportBatch, ImportSource, Observation
    from comms.services import observations_import

    channels = {}
    for slug, name, kind, url in CHANNELS:
        channels[slug], _ = Channel.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "url": url, "owner_name": "ECPAT International"}
        )
    for spec in IMPORT_SOURCES:
        spec = dict(spec)
        channel = spec.pop("channel")
        ImportSource.objects.update_or_create(
            name=spec.pop("name"), defaults={**spec, "channel": channels[channel] if channel else None}
        )
    source = ImportSource.objects.get(name="yearbook-observations")
    Observation.objects.bulk_create(
        [
            Observation(channel=channels[slug], measure=measure, date=day, value=value, source=source)
            for slug, measure, day, value in generated_observations()
            if not (slug in COUNTED_FROM_EXPORTS and measure == "followers")
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["channel", "measure", "date"],
        update_fields=["value", "source"],
    )
    for slug in COUNTED_FROM_EXPORTS:
        AudienceBaseline.objects.update_or_create(
            channel=channels[slug],
            measure="followers",
            date=FIRST_DAY - timedelta(days=1),
            defaults={
                "value": FOLLOWERS[slug][0],
                "note": "The page's follower count before the first export.",
            },
        )
    # A second demo load imports the same files again: their observations are upserted, their batches replaced.
    ImportBatch.objects.filter(filename__in=[e.name for e in LINKEDIN_EXPORTS]).delete()
    for export in LINKEDIN_EXPORTS:
        report = observations_import(
            filename=export.name, content=export, export_format="linkedin-followers", write=True
        )
        if report.errors:
            raise RuntimeError(f"The demo's {export.name} did not import: {report.errors[:3]}")
    ctx.log(f"Comms: {len(channels)} channels and {Observation.objects.count()} observations.")


VOLUNTOURISM_TRANSCRIPT = """\
Host: Welcome. Today is World Tourism Day, and we are talking about voluntourism: short trips where visitors \
pay to work with children in orphanages, schools or shelters.

Guest, Sri Lanka: Many of these placements ask for no background check and no training. A child meets a new \
adult every few weeks, and some of those adults come precisely because access is so easy.

Guest, Indonesia: Tourism can support communities, but only when children are protected first. Operators, \
travellers and governments each have something to change.

Host: Thank you both. You can find our guidance for travellers and the travel industry on our website."""

# Where each paragraph of the transcript is heard (seconds); the chapters start at the same moments.
VOLUNTOURISM_PARAGRAPH_STARTS = (0, 95, 720, 1560)
VOLUNTOURISM_CHAPTERS = [
    (0, "Welcome: World Tourism Day and voluntourism"),
    (95, "Sri Lanka: placements without checks or training"),
    (720, "Indonesia: tourism that protects children first"),
    (1560, "Where to find our guidance"),
]
EPISODE_CHAPTERS = {"voluntourism": VOLUNTOURISM_CHAPTERS}


def webvtt(transcript: str, starts: tuple[int, ...]) -> str:
    """A WebVTT file of "Speaker: words" paragraphs: one cue per sentence, read at about 2.5 words a second."""
    lines = ["WEBVTT", ""]
    for paragraph, start in zip(transcript.split("\n\n"), starts, strict=True):
        speaker, _, words = paragraph.partition(": ")
        moment = float(start)
        for sentence in re.split(r"(?<=[.!?])\s+", words.strip()):
            end = moment + max(2.0, len(sentence.split()) / 2.5)
            lines += [f"{vtt_time(moment)} --> {vtt_time(end)}", f"<v {speaker}>{sentence}", ""]
            moment = end
    return "\n".join(lines)


def vtt_time(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{rest:06.3f}"


def upsert_document(*, title: str, filename: str, content: bytes):
    """A Wagtail document with this title holding exactly ``content`` (its file is replaced only if it differs)."""
    document_model = get_document_model()
    document = document_model.objects.filter(title=title).first()
    if document is not None and document.file_hash == hash_filelike(io.BytesIO(content)):
        return document
    if document is None:
        document = document_model(title=title, collection=Collection.get_first_root_node())
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


SHE_LEADS_EPISODES = [
    (
        "she-leads-why-girls-must-be-heard",
        "She Leads: why girls must be heard",
        date(2023, 3, 8),
        "Programme officers explain what She Leads sets out to change and why decisions about girls need girls "
        "in the room.",
        [("Programme officer", "Plan International Netherlands"), ("Youth advocate", "FEMNET")],
    ),
    (
        "she-leads-changing-norms",
        "She Leads: changing the norms that allow violence",
        date(2023, 4, 12),
        "Young women describe how they challenge harmful gender norms at home, at school and in local councils.",
        [("Programme officer", "Defence for Children – ECPAT the Netherlands"), ("Young leader", "")],
    ),
    (
        "she-leads-from-village-to-parliament",
        "She Leads: from village meetings to parliament",
        date(2023, 5, 17),
        "How girls' groups take their demands to formal institutions, and what partners learnt along the way.",
        [("Programme officer", "Terre des Hommes Netherlands"), ("Girls' group member", "")],
    ),
]


# Episodes of 2023-2024, standalone like the first: (slug, title, day, summary, guests, extra fields).
LATER_EPISODES = [
    (
        "after-the-summit-services-that-believe-boys",
        "After the summit: services that believe boys",
        date(2023, 11, 19),
        "Five months after Casablanca, practitioners from Morocco and Nepal describe how their teams now listen "
        "to boys who disclose abuse, and what still stands in the way of a first conversation.",
        [("Programme lead", "AMANE"), ("Counsellor", "Shakti Samuha")],
        {
            "commemoration": "World Day for the Prevention of Child Abuse 2023",
            "countries": ["MA", "NP"],
            "themes": "Boys, Care and recovery",
        },
    ),
    (
        "sextortion-what-teenagers-need",
        "Sextortion: what teenagers need from the adults around them",
        date(2024, 2, 6),
        "For Safer Internet Day 2024, a helpline team in Tanzania and a youth network in the Philippines talk "
        "about blackmail with intimate images, and why shame keeps so many young people from asking for help.",
        [("Helpline coordinator", "Mtoto Salama Foundation"), ("Youth organiser", "Pahayag Youth Network")],
        {
            "commemoration": "Safer Internet Day 2024",
            "countries": ["TZ", "PH"],
            "themes": "Online exploitation",
        },
    ),
    (
        "new-to-the-network",
        "New to the network: why members join",
        date(2024, 6, 18),
        "Organisations from Peru and Nepal that joined this year explain what they hope to give the network, "
        "and what they expect to take home to the children they work with.",
        [("Director", "Sendero Seguro Cusco"), ("Founder", "Surakshit Bachpan Samiti")],
        {"countries": ["PE", "NP"], "themes": "Network, Travel and tourism, Trafficking"},
    ),
]


SHOW_TITLE = "Ending The Silent Podcast"


def publish_children(page, relations: list[str]) -> None:
    """Publish a revision when the page's child rows (written directly, above) differ from its latest revision's,
    so the editor opens the page with them; an unchanged page gets no new revision."""
    page = type(page).objects.get(pk=page.pk)  # child relations as now in the database

    def comparable(data: dict) -> str:
        return json.dumps({name: data.get(name) for name in relations}, cls=DjangoJSONEncoder, sort_keys=True)

    revision = page.get_latest_revision()
    if revision is None or comparable(page.serializable_data()) != comparable(revision.content):
        page.save_revision().publish()


@demo_step(order=210)
def build_podcast(ctx: DemoContext) -> None:
    from django.db.models import Q

    from comms.models import (
        EpisodeChapter,
        EpisodeGuest,
        PodcastEpisodePage,
        PodcastIndexPage,
        PodcastSeries,
        PodcastShow,
    )
    from network.models import Organisation

    show, _ = PodcastShow.objects.update_or_create(
        title=SHOW_TITLE,
        defaults={
            "description": (
                "Conversations with people across the ECPAT network about what it takes to end the sexual "
                "exploitation of children."
            ),
            "author": "ECPAT International",
            "owner_name": "ECPAT International",
            "owner_email": "info@ecpat.example",
            "language": "en",
            "category": "Society & Culture",
            "image_url": "https://media.ecpat.example/podcast/artwork-3000.jpg",
            "guid": "9b1c7a8e-6a53-5a3e-9d7c-2a1f0f2c2023",
        },
    )
    series, _ = PodcastSeries.objects.update_or_create(
        show=show,
        season_number=2,
        defaults={
            "title": "She Leads",
            "description": (
                "A mini-series on She Leads, a programme that builds the lasting influence of girls and young "
                "women over the decisions that shape their lives in Africa and the Middle East."
            ),
        },
    )
    index = upsert_page(
        ctx.home,
        PodcastIndexPage,
        slug="podcast",
        title="Podcast",
        show=show,
        show_in_menus=True,
        introduction="<p>Listen in your browser, or subscribe in any podcast app with our feed.</p>",
    )
    ctx.shared["podcast_index"] = index
    episodes = [
        (
            "voluntourism",
            "Voluntourism: when helping harms children",
            date(2022, 9, 27),
            "For World Tourism Day 2022, ECPAT members in Sri Lanka and Indonesia explain why short volunteer "
            "placements with children put them at risk, and what responsible tourism should change.",
            [
                ("Member representative", "Lanka Child Guard"),
                ("Member representative", "Anak Aman Indonesia"),
            ],
            None,
            {
                "commemoration": "World Tourism Day 2022",
                "countries": ["LK", "ID"],
                "themes": "Travel and tourism, Voluntourism",
                "transcript": VOLUNTOURISM_TRANSCRIPT,
                "transcript_file": upsert_document(
                    title="Voluntourism: when helping harms children (transcript)",
                    filename="voluntourism.vtt",
                    content=webvtt(VOLUNTOURISM_TRANSCRIPT, VOLUNTOURISM_PARAGRAPH_STARTS).encode(),
                ),
            },
        ),
        *[
            (slug, title, day, summary, guests, series, {"themes": "Gender, Girls' leadership"})
            for slug, title, day, summary, guests in SHE_LEADS_EPISODES
        ],
        *[
            (slug, title, day, summary, guests, None, extra)
            for slug, title, day, summary, guests, extra in LATER_EPISODES
        ],
    ]
    for number, (slug, title, day, summary, guests, in_series, extra) in enumerate(episodes, start=1):
        page = upsert_page(
            index,
            PodcastEpisodePage,
            slug=slug,
            title=title,
            episode_number=number,
            series=in_series,
            publication_date=day,
            summary=summary,
            enclosure_url=f"https://media.ecpat.example/podcast/{slug}.mp3",
            enclosure_length=18_000_000 + number * 1_234_567,
            enclosure_type="audio/mpeg",
            duration_seconds=1500 + number * 137,
            guid=f"6f0e2c1a-0000-4000-8000-{number:012d}",
            **extra,
        )
        for order, (role, organisation) in enumerate(guests):
            EpisodeGuest.objects.update_or_create(
                episode=page,
                sort_order=order,
                defaults={
                    # A guest without an organisation on file is known only by the role they speak in.
                    "role": role if organisation else "",
                    "organisation": (
                        Organisation.objects.get(Q(name=organisation) | Q(short_name=organisation))
                        if organisation
                        else None
                    ),
                    "name": "" if organisation else role,
                },
            )
        chapters = EPISODE_CHAPTERS.get(slug, [])
        EpisodeChapter.objects.filter(episode=page, sort_order__gte=len(chapters)).delete()
        for order, (start, chapter_title) in enumerate(chapters):
            EpisodeChapter.objects.update_or_create(
                episode=page,
                sort_order=order,
                defaults={"start": timedelta(seconds=start), "title": chapter_title},
            )
        publish_children(page, ["guests", "chapters"])
    # The series is made with the organisations whose people speak in it.
    series.partners.set(Organisation.objects.filter(podcast_appearances__episode__series=series).distinct())


@demo_step(order=810)  # after donations (800), which creates the donation page
def link_podcast_funding(ctx: DemoContext) -> None:
    """The show's podcast:funding link goes to the donation page, found by its page type's app (comms does not
    import donations)."""
    from comms.models import PodcastShow

    donation_page = Page.objects.live().filter(content_type__app_label="donations", slug="donate").first()
    if donation_page is None:
        ctx.log("Comms: no donation page, so the podcast feed has no funding link.")
        return
    PodcastShow.objects.filter(title=SHOW_TITLE).update(
        funding_page=donation_page, funding_text="Support our work with children"
    )
    ctx.log(f"Comms: the podcast feed asks listeners to give at {donation_page.url_path}.")
