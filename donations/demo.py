"""Demo years: the donation page and a handful of gifts each year, recorded as test-mode (fake PayPal) payments."""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from core.demo import DemoContext, block, demo_step, upsert_page

# (donor, email, country, amount, currency, frequency, dedication, honoree, month offset from the year start)
GIFTS = [
    ("Ines Okafor", "ines.okafor@example.org", "NG", "25.00", "EUR", "monthly", "none", "", 0),
    (
        "Tomas Lindqvist",
        "tomas.l@example.org",
        "SE",
        "100.00",
        "EUR",
        "one_off",
        "memory",
        "Greta Lindqvist",
        2,
    ),
    ("Priya Raman", "priya.r@example.org", "IN", "50.00", "USD", "one_off", "none", "", 4),
    ("Somchai Wong", "somchai.w@example.org", "TH", "500.00", "THB", "monthly", "honour", "Khun Mali", 5),
    ("Harriet Moss", "harriet.moss@example.org", "GB", "40.00", "GBP", "one_off", "honour", "Class 4B", 9),
]
# The second year's gifts, the same way: new donors, and two who gave in the first year giving again.
LATER_GIFTS = [
    ("Lucas Ferreira", "lucas.ferreira@example.org", "BR", "30.00", "USD", "monthly", "none", "", 1),
    ("Priya Raman", "priya.r@example.org", "IN", "75.00", "USD", "one_off", "honour", "Amma", 3),
    ("Amara Diallo", "amara.diallo@example.org", "SN", "20.00", "EUR", "monthly", "none", "", 6),
    ("Jonas Becker", "jonas.becker@example.org", "DE", "250.00", "EUR", "one_off", "none", "", 8),
    (
        "Tomas Lindqvist",
        "tomas.l@example.org",
        "SE",
        "100.00",
        "EUR",
        "one_off",
        "memory",
        "Greta Lindqvist",
        10,
    ),
]


@demo_step(order=800)
def build_donations(ctx: DemoContext) -> None:
    from donations.models import (
        Donation,
        DonationIntent,
        DonationPage,
        DonationSettings,
        Donor,
        IntentStatus,
        PaymentSource,
        Subscription,
        SubscriptionStatus,
    )

    page = upsert_page(
        ctx.home,
        DonationPage,
        slug="donate",
        title="Donate",
        introduction=(
            "<p>Your gift funds research, training and advocacy across the network. A monthly gift lets "
            "member organisations plan ahead; you can stop it at any time with one click.</p>"
        ),
        body=[
            block("donation_form", {"heading": "Make a donation", "text": "", "presets": ""}, "donate-form")
        ],
    )
    DonationSettings.for_site(ctx.home.get_site())  # the default presets, in place before the first visitor
    # Numbered across the years, so the first year's gifts keep their keys (demo-0 …) and later ones follow.
    gifts = [(ctx.years[0], gift) for gift in GIFTS] + [(ctx.years[1], gift) for gift in LATER_GIFTS]
    for n, (year, gift) in enumerate(gifts):
        name, email, country, amount, currency, frequency, dedication, honoree, month = gift
        donor, _ = Donor.objects.get_or_create(email=email, defaults={"name": name, "country": country})
        when = timezone.make_aware(
            datetime.combine(
                year.start.replace(
                    month=(year.start.month + month - 1) % 12 + 1,
                    year=year.start.year + (year.start.month + month - 1) // 12,
                ),
                time(10),
            )
        )
        Donor.objects.filter(pk=donor.pk, created_at__gt=when).update(created_at=when)
        intent, intent_created = DonationIntent.objects.get_or_create(
            idempotency_key=f"demo-{n}",
            defaults={
                "donor": donor,
                "amount": Decimal(amount),
                "currency": currency,
                "frequency": frequency,
                "status": IntentStatus.COMPLETED,
                "dedication": dedication,
                "honoree_name": honoree,
                "origin_page": page,
            },
        )
        # created_at is auto_now_add: backdate the records to the day of the gift, not the day of the load.
        DonationIntent.objects.filter(pk=intent.pk).update(
            created_at=when, **({"updated_at": when} if intent_created else {})
        )
        subscription = None
        if frequency == "monthly":
            subscription, _ = Subscription.objects.get_or_create(
                paypal_subscription_id=f"I-DEMO{n:08d}",
                defaults={
                    "intent": intent,
                    "donor": donor,
                    "status": SubscriptionStatus.ACTIVE,
                    "amount": Decimal(amount),
                    "currency": currency,
                    "status_changed_at": when,
                },
            )
            Subscription.objects.filter(pk=subscription.pk).update(created_at=when)
        paypal_id = f"DEMO-SALE-{n}" if subscription else f"DEMO-CAPTURE-{n}"
        Donation.objects.get_or_create(
            paypal_id=paypal_id,
            defaults={
                "paypal_capture_id": None if subscription else paypal_id,
                "paypal_sale_id": paypal_id if subscription else None,
                "intent": intent,
                "donor": donor,
                "subscription": subscription,
                "amount": Decimal(amount),
                "currency": currency,
                "source": PaymentSource.DEMO,
                "received_at": when,
            },
        )
    ctx.log(f"donations: page /donate/ and {len(gifts)} test-mode gifts")
