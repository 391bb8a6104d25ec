"""The reliability check: 200 concurrent donors over real HTTP while PayPal times out and webhooks arrive twice
and out of order, and PayPal does what it does to real gifts: 10% declined then paid another way, 5% pending
then completed, 2% pending then denied, 3% refunded (some in part), 1% reversed by a chargeback.

Then the ledger equals the fake PayPal's own records per currency and status, receipts went only to gifts that
completed, and a reconcile reports every non-gift row as "not a donation" and repairs nothing. Runs on SQLite in
the normal suite and on PostgreSQL with ``make test-postgres``.
"""

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
from django.core import mail
from django.db.models import Count, Sum

from core.factories import site_with_home_page
from donations.models import (
    COUNTED_STATUSES,
    Donation,
    DonationIntent,
    IntentStatus,
    PaymentStatus,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)
from donations.reconcile import GIFT_CODES, donations_reconcile
from donations.tests.conftest import approve_at_paypal, form_data

pytestmark = pytest.mark.django_db(transaction=True)
DONATIONS = 200
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RETRY_LINK = re.compile(r'<a class="button" href="([^"]+)">Choose another way to pay')
DECLINES = ["declined_card", "payer_action", "alternate_funding", "processor_declined"]

# What PayPal does to donor n's one-off gift, by n % 100 (monthly gifts, n % 4 == 0, all complete).
FATES = {
    **dict.fromkeys((1, 2, 3, 5, 6, 7, 9, 10, 11, 13), "declined"),  # 10%
    **dict.fromkeys((14, 15, 17, 18, 19), "pending_completed"),  # 5%
    **dict.fromkeys((21, 22), "pending_denied"),  # 2%
    **dict.fromkeys((25, 26), "refunded"),
    23: "partly_refunded",  # 3% refunded, a third of them in part
    27: "reversed",  # 1%
}


def fate(n: int) -> str:
    return "monthly" if n % 4 == 0 else FATES.get(n % 100, "completed")


def donate(base_url: str, n: int) -> None:
    """One donor: load the form, submit, approve at PayPal; every tenth closes the tab instead of returning.
    A declined donor reads the thank-you page, follows its link back to PayPal and pays another way."""
    what = fate(n)
    funding = {"declined": DECLINES[n % 4], "pending_completed": "echeck", "pending_denied": "review"}
    with httpx.Client(base_url=base_url, timeout=60, follow_redirects=True) as http:
        page = http.get("/donations/give/")
        token = CSRF.search(page.text).group(1)
        data = form_data(
            form_token=f"reliability-{n}",
            email=f"donor{n}@example.org",
            name=f"Donor {n}",
            frequency="monthly" if what == "monthly" else "one_off",
            preset="",
            custom_amount=str(5 + n % 7),
            currency=["EUR", "USD", "GBP"][n % 3],
            csrfmiddlewaretoken=token,
        )
        headers = {"Referer": base_url + "/donations/give/"}
        response = http.post("/donations/give/", data=data, headers=headers, follow_redirects=False)
        if n % 17 == 0:  # a double-click: the same form submitted again
            http.post("/donations/give/", data=data, headers=headers, follow_redirects=False)
        problem = re.search(r'role="alert">(.*?)</div>', response.text, re.S)  # what the donor was told
        assert response.status_code == 302, (response.status_code, problem and problem.group(1).strip())
        back = approve_at_paypal(response.headers["Location"], funding.get(what, "balance"))
        if what == "declined":
            thanks = http.get(back)
            for _ in range(50):  # the decline may first reach us by webhook, while the donor's page loads
                link = RETRY_LINK.search(thanks.text)
                if link:
                    break
                time.sleep(0.2)
                thanks = http.get(str(thanks.url))
            assert link, thanks.text
            http.get(approve_at_paypal(link.group(1).replace("&amp;", "&"), "balance"))
        elif n % 10 != 3:
            http.get(back)


def drain(fake) -> None:
    for _ in range(8):  # captures made on CHECKOUT.ORDER.APPROVED produce more events
        stats = fake.deliver_webhooks(copies=2, shuffle=True, workers=8)
        assert stats["failed"] == 0
        if not fake.outbox:
            return


def ledger_here() -> dict:
    """The same shape as FakePayPal.ledger(), from the payments recorded here."""
    ledger = {}
    for row in Donation.objects.values("currency", "status").annotate(
        count=Count("id"), gross=Sum("amount"), refunded=Sum("refunded_amount")
    ):
        kept = row["gross"] - row["refunded"] if row["status"] in COUNTED_STATUSES else Decimal(0)
        ledger[(row["currency"], row["status"])] = {
            "count": row["count"],
            "gross": row["gross"],
            "kept": kept,
        }
    return ledger


def test_200_concurrent_donors_and_what_paypal_does_to_their_gifts(
    live_server, fake_paypal, settings, capsys
):
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

    started = time.monotonic()
    courier = threading.Thread(target=deliver_while_running)
    courier.start()
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(lambda n: donate(live_server.url, n), range(DONATIONS)))
    finally:
        running.clear()
        courier.join()
    drain(fake_paypal)
    donors_done = time.monotonic() - started

    # Days later at PayPal: pending captures clear or are denied, refunds and chargebacks come in.
    def capture_of(n: int) -> str:
        return Donation.objects.get(intent__donor__name=f"Donor {n}").paypal_id

    fates = {n: fate(n) for n in range(DONATIONS)}
    for n, what in fates.items():
        if what == "pending_completed":
            fake_paypal.capture_complete(capture_of(n))
        elif what == "pending_denied":
            fake_paypal.capture_deny(capture_of(n))
        elif what == "refunded":
            fake_paypal.capture_refund(capture_of(n))
        elif what == "partly_refunded":
            fake_paypal.capture_refund(capture_of(n), Decimal("2"))
        elif what == "reversed":
            fake_paypal.capture_reverse(capture_of(n))
    drain(fake_paypal)

    assert DonationIntent.objects.count() == DONATIONS
    assert Donation.objects.count() == DONATIONS  # declined attempts are not payments
    assert len({d.paypal_id for d in Donation.objects.all()}) == DONATIONS
    assert WebhookEvent.objects.count() == len(fake_paypal.events)
    assert Subscription.objects.filter(status=SubscriptionStatus.ACTIVE).count() == DONATIONS // 4
    expected_intents = Counter(
        {
            "pending_denied": IntentStatus.FAILED,
            "refunded": IntentStatus.REFUNDED,
            "reversed": IntentStatus.REFUNDED,
        }.get(what, IntentStatus.COMPLETED)
        for what in fates.values()
    )
    assert Counter(DonationIntent.objects.values_list("status", flat=True)) == expected_intents

    # The ledger equals PayPal's own records to the cent, per currency and per status.
    theirs = {
        key: {k: int(v) if k == "count" else v for k, v in entry.items()}
        for key, entry in fake_paypal.ledger().items()
    }
    assert ledger_here() == theirs

    # Receipts went to every gift that completed, once, and to no other.
    receipted = set(
        Donation.objects.filter(receipt_sent_at__isnull=False).values_list("paypal_id", flat=True)
    )
    assert receipted == set(
        Donation.objects.exclude(status=PaymentStatus.DENIED).values_list("paypal_id", flat=True)
    )
    receipts = [m for m in mail.outbox if m.subject.startswith("Thank you for your donation")]
    assert len(receipts) == len(receipted)

    # Reconcile: every non-gift row is "not a donation", none is repaired, totals agree with PayPal's.
    report = donations_reconcile(
        since=date.today() - timedelta(days=1), repair=True, progress=lambda line: None
    )
    assert report.clean and not report.repaired and not report.errors, (report.missing, report.mismatched)
    other_rows = [t for t in fake_paypal.transactions if t["transaction_event_code"] not in GIFT_CODES]
    assert len(report.not_donations) == len(other_rows) > 0
    assert Donation.objects.counted().totals_by_currency() == report.paypal_totals

    statuses = Counter(Donation.objects.values_list("status", flat=True))
    declined_captures = (
        sum(1 for c in fake_paypal.captures.values() if c["status"] == "DECLINED") - statuses["denied"]
    )
    with capsys.disabled():  # the figures show in `make test`'s output
        print(  # noqa: T201
            f"\nreliability: {DONATIONS} donors in {donors_done:.1f} s with {fake_paypal.calls} PayPal calls "
            f"(10% answered late); {len(fake_paypal.events)} webhook events delivered twice, shuffled\n"
            f"  fates: {dict(Counter(fates.values()))}\n"
            f"  payments: {dict(statuses)}; declined attempts retried: {declined_captures} capture declines + "
            f"{sum(1 for n in fates if fates[n] == 'declined') - declined_captures} 422 refusals\n"
            f"  receipts: {len(receipts)}; reconcile: {report.checked} rows, {len(report.not_donations)} not donations, "
            f"{len(report.repaired)} repaired; kept per currency {report.paypal_totals}"
        )
