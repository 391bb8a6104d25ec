"""Factories for channels, import sources and observations (traits for the common platform shapes) and for the
podcast: show, index, episodes with their people, chapters, transcript and artwork."""

from datetime import date, timedelta

import factory
import wagtail_factories
from wagtail.models import Collection

from comms.models import (
    Channel,
    ChannelKind,
    EpisodeChapter,
    EpisodeCredit,
    EpisodeGuest,
    ImportSource,
    Measure,
    Observation,
    PodcastEpisodePage,
    PodcastIndexPage,
    PodcastShow,
)
from network.factories import PersonFactory


class ChannelFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    kind = ChannelKind.WEBSITE

    class Meta:
        model = Channel
        django_get_or_create = ("slug",)


class ImportSourceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"source-{n}")
    label = factory.LazyAttribute(lambda o: f"{o.name} export")
    channel = factory.SubFactory(ChannelFactory)
    date_column = "date"
    columns = factory.LazyFunction(lambda: {"visits": Measure.VISITS})

    class Meta:
        model = ImportSource

    class Params:
        linkedin = factory.Trait(
            channel=factory.SubFactory(ChannelFactory, slug="linkedin", kind=ChannelKind.LINKEDIN),
            date_column="Date",
            date_format="%m/%d/%Y",
            columns={"Total followers": Measure.FOLLOWERS},
        )
        generic = factory.Trait(channel=None, channel_column="channel")


class ObservationFactory(factory.django.DjangoModelFactory):
    channel = factory.SubFactory(ChannelFactory)
    measure = Measure.FOLLOWERS
    date = factory.Sequence(lambda n: date.fromordinal(date(2023, 7, 31).toordinal() - n))
    value = factory.Faker("pyint", min_value=100, max_value=50_000)

    class Meta:
        model = Observation


class PodcastShowFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Podcast {n}")
    description = factory.Faker("sentence")
    author = factory.Faker("company")
    owner_name = factory.Faker("name")
    owner_email = factory.Sequence(lambda n: f"podcast{n}@example.org")

    class Meta:
        model = PodcastShow


class PodcastIndexPageFactory(wagtail_factories.PageFactory):
    title = "Podcast"
    slug = "podcast"
    show = factory.SubFactory(PodcastShowFactory)

    class Meta:
        model = PodcastIndexPage


def root_collection() -> Collection:
    return Collection.get_first_root_node()


class TranscriptFactory(wagtail_factories.DocumentFactory):
    """A WebVTT transcript document; the ``srt`` trait makes it SubRip."""

    title = "Transcript"
    collection = factory.LazyFunction(root_collection)
    file = factory.django.FileField(
        filename="transcript.vtt",
        data=b"WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Host>Welcome to the show.\n",
    )

    class Params:
        srt = factory.Trait(
            file=factory.django.FileField(
                filename="transcript.srt", data=b"1\n00:00:00,000 --> 00:00:04,000\nWelcome to the show.\n"
            )
        )


class ArtworkFactory(wagtail_factories.ImageFactory):
    title = "Artwork"
    collection = factory.LazyFunction(root_collection)
    file = factory.django.ImageField(width=1400, height=1400, color="navy")


class PodcastEpisodePageFactory(wagtail_factories.PageFactory):
    """A published episode with external audio; traits add a transcript file or artwork."""

    title = factory.Sequence(lambda n: f"Episode {n + 1}")
    episode_number = factory.Sequence(lambda n: n + 1)
    publication_date = factory.Sequence(lambda n: date(2023, 1, 1) + timedelta(days=7 * n))
    summary = factory.Faker("sentence")
    enclosure_url = factory.LazyAttribute(lambda o: f"https://media.example.org/{o.slug}.mp3")
    enclosure_length = 12_345_678
    duration_seconds = 1800

    class Meta:
        model = PodcastEpisodePage

    class Params:
        with_transcript = factory.Trait(transcript_file=factory.SubFactory(TranscriptFactory))
        with_artwork = factory.Trait(artwork=factory.SubFactory(ArtworkFactory))


class EpisodeGuestFactory(factory.django.DjangoModelFactory):
    """A guest on file as a network person; the ``host`` trait credits them as the host."""

    episode = factory.SubFactory(PodcastEpisodePageFactory)
    person = factory.SubFactory(PersonFactory)
    sort_order = factory.Sequence(lambda n: n)  # in the order they are made

    class Meta:
        model = EpisodeGuest

    class Params:
        host = factory.Trait(credit=EpisodeCredit.HOST)


class EpisodeChapterFactory(factory.django.DjangoModelFactory):
    episode = factory.SubFactory(PodcastEpisodePageFactory)
    start = factory.Sequence(lambda n: timedelta(minutes=5 * n))
    sort_order = factory.Sequence(lambda n: n)
    title = factory.Faker("sentence", nb_words=4)

    class Meta:
        model = EpisodeChapter
