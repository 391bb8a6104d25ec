"""The reliability check: 200 concurrent donations over real HTTP while PayPal times out and webhooks arrive
twice and out of order; then exactly 200 payments, no duplicates, totals equal to PayPal's.

Runs on SQLite in the normal suite and on PostgreSQL with ``make test-postgres``.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from core.factories import site_with_home_page
from donations.models import (
    Donation,
    DonationIntent,
    IntentStatus,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)
from donations.reconcile import donations_reconcile
from donations.tests.conftest import approve_at_paypal, form_data

pytestmark = pytest.mark.django_db(transaction=True)
DONATIONS = 200
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def donate(base_url: str, n: int) -> None:
    """One donor: load the form, submit, approve at PayPal; every tenth closes the tab instead of returning."""
    monthly = n % 4 == 0
    with httpx.Client(base_url=base_url, timeout=60) as http:
        page = http.get("/donations/give/")
        token = CSRF.search(page.text).group(1)
        data = form_data(
            form_token=f"reliability-{n}",
            email=f"donor{n}@example.org",
            name=f"Donor {n}",
            frequency="monthly" if monthly else "one_off",
            preset="",
            custom_amount=str(5 + n % 7),
            currency=["EUR", "USD", "GBP"][n % 3],
            csrfmiddlewaretoken=token,
        )
        response = http.post(
            "/donations/give/", data=data, headers={"Referer": base_url + "/donations/give/"}
        )
        if n % 17 == 0:  # a double-click: the same form submitted again
            http.post("/donations/give/", data=data, headers={"Referer": base_url + "/donations/give/"})
        problem = re.search(r'role="alert">(.*?)</div>', response.text, re.S)  # what the donor was told
        assert response.status_code == 302, (response.status_code, problem and problem.group(1).strip())
        back = approve_at_paypal(response.headers["Location"])
        if n % 10 != 3:
            http.get(back)


def test_200_concurrent_donations_are_recorded_exactly_once(live_server, fake_paypal, settings):
    site_with_home_page()
    settings.DONATION_RATE_LIMIT = 10 * DONATIONS
    # A tenth of PayPal's answers come too late. The client's timeout is well above a normal answer on a busy
    # 2-core machine, where 16 donors, the webhook courier and the database share the cores.
    settings.PAYPAL_TIMEOUT = 1.5
    settings.PAYPAL_ATTEMPTS = 6
    fake_paypal.timeout_rate = 0.10
    fake_paypal.timeout_delay = 2.0
    fake_paypal.webhook_url = live_server.url + "/donations/paypal/webhook/"

    running = threading.Event()
    running.set()

    def deliver_while_running():  # webhooks race the donors' returns, twice each, shuffled
        while running.is_set():
            fake_paypal.deliver_webhooks(copies=2, shuffle=True, workers=4)
            threading.Event().wait(0.1)

    courier = threading.Thread(target=deliver_while_running)
    courier.start()
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda n: donate(live_server.url, n), range(DONATIONS)))
    finally:
        running.clear()
        courier.join()
    for _ in range(5):  # drain: captures made on CHECKOUT.ORDER.APPROVED produce more events
        stats = fake_paypal.deliver_webhooks(copies=2, shuffle=True, workers=8)
        assert stats["failed"] == 0
        if not fake_paypal.outbox:
            break

    assert DonationIntent.objects.count() == DONATIONS
    assert DonationIntent.objects.filter(status=IntentStatus.COMPLETED).count() == DONATIONS
    assert Donation.objects.count() == DONATIONS
    ids = [d.paypal_transaction_id for d in Donation.objects.all()]
    assert len(set(ids)) == DONATIONS
    assert WebhookEvent.objects.count() == len(fake_paypal.events)
    assert Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count() == DONATIONS // 4
    paypal_ids = {t["transaction_id"] for t in fake_paypal.transactions}
    assert set(ids) == paypal_ids
    report = donations_reconcile(since=date.today() - timedelta(days=1), progress=lambda line: None)
    assert report.clean, (report.missing, report.mismatched, report.unknown_here)
    assert Donation.objects.counted().totals_by_currency() == report.paypal_totals
    assert sum(report.paypal_totals.values()) == sum(Decimal(5 + n % 7) for n in range(DONATIONS))
