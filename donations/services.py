"""Donation writes: record the intent first, call PayPal outside any transaction, record each payment once.

Every database step is one ``transaction.atomic`` block; network calls to PayPal happen between them, never
inside (a transaction held open across a slow PayPal call would block every other writer). Duplicates are
refused by unique constraints: a service inserts and treats IntegrityError as "already recorded".
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_countries import countries
from wagtail.models import Page

from donations.custom_id import GiftTag, gift_tag_for, gift_tag_parse
from donations.emails import MANAGE_SALT, ecard_send, manage_url, receipt_send
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
    Refund,
    RefundKind,
    Subscription,
    SubscriptionStatus,
)
from donations.paypal import PayPalClient, PayPalError, money

logger = logging.getLogger("yearbook.donations")
__all__ = ["manage_url"]  # re-exported: the manage view and the tests reach it through services
PRODUCT_REQUEST_ID = "yearbook-donations-product"


class DonationError(Exception):
    """Something the donor or PayPal did that we cannot act on; the message is shown as is."""

    code = "unconfirmed"


class ReturnMismatch(DonationError):
    """A return link for another donor's order, or a forged one (a 400, nothing recorded)."""

    code = "mismatch"


class FundingDeclined(DonationError):
    """PayPal declined the card or account the donor chose; they may choose another and pay again."""

    code = "declined"


class PayPalUnavailable(DonationError):
    """PayPal did not answer in time; asking again later may succeed."""


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
                custom_id=gift_tag_for(intent),
                description="Donation",
                return_url=ret,
                cancel_url=cancel,
            )
            return _intent_update(intent, paypal_order_id=order["id"], approve_url=client.approve_url(order))
        plan_id = _plan_for(client=client, amount=intent.amount, currency=intent.currency)
        created = client.subscription_create(
            request_id=str(intent.paypal_request_id),
            plan_id=plan_id,
            custom_id=gift_tag_for(intent),
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


# A rebuilt dedicated gift's honoree: the name never went to PayPal, which is not the place to hold it.
HONOREE_NOT_RECOVERED = "(name not recovered)"


def _payer_name(payer: dict) -> str:
    name = payer.get("payer_name") or {}
    parts = [name.get("given_name", ""), name.get("surname", "")]
    return (
        " ".join(p for p in parts if p).strip()
        or name.get("full_name")
        or name.get("alternate_full_name")
        or ""
    )


@transaction.atomic
def donation_intent_rebuild(
    *,
    tag: GiftTag,
    payer: dict,
    amount: Decimal,
    currency: str,
    created_at: datetime,
    paypal_order_id: str | None = None,
    paypal_subscription_id: str | None = None,
) -> DonationIntent:
    """The intent of a gift PayPal holds and this database does not (restored from a backup taken before it):
    rebuilt with the same public ID from the custom_id's tag, its donor found or made from PayPal's payer_info,
    so the thank-you page, the receipt and the donor's history show it again. What never went to PayPal (the
    honoree's name, message and e-card address, the consent to news) is not rebuilt."""
    existing = DonationIntent.objects.filter(public_id=tag.public_id).select_related("donor").first()
    if existing:
        return existing
    if not tag.rebuildable:
        raise DonationError(
            "Its custom_id is a bare ID, which does not say the gift was made through Yearbook."
        )
    email = (payer.get("email_address") or "").strip().lower()
    if not email:
        raise DonationError("PayPal listed no payer email, so its donor cannot be rebuilt.")
    donor = Donor.objects.filter(email=email).first()
    if donor is None:
        try:
            with transaction.atomic():
                donor = Donor.objects.create(
                    email=email,
                    name=(_payer_name(payer) or email.split("@", 1)[0])[:200],
                    country=countries.alpha2(payer.get("country_code") or "") or "",
                )
                Donor.objects.filter(pk=donor.pk).update(created_at=created_at)
        except IntegrityError:
            donor = Donor.objects.get(email=email)
    page_id = tag.origin_page_id
    if page_id is not None and not Page.objects.filter(pk=page_id).exists():
        page_id = None
    try:
        with transaction.atomic():
            intent = DonationIntent.objects.create(
                public_id=tag.public_id,
                idempotency_key=f"rebuilt-{tag.public_id.hex}",
                donor=donor,
                amount=amount,
                currency=currency,
                frequency=tag.frequency,
                dedication=tag.dedication,
                honoree_name=HONOREE_NOT_RECOVERED if tag.dedication != Dedication.NONE else "",
                origin_page_id=page_id,
                paypal_order_id=paypal_order_id,
                paypal_subscription_id=paypal_subscription_id,
            )
    except IntegrityError:
        return DonationIntent.objects.select_related("donor").get(public_id=tag.public_id)
    DonationIntent.objects.filter(pk=intent.pk).update(created_at=created_at)
    intent.refresh_from_db()
    return intent


# -- payments -----------------------------------------------------------------------------------------------

# PayPal's answers that mean "the donor must choose another funding source", then the order is captured again
# (PayPal's guide "Handle funding failures"; checkout_orders_v2, orders.capture-422).
FUNDING_FAILURES = {"INSTRUMENT_DECLINED", "PAYER_ACTION_REQUIRED", "REDIRECT_PAYER_FOR_ALTERNATE_FUNDING"}

# Which status may follow which: PayPal's events arrive in any order and twice, so a payment only moves forward
# (a late PAYMENT.CAPTURE.COMPLETED never brings a refunded payment back).
NEXT_STATUSES = {
    PaymentStatus.PENDING: {PaymentStatus.COMPLETED, PaymentStatus.DENIED},
    PaymentStatus.COMPLETED: {
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
        PaymentStatus.REVERSED,
    },
    PaymentStatus.PARTIALLY_REFUNDED: {
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
        PaymentStatus.REVERSED,
    },
    PaymentStatus.REFUNDED: set(),
    PaymentStatus.REVERSED: set(),
    PaymentStatus.DENIED: set(),
}


def _payment_completed(donation: Donation) -> None:
    """A payment became money: its intent is completed, and the receipt and any e-card go after commit."""
    intent_id = donation.intent_id
    if intent_id:
        completed = (
            DonationIntent.objects.filter(pk=intent_id)
            .exclude(status=IntentStatus.COMPLETED)
            .update(status=IntentStatus.COMPLETED, failure_reason="", updated_at=timezone.now())
        )
        ecard = DonationIntent.objects.filter(
            pk=intent_id, ecard_sent_at__isnull=True, dedication__in=[Dedication.HONOUR, Dedication.MEMORY]
        ).exclude(ecard_email="")
        if completed and ecard.update(ecard_sent_at=timezone.now()):
            transaction.on_commit(lambda: ecard_send(intent_id))
    transaction.on_commit(lambda: receipt_send(donation.pk))


def _payment_denied(donation: Donation, reason: str) -> None:
    if donation.intent_id and not donation.subscription_id:
        DonationIntent.objects.filter(pk=donation.intent_id).exclude(status=IntentStatus.COMPLETED).update(
            status=IntentStatus.FAILED,
            failure_reason=f"PayPal denied the payment ({reason or 'no reason given'}).",
            updated_at=timezone.now(),
        )


@transaction.atomic
def payment_status_apply(*, donation: Donation, status: str, reason: str = "") -> bool:
    """Move a payment to PayPal's newer status if that is a step forward; True when it moved."""
    moved = Donation.objects.filter(pk=donation.pk, status__in=_statuses_before(status)).update(
        status=status, status_reason=reason[:64]
    )
    if not moved:
        return False
    donation.refresh_from_db()
    if status == PaymentStatus.COMPLETED:
        _payment_completed(donation)
    elif status == PaymentStatus.DENIED:
        _payment_denied(donation, reason)
    elif status in (PaymentStatus.REFUNDED, PaymentStatus.REVERSED) and not donation.subscription_id:
        DonationIntent.objects.filter(pk=donation.intent_id).update(
            status=IntentStatus.REFUNDED, updated_at=timezone.now()
        )
    return True


def _statuses_before(status: str) -> list[str]:
    return [before for before, after in NEXT_STATUSES.items() if status in after]


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
    status: str = PaymentStatus.COMPLETED,
    status_reason: str = "",
) -> tuple[Donation, bool]:
    """Record one PayPal payment; a second call for the same transaction moves the first row's status forward
    (a pending capture that completed) and returns it."""
    donor = intent.donor if intent else (subscription.donor if subscription else None)
    paypal_id = capture_id or sale_id
    try:
        with transaction.atomic():
            donation = Donation.objects.create(
                intent=intent,
                donor=donor,
                subscription=subscription,
                paypal_id=paypal_id,
                paypal_capture_id=capture_id,
                paypal_sale_id=sale_id,
                amount=amount,
                currency=currency,
                source=source,
                status=status,
                status_reason=status_reason[:64],
                received_at=received_at or timezone.now(),
            )
    except IntegrityError:
        existing = Donation.objects.get(paypal_id=paypal_id)
        if existing.status != status:
            payment_status_apply(donation=existing, status=status, reason=status_reason)
            existing.refresh_from_db()
        return existing, False
    if status == PaymentStatus.COMPLETED:
        _payment_completed(donation)
    elif status == PaymentStatus.DENIED:
        _payment_denied(donation, status_reason)
    return donation, True


@transaction.atomic
def refund_record(
    *,
    donation: Donation,
    refund_id: str,
    amount: Decimal,
    kind: str,
    received_at: datetime | None = None,
    total_refunded: Decimal | None = None,
) -> tuple[Refund, bool]:
    """Record money going back from a payment once; the payment becomes partly refunded, refunded or reversed.

    ``total_refunded`` is PayPal's own running total (seller_payable_breakdown.total_refunded_amount) when the
    event carries it: it is trusted over our sum, which may miss a refund whose event has not arrived yet.
    """
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                donation=donation,
                paypal_refund_id=refund_id,
                kind=kind,
                amount=abs(amount),
                currency=donation.currency,
                received_at=received_at or timezone.now(),
            )
    except IntegrityError:
        return Refund.objects.get(paypal_refund_id=refund_id), False
    summed = donation.refunds.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    refunded = min(
        max(summed, abs(total_refunded) if total_refunded is not None else summed), donation.amount
    )
    Donation.objects.filter(pk=donation.pk).update(refunded_amount=refunded)
    if kind == RefundKind.REVERSAL:
        status = PaymentStatus.REVERSED
    elif refunded >= donation.amount:
        status = PaymentStatus.REFUNDED
    else:
        status = PaymentStatus.PARTIALLY_REFUNDED
    payment_status_apply(donation=donation, status=status)
    return refund, True


@transaction.atomic
def _intent_declined(intent: DonationIntent, *, issue: str, retry_url: str = "") -> None:
    """PayPal declined the funding source: the donor is asked to choose another, and the next capture gets a new
    PayPal-Request-Id (the old one would replay the cached refusal)."""
    fields = {
        "status": IntentStatus.DECLINED,
        "failure_reason": f"{issue}: PayPal declined the funding source; the donor may choose another.",
        "capture_request_id": uuid.uuid4(),
        "updated_at": timezone.now(),
    }
    if retry_url:
        fields["approve_url"] = retry_url[:500]
    DonationIntent.objects.filter(
        pk=intent.pk, status__in=[IntentStatus.PENDING, IntentStatus.DECLINED]
    ).update(**fields)


def donation_capture(*, public_id: str, order_id: str, source: str = PaymentSource.RETURN) -> Donation:
    """The donor is back from approving an order (or PayPal told us it was approved): capture it at PayPal and
    record the capture, completed or pending. A declined funding source raises FundingDeclined."""
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
        if exc.name in FUNDING_FAILURES:
            _intent_declined(intent, issue=exc.name, retry_url=exc.link("redirect"))
            raise FundingDeclined(DECLINED_MESSAGE) from exc
        if exc.name == "ORDER_NOT_APPROVED":
            raise DonationError("PayPal has not approved this payment yet.") from exc
        if exc.name != "ORDER_ALREADY_CAPTURED":
            logger.warning("Capture of %s failed: %s", order_id, exc)
            raise PayPalUnavailable(
                "PayPal did not confirm your payment yet. If it goes through we will email your receipt."
            ) from exc
        try:
            order = client.order_get(order_id)
        except PayPalError as exc:
            raise PayPalUnavailable("PayPal did not confirm your payment yet.") from exc
    captures = client.captures(order)
    if not captures:
        raise DonationError("PayPal did not complete this payment.")
    # After a declined capture and a new funding source an order holds several captures: the last one counts.
    capture = captures[-1]
    if capture.status in ("DECLINED", "FAILED"):
        _intent_declined(intent, issue=f"CAPTURE_{capture.status}")
        raise FundingDeclined(DECLINED_MESSAGE)
    donation, _ = payment_record(
        intent=intent,
        capture_id=capture.capture_id,
        amount=capture.amount,
        currency=capture.currency,
        source=source,
        status=PaymentStatus.PENDING if capture.status == "PENDING" else PaymentStatus.COMPLETED,
        status_reason=capture.reason,
    )
    return donation


DECLINED_MESSAGE = (
    "PayPal could not take the payment from the card or account you chose. Nothing was charged: "
    "choose another way to pay at PayPal."
)


# -- subscriptions ------------------------------------------------------------------------------------------

# PayPal's subscription statuses (billing_subscriptions_v1); APPROVED is approved but not yet billed.
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
        intent = _intent_by_custom(custom_id)
    return intent


def _intent_by_custom(custom_id: str) -> DonationIntent | None:
    """The intent whose public ID PayPal carries back in custom_id (either form, see donations/custom_id.py)."""
    tag = gift_tag_parse(custom_id)
    return (
        DonationIntent.objects.filter(public_id=tag.public_id).select_related("donor").first()
        if tag
        else None
    )


def public_id_of(custom_id: str) -> str:
    """The intent's public ID in a custom_id, as text ("" when it carries none)."""
    tag = gift_tag_parse(custom_id)
    return str(tag.public_id) if tag else ""


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
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


# -- the sweep ----------------------------------------------------------------------------------------------

# An intent whose web worker died between saving it and asking PayPal: after this long nobody can be paying.
UNSENT_AFTER = timedelta(minutes=30)
# PayPal keeps an unapproved order for three days; an approved one must be captured within three hours.
ORDER_LIFETIME = timedelta(days=3)


@dataclass
class SweepReport:
    closed: list[str] = field(default_factory=list)  # intents that never reached PayPal
    captured: list[str] = field(default_factory=list)  # approved orders captured by the sweep
    declined: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)  # orders PayPal no longer holds
    waiting: int = 0  # orders still awaiting the donor's approval


def donation_intents_sweep(*, now: datetime | None = None) -> SweepReport:
    """Close intents abandoned before PayPal was called; capture approved orders whose capture failed (the
    return and the CHECKOUT.ORDER.APPROVED webhook both missed), while PayPal still holds them."""
    now = now or timezone.now()
    report = SweepReport()
    unsent = DonationIntent.objects.filter(
        status=IntentStatus.PENDING,
        approve_url="",
        paypal_order_id__isnull=True,
        paypal_subscription_id__isnull=True,
        created_at__lt=now - UNSENT_AFTER,
    )
    for intent in unsent:
        _intent_fail(
            intent, reason="The request to PayPal never went out (the server stopped); nothing was charged."
        )
        report.closed.append(str(intent.public_id))
    open_orders = DonationIntent.objects.filter(
        frequency=Frequency.ONE_OFF,
        status__in=[IntentStatus.PENDING, IntentStatus.DECLINED],
        paypal_order_id__isnull=False,
        payments__isnull=True,
    )
    client = paypal()
    for intent in open_orders:
        report_key = str(intent.public_id)
        try:
            order = client.order_get(intent.paypal_order_id)
        except PayPalError as exc:
            if exc.status == 404 and intent.created_at < now - ORDER_LIFETIME:
                _intent_close(
                    intent, status=IntentStatus.ABANDONED, reason="PayPal no longer holds the order."
                )
                report.expired.append(report_key)
            continue  # PayPal unreachable: the next sweep tries again
        if order.get("status") in ("APPROVED", "COMPLETED"):
            try:
                donation_capture(
                    public_id=report_key, order_id=intent.paypal_order_id, source=PaymentSource.RECONCILE
                )
                report.captured.append(report_key)
            except FundingDeclined:
                report.declined.append(report_key)
            except DonationError as exc:
                logger.info("Sweep could not capture %s yet: %s", intent.paypal_order_id, exc)
        elif order.get("status") == "VOIDED" or intent.created_at < now - ORDER_LIFETIME:
            _intent_close(intent, status=IntentStatus.ABANDONED, reason="The donor never approved the order.")
            report.expired.append(report_key)
        else:
            report.waiting += 1
    return report


def _intent_close(intent: DonationIntent, *, status: str, reason: str) -> None:
    DonationIntent.objects.filter(
        pk=intent.pk, status__in=[IntentStatus.PENDING, IntentStatus.DECLINED]
    ).update(status=status, failure_reason=reason[:255], updated_at=timezone.now())
