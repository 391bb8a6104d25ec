"""Factories for events: by default an upcoming event with registration open."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone

from events.models import EventIndexPage, EventKind, EventPage, Participant, ParticipantStatus


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"
    slug = "events"
    show_in_menus = True

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Summit {n}")
    kind = EventKind.SUMMIT
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=2))
    city = "Casablanca"
    country = "MA"
    summary = factory.Faker("sentence")
    registration_opens = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    registration_closes = factory.LazyAttribute(lambda o: o.start - datetime.timedelta(days=1))

    class Meta:
        model = EventPage

    class Params:
        past = factory.Trait(
            start=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=60)),
            registration_opens=None,
            registration_closes=None,
        )


class ParticipantFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    country = "KE"
    status = ParticipantStatus.ATTENDED

    class Meta:
        model = Participant
