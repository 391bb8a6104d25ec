"""Factories for donations: a donor, a one-off intent with its PayPal order, a monthly subscription, a payment."""

from decimal import Decimal

import factory
from django.utils import timezone

from donations.models import (
    Donation,
    DonationIntent,
    Donor,
    Frequency,
    IntentStatus,
    PaymentSource,
    PaymentStatus,
    Subscription,
    SubscriptionStatus,
)


class DonorFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"donor{n}@example.org")
    country = "GH"

    class Meta:
        model = Donor


class DonationIntentFactory(factory.django.DjangoModelFactory):
    """A one-off gift sent to PayPal and awaiting the donor's approval (Traits: monthly, completed)."""

    donor = factory.SubFactory(DonorFactory)
    idempotency_key = factory.Sequence(lambda n: f"intent-key-{n}")
    amount = Decimal("25.00")
    currency = "EUR"
    frequency = Frequency.ONE_OFF
    paypal_order_id = factory.Sequence(lambda n: f"ORDER{n:013d}")
    approve_url = factory.LazyAttribute(
        lambda o: f"https://paypal.invalid/checkoutnow?token={o.paypal_order_id}"
    )

    class Meta:
        model = DonationIntent

    class Params:
        monthly = factory.Trait(
            frequency=Frequency.MONTHLY,
            paypal_order_id=None,
            paypal_subscription_id=factory.Sequence(lambda n: f"I-SUB{n:09d}"),
        )
        completed = factory.Trait(status=IntentStatus.COMPLETED)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    intent = factory.SubFactory(DonationIntentFactory, monthly=True)
    donor = factory.SelfAttribute("intent.donor")
    paypal_subscription_id = factory.SelfAttribute("intent.paypal_subscription_id")
    amount = factory.SelfAttribute("intent.amount")
    currency = factory.SelfAttribute("intent.currency")
    status = SubscriptionStatus.ACTIVE
    status_changed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscription


class DonationFactory(factory.django.DjangoModelFactory):
    """A completed one-off capture of its intent (Trait pending: PayPal still holds it)."""

    intent = factory.SubFactory(DonationIntentFactory, completed=True)
    donor = factory.SelfAttribute("intent.donor")
    paypal_id = factory.Sequence(lambda n: f"CAPTURE{n:010d}")
    paypal_capture_id = factory.SelfAttribute("paypal_id")
    amount = factory.SelfAttribute("intent.amount")
    currency = factory.SelfAttribute("intent.currency")
    source = PaymentSource.RETURN
    received_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Donation

    class Params:
        pending = factory.Trait(status=PaymentStatus.PENDING, status_reason="ECHECK")
