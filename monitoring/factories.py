"""Factories for monitoring records."""

from datetime import UTC, datetime

import factory

from monitoring.models import Collection, Item, Source, SourceKind


class SourceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Daily Paper {n}")
    url = factory.Sequence(lambda n: f"https://paper{n}.example")
    kind = SourceKind.TRADITIONAL_NEWS
    country = "KE"
    language = "en"

    class Meta:
        model = Source

    class Params:
        social = factory.Trait(
            kind=SourceKind.SOCIAL_PLATFORM, name=factory.Sequence(lambda n: f"Social {n}")
        )


class CollectionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")

    class Meta:
        model = Collection


class ItemFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    title = factory.Sequence(lambda n: f"Story {n}")
    text = factory.Faker("paragraph")
    url = factory.Sequence(lambda n: f"https://paper.example/story/{n}")
    canonical_url = factory.LazyAttribute(lambda o: o.url.replace("https://", "https://"))
    fingerprint = factory.Sequence(lambda n: n)
    published_at = datetime(2023, 1, 2, 12, tzinfo=UTC)
    language = "en"

    class Meta:
        model = Item
