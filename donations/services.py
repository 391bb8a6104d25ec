"""Donation writes: record the intent first, call PayPal outside any transaction, record each payment once.

Every database step is one ``transaction.atomic`` block; network calls to PayPal happen between them, never
inside (a transaction held open across a slow PayPal call would block every other writer). Duplicates are
refused by unique constraints: a service inserts and treats IntegrityError as "already recorded".
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from donations.models import (
    Dedication,
    Donation,
    DonationIntent,
    Donor,
    Frequency,
    IntentStatus,
    PaymentSource,
    PaymentStatus,
    PayPalPlan,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)
from donations.paypal import PayPalClient, PayPalError, money

logger = logging.getLogger("yearbook.donations")
MANAGE_SALT = "donations.manage"
PRODUCT_REQUEST_ID = "yearbook-donations-product"


class DonationError(Exception):
    """Something the donor or PayPal did that we cannot act on; the message is shown as is."""

    code = "unconfirmed"


class ReturnMismatch(DonationError):
    """A return link for another donor's order, or a forged one (a 400, nothing recorded)."""

    code = "mismatch"


class WebhookDeferred(Exception):
    """The event refers to something not recorded yet (out of order); PayPal is asked to deliver it again."""


def paypal() -> PayPalClient:
    return PayPalClient()


def idempotency_key(*, form_token: str, email: str, amount: Decimal, currency: str, frequency: str) -> str:
    """The same form submitted twice with the same content gives the same key (and so the same intent)."""
    raw = f"{form_token}|{email.lower()}|{amount:.2f}|{currency}|{frequency}"
    return hashlib.sha256(raw.encode()).hexdigest()


# -- donors -------------------------------------------------------------------------------------------------


def donor_upsert(*, email: str, name: str, country: str = "", consent_updates: bool = False) -> Donor:
    """The donor with this email, created or refreshed with the latest details."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            return Donor.objects.create(
                email=email, name=name, country=country, consent_updates=consent_updates
            )
    except IntegrityError:
        donor = Donor.objects.get(email=email)
        donor.name, donor.country = name, country or donor.country
        donor.consent_updates = consent_updates or donor.consent_updates
        donor.save(update_fields=["name", "country", "consent_updates"])
        return donor


@transaction.atomic
def donor_erase(*, donor: Donor) -> Donor:
    """Anonymise a donor; payments, amounts and PayPal IDs stay for the accounts."""
    donor.name = "Erased donor"
    donor.email = f"erased-{donor.pk}@invalid.example"
    donor.country = ""
    donor.consent_updates = False
    donor.erased_at = timezone.now()
    donor.save()
    donor.intents.update(dedication_message="", ecard_email="", honoree_name="Erased")
    donor.intents.filter(dedication=Dedication.NONE).update(honoree_name="")
    return donor


def donor_export(*, donor: Donor) -> dict:
    """Everything Yearbook holds about a donor, for a subject access request."""
    return {
        "name": donor.name,
        "email": donor.email,
        "country": str(donor.country),
        "consent_updates": donor.consent_updates,
        "created_at": donor.created_at.isoformat(),
        "gifts": [
            {
                "created_at": intent.created_at.isoformat(),
                "amount": str(intent.amount),
                "currency": intent.currency,
                "frequency": intent.frequency,
                "status": intent.status,
                "dedication": intent.dedication,
                "honoree_name": intent.honoree_name,
                "dedication_message": intent.dedication_message,
                "ecard_email": intent.ecard_email,
                "payments": [
                    {
                        "paypal_id": p.paypal_transaction_id,
                        "amount": str(p.amount),
                        "currency": p.currency,
                        "status": p.status,
                        "received_at": p.received_at.isoformat(),
                    }
                    for p in intent.payments.all()
                ],
            }
            for intent in donor.intents.prefetch_related("payments")
        ],
    }


def donors_erase_expired(*, now: datetime | None = None) -> int:
    """Erase donors whose last donation attempt (a gift begun, completed or not) is older than DONOR_RETENTION_DAYS
    and who give monthly no more: an attempt is contact with us too."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.DONOR_RETENTION_DAYS)
    expired = (
        Donor.objects.filter(erased_at__isnull=True)
        .annotate(last=Max("intents__created_at"))
        .filter(last__lt=cutoff)
        .exclude(subscriptions__status=SubscriptionStatus.ACTIVE)
    )
    count = 0
    for donor in expired:
        donor_erase(donor=donor)
        count += 1
    return count


# -- intents ------------------------------------------------------------------------------------------------


@transaction.atomic
def _intent_insert(*, key: str, donor_fields: dict, intent_fields: dict) -> tuple[DonationIntent, bool]:
    try:
        with transaction.atomic():
            donor = donor_upsert(**donor_fields)
            return DonationIntent.objects.create(idempotency_key=key, donor=donor, **intent_fields), True
    except IntegrityError:
        existing = DonationIntent.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def _intent_update(intent: DonationIntent, **fields) -> DonationIntent:
    DonationIntent.objects.filter(pk=intent.pk).update(**fields, updated_at=timezone.now())
    intent.refresh_from_db()
    return intent


def _intent_fail(intent: DonationIntent, *, reason: str) -> None:
    """PayPal could not be asked: the intent is failed and lets go of its idempotency key, so the donor's retry
    (the same form, so the same key) makes a new intent with a new PayPal-Request-Id instead of finding this one.
    A concurrent double submit that got an approval link meanwhile keeps the intent pending and its key."""
    DonationIntent.objects.filter(pk=intent.pk, status=IntentStatus.PENDING, approve_url="").update(
        status=IntentStatus.FAILED,
        failure_reason=reason,
        idempotency_key=f"failed-{intent.public_id.hex}",
        updated_at=timezone.now(),
    )


def _plan_for(*, client: PayPalClient, amount: Decimal, currency: str) -> str:
    """The monthly plan for this price, created at PayPal once (request IDs make concurrent creation safe)."""
    plan = PayPalPlan.objects.filter(currency=currency, amount=amount).first()
    if plan:
        return plan.plan_id
    known = PayPalPlan.objects.values_list("product_id", flat=True).first()
    product_id = known or client.product_create(request_id=PRODUCT_REQUEST_ID, name="Donations")["id"]
    created = client.plan_create(
        request_id=f"yearbook-plan-{currency}-{amount:.2f}",
        product_id=product_id,
        amount=amount,
        currency=currency,
    )
    try:
        with transaction.atomic():
            PayPalPlan.objects.create(
                currency=currency, amount=amount, product_id=product_id, plan_id=created["id"]
            )
    except IntegrityError:
        return PayPalPlan.objects.get(currency=currency, amount=amount).plan_id
    return created["id"]


def donation_intent_create(
    *,
    form_token: str,
    email: str,
    name: str,
    country: str,
    consent_updates: bool,
    amount: Decimal,
    currency: str,
    frequency: str,
    dedication: str = Dedication.NONE,
    honoree_name: str = "",
    dedication_message: str = "",
    ecard_email: str = "",
    origin_page=None,
    return_url: str,
    cancel_url: str,
) -> DonationIntent:
    """Save the intent, then create the PayPal order or subscription; returns the intent with its approve URL.

    Not one transaction on purpose: the intent is committed before PayPal is called, so an attempt that fails
    or is abandoned stays visible. A double submit finds the first intent and reuses its approval link.
    """
    key = idempotency_key(
        form_token=form_token, email=email, amount=amount, currency=currency, frequency=frequency
    )
    intent, _ = _intent_insert(
        key=key,
        donor_fields={"email": email, "name": name, "country": country, "consent_updates": consent_updates},
        intent_fields={
            "amount": amount,
            "currency": currency,
            "frequency": frequency,
            "dedication": dedication,
            "honoree_name": honoree_name if dedication != Dedication.NONE else "",
            "dedication_message": dedication_message if dedication != Dedication.NONE else "",
            "ecard_email": ecard_email if dedication != Dedication.NONE else "",
            "origin_page": origin_page,
        },
    )
    if intent.approve_url or intent.status != IntentStatus.PENDING:
        return intent
    client = paypal()
    sep = "&" if "?" in return_url else "?"
    ret = f"{return_url}{sep}intent={intent.public_id}"
    cancel = f"{cancel_url}{'&' if '?' in cancel_url else '?'}intent={intent.public_id}"
    try:
        if frequency == Frequency.ONE_OFF:
            order = client.order_create(
                request_id=str(intent.paypal_request_id),
                amount=intent.amount,
                currency=intent.currency,
                custom_id=str(intent.public_id),
                description="Donation",
                return_url=ret,
                cancel_url=cancel,
            )
            return _intent_update(intent, paypal_order_id=order["id"], approve_url=client.approve_url(order))
        plan_id = _plan_for(client=client, amount=intent.amount, currency=intent.currency)
        created = client.subscription_create(
            request_id=str(intent.paypal_request_id),
            plan_id=plan_id,
            custom_id=str(intent.public_id),
            return_url=ret,
            cancel_url=cancel,
        )
        return _intent_update(
            intent, paypal_subscription_id=created["id"], approve_url=client.approve_url(created)
        )
    except PayPalError as exc:
        logger.warning("PayPal refused intent %s: %s", intent.public_id, exc)
        _intent_fail(intent, reason=str(exc)[:255])
        raise DonationError(
            "PayPal could not be reached to take your donation. Nothing was charged; please try again shortly."
        ) from exc


@transaction.atomic
def donation_intent_abandon(*, public_id: str) -> DonationIntent | None:
    """The donor came back through PayPal's cancel link: a pending intent becomes abandoned."""
    intent = DonationIntent.objects.filter(public_id=public_id).first()
    if intent and intent.status == IntentStatus.PENDING:
        DonationIntent.objects.filter(pk=intent.pk, status=IntentStatus.PENDING).update(
            status=IntentStatus.ABANDONED
        )
        intent.refresh_from_db()
    return intent


# -- payments -----------------------------------------------------------------------------------------------


def _send_receipt(donation_id: int) -> None:
    donation = Donation.objects.select_related("intent", "donor", "subscription").get(pk=donation_id)
    if donation.donor is None or donation.donor.erased_at:
        return
    context = {"donation": donation, "donor": donation.donor, "intent": donation.intent}
    if donation.subscription_id:
        context["manage_url"] = manage_url(donation.subscription)
    message = EmailMultiAlternatives(
        subject=f"Thank you for your donation of {donation.amount} {donation.currency}",
        body=render_to_string("donations/email/receipt.txt", context),
        to=[donation.donor.email],
    )
    message.attach_alternative(render_to_string("donations/email/receipt.html", context), "text/html")
    message.send()
    Donation.objects.filter(pk=donation_id).update(receipt_sent_at=timezone.now())


def _send_ecard(intent_id: int) -> None:
    intent = DonationIntent.objects.select_related("donor").get(pk=intent_id)
    context = {"intent": intent, "donor": intent.donor}
    message = EmailMultiAlternatives(
        subject=f"{intent.donor.name} made a gift {intent.get_dedication_display().lower()} {intent.honoree_name}",
        body=render_to_string("donations/email/ecard.txt", context),
        to=[intent.ecard_email],
    )
    message.attach_alternative(render_to_string("donations/email/ecard.html", context), "text/html")
    message.send()


@transaction.atomic
def payment_record(
    *,
    amount: Decimal,
    currency: str,
    source: str,
    intent: DonationIntent | None = None,
    capture_id: str | None = None,
    sale_id: str | None = None,
    subscription: Subscription | None = None,
    received_at: datetime | None = None,
) -> tuple[Donation, bool]:
    """Record one PayPal payment; a second call for the same capture or sale returns the first row."""
    donor = intent.donor if intent else (subscription.donor if subscription else None)
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                intent=intent,
                donor=donor,
                subscription=subscription,
                paypal_capture_id=capture_id,
                paypal_sale_id=sale_id,
                amount=amount,
                currency=currency,
                source=source,
                received_at=received_at or timezone.now(),
            )
    except IntegrityError:
        existing = (
            Donation.objects.filter(paypal_capture_id=capture_id)
            if capture_id
            else (Donation.objects.filter(subscription=subscription, paypal_sale_id=sale_id))
        )
        return existing.get(), False
    if intent is not None:
        completed = (
            DonationIntent.objects.filter(pk=intent.pk)
            .exclude(status=IntentStatus.COMPLETED)
            .update(status=IntentStatus.COMPLETED, failure_reason="", updated_at=timezone.now())
        )
        if completed and intent.ecard_email and intent.ecard_sent_at is None:
            DonationIntent.objects.filter(pk=intent.pk).update(ecard_sent_at=timezone.now())
            transaction.on_commit(lambda: _send_ecard(intent.pk))
    transaction.on_commit(lambda: _send_receipt(donation.pk))
    return donation, True


def donation_capture(*, public_id: str, order_id: str) -> Donation:
    """The donor is back from approving an order: capture it at PayPal and record the capture."""
    intent = DonationIntent.objects.filter(public_id=_uuid_or_none(public_id)).select_related("donor").first()
    if intent is None or not order_id or intent.paypal_order_id != order_id:
        raise ReturnMismatch("This return link does not match a donation of yours.")
    existing = intent.payments.first()
    if existing:
        return existing
    client = paypal()
    try:
        order = client.order_capture(order_id=order_id, request_id=str(intent.capture_request_id))
    except PayPalError as exc:
        if exc.name != "ORDER_ALREADY_CAPTURED":
            if exc.name == "ORDER_NOT_APPROVED":
                raise DonationError("PayPal has not approved this payment yet.") from exc
            raise DonationError(
                "PayPal did not confirm your payment yet. If it goes through we will email your receipt."
            ) from exc
        order = client.order_get(order_id)
    captures = [c for c in client.captures(order) if c.status in ("COMPLETED", "PENDING")]
    if not captures:
        raise DonationError("PayPal did not complete this payment.")
    capture = captures[0]
    donation, _ = payment_record(
        intent=intent,
        capture_id=capture.capture_id,
        amount=capture.amount,
        currency=capture.currency,
        source=PaymentSource.RETURN,
    )
    return donation


# -- subscriptions ------------------------------------------------------------------------------------------

PAYPAL_STATUS = {
    "APPROVAL_PENDING": SubscriptionStatus.APPROVAL_PENDING,
    "APPROVED": SubscriptionStatus.ACTIVE,
    "ACTIVE": SubscriptionStatus.ACTIVE,
    "SUSPENDED": SubscriptionStatus.SUSPENDED,
    "CANCELLED": SubscriptionStatus.CANCELLED,
    "EXPIRED": SubscriptionStatus.EXPIRED,
}
TERMINAL = {SubscriptionStatus.CANCELLED, SubscriptionStatus.EXPIRED}


def _when(value: str | None) -> datetime:
    parsed = parse_datetime(value) if value else None
    return parsed or timezone.now()


@transaction.atomic
def subscription_record(
    *,
    paypal_subscription_id: str,
    intent: DonationIntent | None,
    status: str | None = None,
    changed_at: datetime | None = None,
) -> Subscription:
    """Create or update the local subscription; an older status change never overwrites a newer one."""
    defaults = {
        "intent": intent,
        "donor": intent.donor if intent else None,
        "amount": intent.amount if intent else Decimal("0"),
        "currency": intent.currency if intent else "",
    }
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                paypal_subscription_id=paypal_subscription_id, **defaults
            )
    except IntegrityError:
        subscription = Subscription.objects.select_for_update().get(
            paypal_subscription_id=paypal_subscription_id
        )
    if status is None:
        return subscription
    changed_at = changed_at or timezone.now()
    newer = subscription.status_changed_at is None or changed_at >= subscription.status_changed_at
    if newer and not (subscription.status in TERMINAL and status not in TERMINAL):
        subscription.status, subscription.status_changed_at = status, changed_at
        subscription.save(update_fields=["status", "status_changed_at"])
    return subscription


def _intent_for_subscription(paypal_subscription_id: str, custom_id: str = "") -> DonationIntent | None:
    intent = DonationIntent.objects.filter(paypal_subscription_id=paypal_subscription_id).first()
    if intent is None and custom_id:
        intent = (
            DonationIntent.objects.filter(public_id=_uuid_or_none(custom_id)).first()
            if _uuid_or_none(custom_id)
            else None
        )
    return intent


def _uuid_or_none(value: str):
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def subscription_activate(*, public_id: str, subscription_id: str) -> Subscription:
    """The donor is back from approving a monthly gift: confirm at PayPal, record it and any payment so far."""
    intent = DonationIntent.objects.filter(public_id=_uuid_or_none(public_id)).select_related("donor").first()
    if intent is None or not subscription_id or intent.paypal_subscription_id != subscription_id:
        raise ReturnMismatch("This return link does not match a donation of yours.")
    client = paypal()
    try:
        remote = client.subscription_get(subscription_id)
    except PayPalError as exc:
        raise DonationError(
            "PayPal did not confirm your monthly gift yet; we will email you when it does."
        ) from exc
    status = PAYPAL_STATUS.get(remote.get("status", ""), SubscriptionStatus.APPROVAL_PENDING)
    subscription = subscription_record(
        paypal_subscription_id=subscription_id,
        intent=intent,
        status=status,
        changed_at=_when(remote.get("status_update_time")),
    )
    start = (intent.created_at - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() + timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        sales = client.subscription_transactions(subscription_id, start=start, end=end)
    except PayPalError:
        sales = []  # the PAYMENT.SALE.COMPLETED webhook records it instead
    for sale in sales:
        if sale.get("status") == "COMPLETED":
            amount, currency = money(sale["amount_with_breakdown"]["gross_amount"])
            payment_record(
                intent=intent,
                subscription=subscription,
                sale_id=sale["id"],
                amount=amount,
                currency=currency,
                source=PaymentSource.RETURN,
                received_at=_when(sale.get("time")),
            )
    return subscription


def manage_url(subscription: Subscription) -> str:
    from django.urls import reverse

    token = signing.dumps({"s": subscription.paypal_subscription_id}, salt=MANAGE_SALT)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("donations:manage", args=[token])


def subscription_from_token(token: str) -> Subscription:
    try:
        data = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        raise DonationError("This link is not valid. Use the link from your receipt email.") from None
    subscription = Subscription.objects.filter(paypal_subscription_id=data.get("s")).first()
    if subscription is None:
        raise DonationError("This monthly gift no longer exists.")
    return subscription


def subscription_cancel(
    *, subscription: Subscription, reason: str = "Cancelled by the donor"
) -> Subscription:
    """Cancel at PayPal first (so the donor is not charged again), then locally; PayPal failing changes nothing."""
    if subscription.status in TERMINAL:
        return subscription
    try:
        paypal().subscription_cancel(
            subscription_id=subscription.paypal_subscription_id,
            request_id=str(subscription.cancel_request_id),
            reason=reason,
        )
    except PayPalError as exc:
        if exc.name != "SUBSCRIPTION_STATUS_INVALID":  # already cancelled at PayPal
            raise DonationError(
                "PayPal could not cancel the gift just now. Nothing changed; please try again."
            ) from exc
    return subscription_record(
        paypal_subscription_id=subscription.paypal_subscription_id,
        intent=subscription.intent,
        status=SubscriptionStatus.CANCELLED,
        changed_at=timezone.now(),
    )


# -- webhooks -----------------------------------------------------------------------------------------------


def _intent_by_custom(custom_id: str) -> DonationIntent | None:
    value = _uuid_or_none(custom_id)
    return DonationIntent.objects.filter(public_id=value).select_related("donor").first() if value else None


def _handle_capture_completed(resource: dict) -> str:
    intent = _intent_by_custom(resource.get("custom_id", ""))
    order_id = resource.get("supplementary_data", {}).get("related_ids", {}).get("order_id", "")
    if intent is None and order_id:
        intent = DonationIntent.objects.filter(paypal_order_id=order_id).first()
    amount, currency = money(resource["amount"])
    _, created = payment_record(
        intent=intent,
        capture_id=resource["id"],
        amount=amount,
        currency=currency,
        source=PaymentSource.WEBHOOK,
        received_at=_when(resource.get("create_time")),
    )
    return "payment recorded" if created else "payment already recorded"


def _mark_payment(donation: Donation | None, status: str) -> str:
    if donation is None:
        raise WebhookDeferred("payment not recorded yet")
    Donation.objects.filter(pk=donation.pk).update(status=status)
    if donation.intent_id and not donation.subscription_id:
        DonationIntent.objects.filter(pk=donation.intent_id).update(status=IntentStatus.REFUNDED)
    return f"payment {status}"


def _capture_id_from_refund(resource: dict) -> str:
    for link in resource.get("links", []):
        if link.get("rel") == "up" and "/captures/" in link.get("href", ""):
            return link["href"].rstrip("/").rsplit("/", 1)[-1]
    return ""


def _handle_sale_completed(resource: dict) -> str:
    subscription_id = resource.get("billing_agreement_id", "")
    if not subscription_id:
        return "ignored: sale without a subscription"
    intent = _intent_for_subscription(subscription_id, resource.get("custom", ""))
    if intent is None and not Subscription.objects.filter(paypal_subscription_id=subscription_id).exists():
        raise WebhookDeferred("subscription not known yet")
    subscription = subscription_record(paypal_subscription_id=subscription_id, intent=intent)
    amount, currency = money(resource["amount"])
    _, created = payment_record(
        intent=intent or subscription.intent,
        subscription=subscription,
        sale_id=resource["id"],
        amount=amount,
        currency=currency,
        source=PaymentSource.WEBHOOK,
        received_at=_when(resource.get("create_time")),
    )
    return "payment recorded" if created else "payment already recorded"


def _handle_subscription(event_type: str, resource: dict) -> str:
    subscription_id = resource["id"]
    intent = _intent_for_subscription(subscription_id, resource.get("custom_id", ""))
    if intent is None and not Subscription.objects.filter(paypal_subscription_id=subscription_id).exists():
        raise WebhookDeferred("subscription not known yet")
    if event_type == "BILLING.SUBSCRIPTION.PAYMENT.FAILED":
        subscription = subscription_record(paypal_subscription_id=subscription_id, intent=intent)
        Subscription.objects.filter(pk=subscription.pk).update(
            failed_payments=subscription.failed_payments + 1
        )
        return "payment failure counted"
    status = {
        "BILLING.SUBSCRIPTION.ACTIVATED": SubscriptionStatus.ACTIVE,
        "BILLING.SUBSCRIPTION.SUSPENDED": SubscriptionStatus.SUSPENDED,
        "BILLING.SUBSCRIPTION.CANCELLED": SubscriptionStatus.CANCELLED,
        "BILLING.SUBSCRIPTION.EXPIRED": SubscriptionStatus.EXPIRED,
    }[event_type]
    subscription_record(
        paypal_subscription_id=subscription_id,
        intent=intent,
        status=status,
        changed_at=_when(resource.get("status_update_time")),
    )
    return f"subscription {status}"


def _dispatch(event_type: str, resource: dict) -> str:
    if event_type == "PAYMENT.CAPTURE.COMPLETED":
        return _handle_capture_completed(resource)
    if event_type == "PAYMENT.CAPTURE.REFUNDED":
        donation = Donation.objects.filter(paypal_capture_id=_capture_id_from_refund(resource)).first()
        return _mark_payment(donation, PaymentStatus.REFUNDED)
    if event_type == "PAYMENT.CAPTURE.REVERSED":
        return _mark_payment(
            Donation.objects.filter(paypal_capture_id=resource.get("id")).first(), PaymentStatus.REVERSED
        )
    if event_type == "PAYMENT.SALE.COMPLETED":
        return _handle_sale_completed(resource)
    if event_type in ("PAYMENT.SALE.REFUNDED", "PAYMENT.SALE.REVERSED"):
        sale_id = resource.get("sale_id") or resource.get("id")
        status = PaymentStatus.REFUNDED if event_type.endswith("REFUNDED") else PaymentStatus.REVERSED
        return _mark_payment(Donation.objects.filter(paypal_sale_id=sale_id).first(), status)
    if event_type.startswith("BILLING.SUBSCRIPTION."):
        try:
            return _handle_subscription(event_type, resource)
        except KeyError:
            return f"ignored: {event_type}"
    return f"ignored: {event_type}"


@transaction.atomic
def webhook_event_record(*, event: dict) -> tuple[WebhookEvent, bool]:
    """Store a verified event and apply it, in one transaction; a redelivered event ID changes nothing.

    Raises WebhookDeferred (and stores nothing) when the event is about a payment or subscription not
    recorded yet, so PayPal's redelivery applies it later, in order.
    """
    try:
        with transaction.atomic():
            record = WebhookEvent.objects.create(
                event_id=event["id"],
                event_type=event.get("event_type", ""),
                resource_id=str(event.get("resource", {}).get("id", ""))[:64],
                payload=event,
            )
    except IntegrityError:
        return WebhookEvent.objects.get(event_id=event["id"]), False
    record.outcome = _dispatch(record.event_type, event.get("resource", {}))[:255]
    record.save(update_fields=["outcome"])
    return record, True


# -- reconciliation -----------------------------------------------------------------------------------------


@dataclass
class ReconcileReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # at PayPal, not here
    mismatched: list[str] = field(default_factory=list)  # amount or currency differ
    unknown_here: list[str] = field(default_factory=list)  # recorded here, not at PayPal
    repaired: list[str] = field(default_factory=list)
    paypal_totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.mismatched or self.unknown_here)


def donations_reconcile(
    *,
    since: date,
    until: date | None = None,
    repair: bool = False,
    progress: Callable[[str], None] = logger.info,
) -> ReconcileReport:
    """Compare recorded payments with PayPal's transaction search; with ``repair``, record what is missing."""
    report = ReconcileReport()
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    end = (
        datetime.combine(until, datetime.max.time(), tzinfo=UTC)
        if until
        else timezone.now() + timedelta(minutes=5)
    )
    transactions = paypal().transactions_search(
        start=start.strftime("%Y-%m-%dT%H:%M:%SZ"), end=end.strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    progress(f"PayPal lists {len(transactions)} transactions from {since}.")
    seen = set()
    for number, tx in enumerate(transactions, start=1):
        tid = tx["transaction_id"]
        seen.add(tid)
        amount, currency = money(tx["transaction_amount"])
        if tx.get("transaction_status") == "S":
            report.paypal_totals[currency] = report.paypal_totals.get(currency, Decimal("0")) + amount
        report.checked += 1
        local = (
            Donation.objects.filter(paypal_capture_id=tid).first()
            or Donation.objects.filter(paypal_sale_id=tid).first()
        )
        if local is None:
            report.missing.append(f"{tid}: {amount} {currency} not recorded")
            if repair and tx.get("transaction_status") == "S":
                _repair_missing(tx, amount, currency)
                report.repaired.append(tid)
        elif (local.amount, local.currency) != (amount, currency):
            report.mismatched.append(
                f"{tid}: here {local.amount} {local.currency}, PayPal {amount} {currency}"
            )
            if repair:
                Donation.objects.filter(pk=local.pk).update(amount=amount, currency=currency)
                report.repaired.append(tid)
        if number % 100 == 0:
            progress(f"{number}/{len(transactions)} checked")
    here = Donation.objects.filter(received_at__gte=start, received_at__lte=end)
    for donation in here.exclude(source=PaymentSource.DEMO):
        if donation.paypal_transaction_id not in seen:
            report.unknown_here.append(
                f"{donation.paypal_transaction_id}: {donation.amount} {donation.currency}"
            )
    progress(
        f"checked {report.checked}: {len(report.missing)} missing, {len(report.mismatched)} mismatched, "
        f"{len(report.unknown_here)} not at PayPal, {len(report.repaired)} repaired"
    )
    return report


def _repair_missing(tx: dict, amount: Decimal, currency: str) -> None:
    intent = _intent_by_custom(tx.get("custom_field", ""))
    received_at = _when(tx.get("transaction_initiation_date"))
    if tx.get("paypal_reference_id_type") == "SUB":
        subscription = subscription_record(
            paypal_subscription_id=tx["paypal_reference_id"],
            intent=intent or _intent_for_subscription(tx["paypal_reference_id"]),
        )
        payment_record(
            intent=subscription.intent,
            subscription=subscription,
            sale_id=tx["transaction_id"],
            amount=amount,
            currency=currency,
            source=PaymentSource.RECONCILE,
            received_at=received_at,
        )
    else:
        payment_record(
            intent=intent,
            capture_id=tx["transaction_id"],
            amount=amount,
            currency=currency,
            source=PaymentSource.RECONCILE,
            received_at=received_at,
        )
