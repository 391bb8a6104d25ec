"""Factories for speakers, consents and quotes, with traits for the consent states that matter."""

from datetime import date, timedelta

import factory

from network.factories import PersonFactory
from stories.models import Consent, Quote, Survivor


class SurvivorFactory(factory.django.DjangoModelFactory):
    chosen_name = factory.Sequence(lambda n: f"Nia{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}")

    class Meta:
        model = Survivor


class ConsentFactory(factory.django.DjangoModelFactory):
    survivor = factory.SubFactory(SurvivorFactory)
    given_on = date(2023, 1, 1)
    use_web = True
    use_print = True
    method = Consent.Method.WRITTEN

    class Meta:
        model = Consent

    class Params:
        expired = factory.Trait(valid_until=factory.LazyFunction(lambda: date.today() - timedelta(days=1)))
        print_only = factory.Trait(use_web=False, use_print=True)
        withdrawn = factory.Trait(
            withdrawn_on=factory.LazyFunction(date.today), withdrawal_reason="Asked us to stop"
        )


class QuoteFactory(factory.django.DjangoModelFactory):
    survivor = factory.SubFactory(SurvivorFactory)
    text = factory.Faker("sentence")

    class Meta:
        model = Quote

    class Params:
        staff = factory.Trait(survivor=None, person=factory.SubFactory(PersonFactory))
