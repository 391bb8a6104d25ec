"""Factories for channels, import sources and observations (traits for the common platform shapes)."""

from datetime import date

import factory

from comms.models import Channel, ChannelKind, ImportSource, Measure, Observation


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
