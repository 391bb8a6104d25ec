"""What PayPal really does past the happy path, over real HTTP against the fake PayPal.

Each test names the PayPal behaviour it relies on: checkout_orders_v2 (orders.capture 422 issues, capture status
and status_details), payments_payment_v2 (refunds linked by rel=up), reporting_transactions_v1 (T-codes, signed
amounts, the 31-day range, the three-hour listing lag) and the guide "Handle funding failures".
"""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from donations.currencies import currencies_check, paypal_value
from donations.models import Donation, DonationIntent, IntentStatus, PaymentStatus, Refund
from donations.paypal import PayPalClient, PayPalError
from donations.reconcile import donations_reconcile
from donations.services import donation_intents_sweep
from donations.tests.conftest import approve_at_paypal, form_data

pytestmark = pytest.mark.django_db


def give(client, **overrides) -> DonationIntent:
    response = client.post("/donations/give/", form_data(**overrides))
    assert response.status_code == 302, response.content
    return DonationIntent.objects.latest("created_at")


def deliver(client, fake) -> list[int]:
    """Post the fake's pending webhook events to Yearbook, signed; returns the status codes."""
    events, fake.outbox = fake.outbox, []
    return [
        client.post(
            "/donations/paypal/webhook/",
            event,
            content_type="application/json",
            headers=fake.signed_headers(event),
        ).status_code
        for event in events
    ]


def paid(client, fake, *, funding="balance", **overrides) -> Donation:
    intent = give(client, **overrides)
    client.get(approve_at_paypal(intent.approve_url, funding))
    return Donation.objects.get(intent=intent)


@pytest.mark.parametrize(
    "funding", ["declined_card", "payer_action", "alternate_funding", "processor_declined"]
)
def test_a_declined_funding_source_sends_the_donor_back_and_the_retry_is_captured(
    client, site, fake_paypal, funding, django_capture_on_commit_callbacks
):
    """Handle funding failures: on INSTRUMENT_DECLINED (and its kin, or a DECLINED capture) redirect the payer to
    choose another funding source, then capture again with a new PayPal-Request-Id (the old one replays)."""
    intent = give(client)
    first_request_id = intent.capture_request_id
    page = client.get(approve_at_paypal(intent.approve_url, funding), follow=True)
    intent.refresh_from_db()
    assert intent.status == IntentStatus.DECLINED
    assert b"PayPal declined that way of paying" in page.content
    assert intent.approve_url.encode() in page.content and b"you need do nothing" not in page.content
    assert intent.capture_request_id != first_request_id
    assert not Donation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        thanks = client.get(approve_at_paypal(intent.approve_url, "balance"), follow=True)
    assert b"Thank you, Ama Mensah" in thanks.content
    donation = Donation.objects.get()
    assert donation.status == PaymentStatus.COMPLETED
    assert [m.subject for m in mail.outbox] == ["Thank you for your donation of 25.00 EUR"]


def test_a_pending_capture_gets_no_receipt_until_paypal_completes_it(
    client, site, fake_paypal, django_capture_on_commit_callbacks
):
    """A capture with status PENDING (status_details.reason ECHECK) is not money yet; PAYMENT.CAPTURE.COMPLETED
    follows when it clears."""
    intent = give(client)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(approve_at_paypal(intent.approve_url, "echeck"), follow=True)
    assert b"still clearing" in page.content
    donation = Donation.objects.get()
    assert (donation.status, donation.status_reason) == (PaymentStatus.PENDING, "ECHECK")
    assert not Donation.objects.counted().exists() and not mail.outbox
    fake_paypal.capture_complete(donation.paypal_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert set(deliver(client, fake_paypal)) == {200}
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.COMPLETED and len(mail.outbox) == 1


def test_a_pending_capture_paypal_then_denies_fails_the_gift(client, site, fake_paypal):
    """PAYMENT.CAPTURE.DENIED: a pending capture that never became money."""
    donation = paid(client, fake_paypal, funding="review")
    fake_paypal.capture_deny(donation.paypal_id)
    assert set(deliver(client, fake_paypal)) == {200}
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.DENIED
    assert DonationIntent.objects.get().status == IntentStatus.FAILED and not mail.outbox


def test_partial_refunds_then_a_chargeback_are_each_recorded_once(client, site, fake_paypal):
    """Refunds and reversals arrive as refund resources whose rel=up link names the capture."""
    donation = paid(client, fake_paypal, custom_amount="40", preset="")
    deliver(client, fake_paypal)
    fake_paypal.capture_refund(donation.paypal_id, Decimal("15"))
    assert set(deliver(client, fake_paypal)) == {200}
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount) == (PaymentStatus.PARTIALLY_REFUNDED, Decimal("15.00"))
    assert Donation.objects.counted().totals_by_currency() == {"EUR": Decimal("25.00")}
    fake_paypal.capture_reverse(donation.paypal_id)
    events = list(fake_paypal.outbox)
    deliver(client, fake_paypal)
    fake_paypal.outbox = events  # PayPal delivers the chargeback twice
    deliver(client, fake_paypal)
    donation.refresh_from_db()
    assert (donation.status, donation.refunded_amount) == (PaymentStatus.REVERSED, Decimal("40.00"))
    assert sorted(r.amount for r in Refund.objects.all()) == [Decimal("15.00"), Decimal("25.00")]


def _month_at_paypal(client, fake) -> dict[str, Donation]:
    """A month of an account's life: gifts, one pending, refunds, a chargeback, conversions, a withdrawal."""
    fake.advance(-timedelta(days=40))
    gifts = {}
    for name, amount in [("kept", "30"), ("partly", "50"), ("refunded", "20"), ("charged_back", "60")]:
        gifts[name] = paid(client, fake, custom_amount=amount, preset="", form_token=f"token-{name}")
        fake.advance(timedelta(days=4))
    gifts["baht"] = paid(client, fake, custom_amount="900", preset="", currency="THB", form_token="token-thb")
    fake.conversion(amount=Decimal("900"), currency="THB", to_currency="EUR", rate=Decimal("0.026"))
    fake.advance(timedelta(days=9))
    gifts["pending"] = paid(
        client, fake, funding="echeck", custom_amount="35", preset="", form_token="token-p"
    )
    fake.capture_refund(gifts["partly"].paypal_id, Decimal("12.50"))
    fake.capture_refund(gifts["refunded"].paypal_id)
    fake.capture_reverse(gifts["charged_back"].paypal_id)
    fake.withdrawal(amount=Decimal("45"), currency="EUR")
    fake.advance(timedelta(days=10))
    assert set(deliver(client, fake)) == {200}
    return gifts


def test_reconciling_a_month_with_refunds_chargebacks_and_conversions_repairs_nothing(
    client, site, fake_paypal
):
    """reporting_transactions_v1 lists every balance row: T1107 refunds, T1106 reversals, T0200 conversions and
    T0400 withdrawals carry signed amounts and are not gifts; the range is asked 31 days at a time."""
    _month_at_paypal(client, fake_paypal)
    before = list(Donation.objects.values_list("paypal_id", "status", "amount", "refunded_amount"))
    since = timezone.localdate() - timedelta(days=45)  # more than 31 days: several searches
    report = donations_reconcile(since=since, repair=True)
    assert report.clean and not report.repaired and not report.errors, report
    codes = sorted(line.split()[1] for line in report.not_donations)
    assert codes == ["T0200", "T0200", "T0400", "T1106", "T1107", "T1107"]
    assert list(Donation.objects.values_list("paypal_id", "status", "amount", "refunded_amount")) == before
    # What PayPal says was kept equals what Yearbook counts, per currency.
    assert report.paypal_totals == Donation.objects.counted().totals_by_currency()


def test_reconcile_command_over_the_month_ends_with_everything_matches(client, site, fake_paypal, capsys):
    _month_at_paypal(client, fake_paypal)
    since = (timezone.localdate() - timedelta(days=45)).isoformat()
    call_command("reconcile_donations", "--since", since, "--repair")
    out = capsys.readouterr().out
    assert "Not a donation" in out and "T1106" in out and "T0200" in out
    assert out.rstrip().endswith("Everything matches.")


def test_reconcile_repairs_a_refund_whose_webhook_was_lost(client, site, fake_paypal):
    """A full refund at PayPal, never delivered here: the gift's row (V, or S beside a T1107 of its amount) says
    refunded, and --repair says so here too, without a new gift."""
    donation = paid(client, fake_paypal)
    fake_paypal.capture_refund(donation.paypal_id)
    fake_paypal.outbox.clear()
    report = donations_reconcile(since=timezone.localdate() - timedelta(days=1), repair=True)
    assert report.repaired == [donation.paypal_id] and not report.unresolved
    donation.refresh_from_db()
    assert donation.status == PaymentStatus.REFUNDED and Donation.objects.count() == 1


def test_a_gift_inside_paypals_listing_lag_is_not_reported_missing_at_paypal(client, site, fake_paypal):
    """ "It takes a maximum of three hours for executed transactions to appear in the list transactions call.\""""
    fake_paypal.listing_lag = timedelta(hours=3)
    paid(client, fake_paypal)
    report = donations_reconcile(since=timezone.localdate() - timedelta(days=1))
    assert len(report.not_listed_yet) == 1 and not report.unknown_here and report.clean


def test_the_fake_refuses_a_search_over_31_days_and_the_client_splits_it(fake_paypal):
    client = PayPalClient()
    end = timezone.now()
    with pytest.raises(PayPalError) as refused:
        client._api(
            "GET",
            "/v1/reporting/transactions",
            params={
                "start_date": (end - timedelta(days=32)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end_date": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
        )
    assert refused.value.status == 400 and refused.value.debug_id
    calls = fake_paypal.calls
    assert client.transactions_search(start=end - timedelta(days=100), end=end) == []
    assert fake_paypal.calls - calls == 4  # 100 days in windows of 31


def test_a_429_is_retried_after_paypals_retry_after(fake_paypal):
    fake_paypal.rate_limit_next, fake_paypal.retry_after = 1, 1
    started = time.monotonic()
    PayPalClient().transactions_search(start=timezone.now() - timedelta(days=1), end=timezone.now())
    assert time.monotonic() - started >= 0.9  # it waited as told rather than hammering


def test_one_call_ends_by_the_deadline_however_many_attempts_are_left(fake_paypal, settings):
    """Past gunicorn's worker timeout a worker is killed mid-call; PAYPAL_DEADLINE bounds retries and waits."""
    settings.PAYPAL_DEADLINE, settings.PAYPAL_TIMEOUT, settings.PAYPAL_ATTEMPTS = 1.0, 0.4, 50
    fake_paypal.timeout_next, fake_paypal.timeout_delay = 1000, 0.6
    started = time.monotonic()
    with pytest.raises(PayPalError):
        PayPalClient().order_get("ANY")
    assert time.monotonic() - started < 2.5
    assert 1 <= fake_paypal.calls <= 4


def test_a_yen_gift_is_sent_without_decimals_and_paypal_takes_it(client, site, fake_paypal, settings):
    """PayPal's currency codes: JPY, HUF and TWD take no decimals (the fake refuses "3000.00")."""
    settings.DONATION_CURRENCIES = ["EUR", "JPY"]
    intent = give(client, currency="JPY", custom_amount="3000", preset="")
    order = fake_paypal.orders[intent.paypal_order_id]
    assert order["purchase_units"][0]["amount"] == {"currency_code": "JPY", "value": "3000"}
    assert paypal_value(Decimal("3000"), "JPY") == "3000"
    refused = client.post(
        "/donations/give/",
        form_data(currency="JPY", custom_amount="3000.50", preset="", form_token="token-2"),
    )
    assert refused.status_code == 400 and b"whole" in refused.content


def test_the_configured_currencies_are_checked_against_paypals_table():
    currencies_check(["EUR", "THB", "JPY"])
    with pytest.raises(ImproperlyConfigured, match="XTS"):
        currencies_check(["EUR", "XTS"])
    with pytest.raises(ImproperlyConfigured, match="empty"):
        currencies_check([])


def test_the_sweep_closes_unsent_intents_and_captures_approved_orders_left_behind(client, site, fake_paypal):
    """The donor approved but never came back and the CHECKOUT.ORDER.APPROVED webhook was lost: PayPal keeps an
    approved order for three hours, so the sweep captures it; an intent saved but never sent to PayPal closes."""
    intent = give(client)
    approve_at_paypal(intent.approve_url)  # the donor closes the tab at PayPal's return
    unsent = give(client, form_token="token-unsent", custom_amount="12", preset="")
    DonationIntent.objects.filter(pk=unsent.pk).update(
        approve_url="", paypal_order_id=None, created_at=timezone.now() - timedelta(hours=1)
    )
    report = donation_intents_sweep()
    assert report.captured == [str(intent.public_id)] and report.closed == [str(unsent.public_id)]
    assert Donation.objects.get().intent == intent
    unsent.refresh_from_db()
    assert unsent.status == IntentStatus.FAILED
    assert donation_intents_sweep().captured == []  # nothing left to do the second time


def test_an_approved_order_whose_capture_fails_is_deferred_then_captured(client, site, fake_paypal, settings):
    """CHECKOUT.ORDER.APPROVED calls PayPal before it is stored: if PayPal fails, nothing is stored and the
    webhook answers 503, so PayPal delivers it again and the capture gets another try."""
    from donations.models import WebhookEvent
    from donations.webhooks import WebhookDeferred, webhook_event_process

    settings.PAYPAL_ATTEMPTS = 2
    intent = give(client)
    approve_at_paypal(intent.approve_url)  # the donor closes the tab before PayPal's return
    approved = next(e for e in fake_paypal.outbox if e["event_type"] == "CHECKOUT.ORDER.APPROVED")
    fake_paypal.fail_next = 10
    with pytest.raises(WebhookDeferred):
        webhook_event_process(event=approved)
    assert not WebhookEvent.objects.exists() and not Donation.objects.exists()
    fake_paypal.fail_next = 0
    record, created = webhook_event_process(event=approved)
    assert created and record.outcome == "captured, payment completed"
    assert Donation.objects.get().intent == intent
