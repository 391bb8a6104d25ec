"""Webhook handlers applied without HTTP, on events shaped as PayPal documents them (Webhooks event names
reference and the resources of payments_payment_v2 / billing_subscriptions_v1)."""

from decimal import Decimal
from itertools import count

import pytest
from django.core import mail

from donations.factories import DonationFactory, DonationIntentFactory, SubscriptionFactory
from donations.models import (
    Donation,
    IntentStatus,
    PaymentSource,
    PaymentStatus,
    Refund,
    SubscriptionStatus,
)
from donations.services import payment_record
from donations.webhooks import WebhookDeferred, webhook_event_process

pytestmark = pytest.mark.django_db
_ids = count(1)


def event(event_type: str, resource: dict) -> dict:
    return {"id": f"WH-TEST-{next(_ids)}", "event_type": event_type, "resource": resource}


def capture(intent, capture_id: str, status: str = "COMPLETED", reason: str = "") -> dict:
    resource = {
        "id": capture_id,
        "status": status,
        "amount": {"currency_code": intent.currency, "value": str(intent.amount)},
        "custom_id": str(intent.public_id),
        "supplementary_data": {"related_ids": {"order_id": intent.paypal_order_id}},
        "create_time": "2026-11-30T10:00:00Z",
    }
    if reason:
        resource["status_details"] = {"reason": reason}
    return resource


def refund(capture_id: str, refund_id: str, value: str, total: str | None = None) -> dict:
    resource = {
        "id": refund_id,
        "status": "COMPLETED",
        "amount": {"currency_code": "EUR", "value": value},
        "links": [
            {"rel": "self", "href": f"https://api-m.paypal.com/v2/payments/refunds/{refund_id}"},
            {"rel": "up", "href": f"https://api-m.paypal.com/v2/payments/captures/{capture_id}"},
        ],
    }
    if total:
        resource["seller_payable_breakdown"] = {
            "total_refunded_amount": {"currency_code": "EUR", "value": total}
        }
    return resource


def test_pending_capture_is_not_counted_and_gets_its_receipt_only_when_it_completes(
    django_capture_on_commit_callbacks,
):
    """An eCheck capture is PENDING (capture_status_details ECHECK); PAYMENT.CAPTURE.COMPLETED follows."""
    intent = DonationIntentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_process(
            event=event("PAYMENT.CAPTURE.PENDING", capture(intent, "CAP1", "PENDING", "ECHECK"))
        )
    donation = Donation.objects.get()
    assert (donation.status, donation.status_reason) == (PaymentStatus.PENDING, "ECHECK")
    assert Donation.objects.counted().count() == 0 and mail.outbox == []
    intent.refresh_from_db()
    assert intent.status == IntentStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_process(event=event("PAYMENT.CAPTURE.COMPLETED", capture(intent, "CAP1")))
        webhook_event_process(event=event("PAYMENT.CAPTURE.COMPLETED", capture(intent, "CAP1")))
    donation.refresh_from_db()
    intent.refresh_from_db()
    assert donation.status == PaymentStatus.COMPLETED and intent.status == IntentStatus.COMPLETED
    assert len(mail.outbox) == 1


def test_a_denied_pending_capture_fails_the_gift_without_a_receipt(django_capture_on_commit_callbacks):
    """PAYMENT.CAPTURE.DENIED: "A payment capture is denied" after it was pending."""
    intent = DonationIntentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_process(
            event=event("PAYMENT.CAPTURE.PENDING", capture(intent, "CAP2", "PENDING", "PENDING_REVIEW"))
        )
        webhook_event_process(event=event("PAYMENT.CAPTURE.DENIED", capture(intent, "CAP2", "DECLINED")))
        # A late COMPLETED redelivery cannot bring a denied payment back.
        webhook_event_process(event=event("PAYMENT.CAPTURE.COMPLETED", capture(intent, "CAP2")))
    assert Donation.objects.get().status == PaymentStatus.DENIED
    intent.refresh_from_db()
    assert intent.status == IntentStatus.FAILED and "denied" in intent.failure_reason
    assert mail.outbox == []


def test_a_chargeback_is_found_through_the_refund_resource_up_link():
    """PAYMENT.CAPTURE.REVERSED carries a refund whose own id is not the capture's; its rel=up link is."""
    donation = DonationFactory(paypal_id="CAP3", paypal_capture_id="CAP3")
    record, _ = webhook_event_process(
        event=event("PAYMENT.CAPTURE.REVERSED", refund("CAP3", "REFUND-CB-1", str(donation.amount)))
    )
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.REVERSED and donation.refunded_amount == donation.amount
    assert donation.intent.status == IntentStatus.REFUNDED
    assert Refund.objects.get().kind == "reversal"
    assert "reversal" in record.outcome


def test_partial_refunds_keep_the_rest_counted_until_the_whole_gift_is_refunded():
    donation = DonationFactory(paypal_id="CAP4", paypal_capture_id="CAP4", amount=Decimal("25.00"))
    webhook_event_process(
        event=event("PAYMENT.CAPTURE.REFUNDED", refund("CAP4", "R1", "10.00", total="10.00"))
    )
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount) == (PaymentStatus.PARTIALLY_REFUNDED, Decimal("10.00"))
    assert Donation.objects.counted().totals_by_currency() == {"EUR": Decimal("15.00")}
    assert donation.intent.status == IntentStatus.COMPLETED
    webhook_event_process(
        event=event("PAYMENT.CAPTURE.REFUNDED", refund("CAP4", "R1", "10.00", total="10.00"))
    )
    webhook_event_process(
        event=event("PAYMENT.CAPTURE.REFUNDED", refund("CAP4", "R2", "15.00", total="25.00"))
    )
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("25.00"))
    assert Refund.objects.count() == 2 and Donation.objects.counted().count() == 0


def test_a_refund_before_its_payment_is_deferred_and_stores_nothing():
    with pytest.raises(WebhookDeferred):
        webhook_event_process(event=event("PAYMENT.CAPTURE.REFUNDED", refund("UNKNOWN", "R9", "5.00")))
    assert not Refund.objects.exists()


def test_a_capture_that_matches_no_gift_of_ours_is_not_recorded():
    """Another integration on the same PayPal account: no orphan gift without donor or intent."""
    resource = {"id": "CAPX", "status": "COMPLETED", "amount": {"currency_code": "EUR", "value": "9.00"}}
    record, _ = webhook_event_process(event=event("PAYMENT.CAPTURE.COMPLETED", resource))
    assert not Donation.objects.exists() and record.outcome.startswith("ignored")


@pytest.mark.parametrize(
    ("event_type", "paypal_status", "expected"),
    [
        ("BILLING.SUBSCRIPTION.RE-ACTIVATED", "ACTIVE", SubscriptionStatus.ACTIVE),
        ("BILLING.SUBSCRIPTION.UPDATED", "SUSPENDED", SubscriptionStatus.SUSPENDED),
    ],
)
def test_reactivated_and_updated_subscriptions_are_applied(event_type, paypal_status, expected):
    subscription = SubscriptionFactory(
        status=SubscriptionStatus.SUSPENDED if expected == "active" else "active"
    )
    resource = {
        "id": subscription.paypal_subscription_id,
        "status": paypal_status,
        "status_update_time": "2099-01-01T00:00:00Z",
    }
    record, _ = webhook_event_process(event=event(event_type, resource))
    subscription.refresh_from_db()
    assert subscription.status == expected, record.outcome


def test_a_payment_repaired_as_a_capture_then_delivered_as_a_sale_is_one_row():
    """PayPal's transaction ID is unique whichever kind it was first recorded as."""
    subscription = SubscriptionFactory()
    payment_record(
        intent=subscription.intent,
        capture_id="TX-ONE",
        amount=Decimal("10.00"),
        currency="EUR",
        source=PaymentSource.RECONCILE,
    )
    _, created = payment_record(
        intent=subscription.intent,
        subscription=subscription,
        sale_id="TX-ONE",
        amount=Decimal("10.00"),
        currency="EUR",
        source=PaymentSource.WEBHOOK,
    )
    assert not created and Donation.objects.count() == 1
