"""Factories for the network."""

import factory

from network.models import FocusArea, Organisation, OrganisationKind, Person, Region


class RegionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")

    class Meta:
        model = Region


class FocusAreaFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")

    class Meta:
        model = FocusArea


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Member Organisation {n}")
    slug = factory.Sequence(lambda n: f"member-{n}")
    kind = OrganisationKind.MEMBER
    country = "KE"
    region = factory.SubFactory(RegionFactory)
    founded_year = 2000
    joined_on = factory.Faker("date_between", start_date="-10y", end_date="-2y")

    class Meta:
        model = Organisation


class PersonFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("name")
    role = "Programme officer"
    organisation = factory.SubFactory(OrganisationFactory)

    class Meta:
        model = Person
