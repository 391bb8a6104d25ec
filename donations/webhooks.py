"""PayPal's webhook events: each event type has one small handler, looked up in a table.

An event is stored and applied in one transaction, once by event ID. A handler raises WebhookDeferred when the
event is about something not recorded yet (a refund before its payment): nothing is stored and PayPal, answered
503, delivers it again later. The capture that follows CHECKOUT.ORDER.APPROVED calls PayPal, so it runs before
the event is stored and outside any transaction; if PayPal cannot be reached the event is deferred the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import IntegrityError, transaction

from donations import services
from donations.models import (
    Donation,
    DonationIntent,
    PaymentSource,
    PaymentStatus,
    RefundKind,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)
from donations.paypal import money
from donations.services import _when


class WebhookDeferred(Exception):
    """The event refers to something not recorded yet (out of order); PayPal is asked to deliver it again."""


# -- helpers --------------------------------------------------------------------------------------------------


def _intent_of_capture(capture: dict) -> DonationIntent | None:
    """The capture's intent, by our custom_id or else by the order it belongs to."""
    intent = services._intent_by_custom(capture.get("custom_id", ""))
    order_id = (capture.get("supplementary_data") or {}).get("related_ids", {}).get("order_id", "")
    if intent is None and order_id:
        intent = DonationIntent.objects.filter(paypal_order_id=order_id).select_related("donor").first()
    return intent


def _captured_id(refund: dict) -> str:
    """The capture a v2 refund or reversal belongs to: its ``rel: up`` link."""
    for link in refund.get("links", []):
        if link.get("rel") == "up" and "/captures/" in link.get("href", ""):
            return link["href"].rstrip("/").rsplit("/", 1)[-1]
    return ""


def _total_refunded(refund: dict) -> Decimal | None:
    total = (refund.get("seller_payable_breakdown") or {}).get("total_refunded_amount")
    return money(total)[0] if total else None


def _refund(donation: Donation | None, refund: dict, *, kind: str, total: Decimal | None = None) -> str:
    if donation is None:
        raise WebhookDeferred("payment not recorded yet")
    amount = (
        money(refund["amount"])[0] if refund.get("amount") else donation.amount - donation.refunded_amount
    )
    _, created = services.refund_record(
        donation=donation,
        refund_id=refund.get("id") or f"{donation.paypal_id}-{kind}",
        amount=amount,
        kind=kind,
        received_at=_when(refund.get("create_time")),
        total_refunded=total,
    )
    donation.refresh_from_db()
    return (
        f"{kind} of {abs(amount)} recorded, payment {donation.status}"
        if created
        else f"{kind} already recorded"
    )


# -- one-off captures (Orders v2, payments_payment_v2 capture and refund resources) -----------------------------


def _capture(resource: dict, *, status: str) -> str:
    intent = _intent_of_capture(resource)
    if intent is None:  # another integration's payment on the same PayPal account, not a gift of ours
        return "ignored: capture matches no donation of ours"
    amount, currency = money(resource["amount"])
    donation, created = services.payment_record(
        intent=intent,
        capture_id=resource["id"],
        amount=amount,
        currency=currency,
        source=PaymentSource.WEBHOOK,
        received_at=_when(resource.get("create_time")),
        status=status,
        status_reason=(resource.get("status_details") or {}).get("reason", ""),
    )
    return f"payment {'recorded' if created else 'already recorded'}, {donation.status}"


def capture_completed(resource: dict) -> str:
    return _capture(resource, status=PaymentStatus.COMPLETED)


def capture_pending(resource: dict) -> str:
    """eCheck, review, a currency the account must accept by hand: recorded, not counted, no receipt."""
    return _capture(resource, status=PaymentStatus.PENDING)


def capture_denied(resource: dict) -> str:
    """A pending capture PayPal then denied: no money, the gift failed."""
    return _capture(resource, status=PaymentStatus.DENIED)


def capture_declined(resource: dict) -> str:
    """The capture itself was declined: the donor is asked for another funding source, nothing is recorded."""
    intent = _intent_of_capture(resource)
    if intent is None:
        return "ignored: capture matches no donation of ours"
    if intent.payments.exists():
        return "ignored: the gift was paid by another capture"
    services._intent_declined(intent, issue="CAPTURE_DECLINED")
    return "funding declined: the donor may choose another"


def capture_refunded(resource: dict) -> str:
    donation = Donation.objects.filter(paypal_capture_id=_captured_id(resource)).first()
    return _refund(donation, resource, kind=RefundKind.REFUND, total=_total_refunded(resource))


def capture_reversed(resource: dict) -> str:
    """A chargeback: PayPal's resource is a refund of the capture (its id is the refund's, not the capture's)."""
    donation = Donation.objects.filter(paypal_capture_id=_captured_id(resource)).first()
    return _refund(donation, resource, kind=RefundKind.REVERSAL)


# -- monthly gifts (v1 sales and Subscriptions) -----------------------------------------------------------------


def sale_completed(resource: dict) -> str:
    subscription_id = resource.get("billing_agreement_id", "")
    if not subscription_id:
        return "ignored: sale without a subscription"
    intent = services._intent_for_subscription(subscription_id, resource.get("custom", ""))
    if intent is None and not Subscription.objects.filter(paypal_subscription_id=subscription_id).exists():
        raise WebhookDeferred("subscription not known yet")
    subscription = services.subscription_record(paypal_subscription_id=subscription_id, intent=intent)
    amount, currency = money(resource["amount"])
    _, created = services.payment_record(
        intent=intent or subscription.intent,
        subscription=subscription,
        sale_id=resource["id"],
        amount=amount,
        currency=currency,
        source=PaymentSource.WEBHOOK,
        received_at=_when(resource.get("create_time")),
    )
    return "payment recorded" if created else "payment already recorded"


def _sale_of(resource: dict) -> Donation | None:
    sale_id = resource.get("sale_id") or resource.get("id")
    return Donation.objects.filter(paypal_sale_id=sale_id).first()


def sale_refunded(resource: dict) -> str:
    return _refund(_sale_of(resource), resource, kind=RefundKind.REFUND)


def sale_reversed(resource: dict) -> str:
    if "sale_id" in resource:  # a refund-shaped reversal of the sale
        return _refund(_sale_of(resource), resource, kind=RefundKind.REVERSAL)
    # The sale itself, marked reversed: the whole amount went back.
    reversal = {"id": f"{resource.get('id')}-reversal", "create_time": resource.get("update_time")}
    return _refund(_sale_of(resource), reversal, kind=RefundKind.REVERSAL)


def _subscription_known(resource: dict) -> DonationIntent | None:
    subscription_id = resource["id"]
    intent = services._intent_for_subscription(subscription_id, resource.get("custom_id", ""))
    if intent is None and not Subscription.objects.filter(paypal_subscription_id=subscription_id).exists():
        raise WebhookDeferred("subscription not known yet")
    return intent


def subscription_status(resource: dict, status: str | None = None) -> str:
    """Activated, re-activated, updated, suspended, cancelled, expired: the status PayPal now reports."""
    intent = _subscription_known(resource)
    status = status or services.PAYPAL_STATUS.get(resource.get("status", ""))
    if status is None:
        return f"ignored: subscription status {resource.get('status')!r}"
    services.subscription_record(
        paypal_subscription_id=resource["id"],
        intent=intent,
        status=status,
        changed_at=_when(resource.get("status_update_time")),
    )
    return f"subscription {status}"


def subscription_payment_failed(resource: dict) -> str:
    intent = _subscription_known(resource)
    subscription = services.subscription_record(paypal_subscription_id=resource["id"], intent=intent)
    Subscription.objects.filter(pk=subscription.pk).update(failed_payments=subscription.failed_payments + 1)
    return "payment failure counted"


def _with_status(status: str) -> Callable[[dict], str]:
    return lambda resource: subscription_status(resource, status)


HANDLERS: dict[str, Callable[[dict], str]] = {
    "PAYMENT.CAPTURE.COMPLETED": capture_completed,
    "PAYMENT.CAPTURE.PENDING": capture_pending,
    "PAYMENT.CAPTURE.DENIED": capture_denied,
    "PAYMENT.CAPTURE.DECLINED": capture_declined,
    "PAYMENT.CAPTURE.REFUNDED": capture_refunded,
    "PAYMENT.CAPTURE.REVERSED": capture_reversed,
    "PAYMENT.SALE.COMPLETED": sale_completed,
    "PAYMENT.SALE.REFUNDED": sale_refunded,
    "PAYMENT.SALE.REVERSED": sale_reversed,
    "BILLING.SUBSCRIPTION.ACTIVATED": _with_status(SubscriptionStatus.ACTIVE),
    "BILLING.SUBSCRIPTION.RE-ACTIVATED": _with_status(SubscriptionStatus.ACTIVE),
    "BILLING.SUBSCRIPTION.UPDATED": subscription_status,
    "BILLING.SUBSCRIPTION.SUSPENDED": _with_status(SubscriptionStatus.SUSPENDED),
    "BILLING.SUBSCRIPTION.CANCELLED": _with_status(SubscriptionStatus.CANCELLED),
    "BILLING.SUBSCRIPTION.EXPIRED": _with_status(SubscriptionStatus.EXPIRED),
    "BILLING.SUBSCRIPTION.PAYMENT.FAILED": subscription_payment_failed,
}


# -- events that call PayPal before they are stored -------------------------------------------------------------


def order_approved(order: dict) -> str:
    """The donor approved but may have closed the tab before returning: capture now. A PayPal outage defers the
    event (PayPal delivers it again), so the capture is retried well within PayPal's three-hour window."""
    units = order.get("purchase_units") or [{}]
    try:
        donation = services.donation_capture(
            public_id=services.public_id_of(units[0].get("custom_id", "")), order_id=order.get("id", "")
        )
    except services.ReturnMismatch:
        return "ignored: order matches no donation of ours"
    except services.FundingDeclined:
        return "funding declined: the donor may choose another"
    except services.PayPalUnavailable as exc:
        raise WebhookDeferred(f"capture failed: {exc}") from exc
    except services.DonationError as exc:
        return f"not captured: {exc}"
    return f"captured, payment {donation.status}"


CALLING_PAYPAL: dict[str, Callable[[dict], str]] = {"CHECKOUT.ORDER.APPROVED": order_approved}


def webhook_event_process(*, event: dict) -> tuple[WebhookEvent, bool]:
    """Apply a verified event once: a redelivered event ID changes nothing and returns the first record."""
    known = WebhookEvent.objects.filter(event_id=event["id"]).first()
    if known is not None:
        return known, False
    event_type = event.get("event_type", "")
    resource = event.get("resource") or {}
    outcome = CALLING_PAYPAL[event_type](resource) if event_type in CALLING_PAYPAL else None
    return webhook_event_record(event=event, outcome=outcome)


@transaction.atomic
def webhook_event_record(*, event: dict, outcome: str | None = None) -> tuple[WebhookEvent, bool]:
    """Store a verified event and apply its handler, in one transaction (``outcome`` when already applied)."""
    try:
        with transaction.atomic():
            record = WebhookEvent.objects.create(
                event_id=event["id"],
                event_type=event.get("event_type", ""),
                resource_id=str((event.get("resource") or {}).get("id", ""))[:64],
                payload=event,
            )
    except IntegrityError:
        return WebhookEvent.objects.get(event_id=event["id"]), False
    if outcome is None:
        handler = HANDLERS.get(record.event_type)
        outcome = handler(event.get("resource") or {}) if handler else f"ignored: {record.event_type}"
    record.outcome = outcome[:255]
    record.save(update_fields=["outcome"])
    return record, True
