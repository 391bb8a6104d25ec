"""The emails of donations: a receipt per payment that completed, an e-card once per dedicated gift."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from donations.models import Donation, DonationIntent, PaymentStatus, Subscription

logger = logging.getLogger("yearbook.donations")
MANAGE_SALT = "donations.manage"


def manage_url(subscription: Subscription) -> str:
    """The donor's signed link to change or cancel a monthly gift (it carries no secret but the signature)."""
    token = signing.dumps({"s": subscription.paypal_subscription_id}, salt=MANAGE_SALT)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("donations:manage", args=[token])


def _send(*, subject: str, template: str, context: dict, to: str) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def receipt_send(donation_id: int) -> None:
    """Email the receipt of a completed payment, once: the row is claimed before sending."""
    claimed = Donation.objects.filter(
        pk=donation_id, status=PaymentStatus.COMPLETED, receipt_sent_at__isnull=True
    ).update(receipt_sent_at=timezone.now())
    if not claimed:
        return  # already sent, or the payment is pending, denied or gone back
    donation = Donation.objects.select_related("intent", "donor", "subscription").get(pk=donation_id)
    if donation.donor is None or donation.donor.erased_at:
        return
    context = {"donation": donation, "donor": donation.donor, "intent": donation.intent}
    if donation.subscription_id:
        context["manage_url"] = manage_url(donation.subscription)
    try:
        _send(
            subject=f"Thank you for your donation of {donation.amount} {donation.currency}",
            template="donations/email/receipt",
            context=context,
            to=donation.donor.email,
        )
    except Exception:  # the mail server failed: free the claim so a later attempt sends it
        Donation.objects.filter(pk=donation_id).update(receipt_sent_at=None)
        logger.exception("Receipt for payment %s not sent", donation_id)


def ecard_send(intent_id: int) -> None:
    """Email the e-card of a dedicated gift to the person it names."""
    intent = DonationIntent.objects.select_related("donor").get(pk=intent_id)
    _send(
        subject=(
            f"{intent.donor.name} made a gift {intent.get_dedication_display().lower()} {intent.honoree_name}"
        ),
        template="donations/email/ecard",
        context={"intent": intent, "donor": intent.donor},
        to=intent.ecard_email,
    )
