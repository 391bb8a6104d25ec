"""One-off and monthly gifts end to end against the fake PayPal over real HTTP (Yearbook via the test client)."""

from decimal import Decimal

import pytest
from django.core import mail

from donations.models import (
    Donation,
    DonationIntent,
    DonationSettings,
    Donor,
    IntentStatus,
    PaymentSource,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)
from donations.tests.conftest import approve_at_paypal, form_data

pytestmark = pytest.mark.django_db

GIVE = "/donations/give/"


def give(client, **overrides):
    return client.post(GIVE, form_data(**overrides))


def test_one_off_gift_is_captured_on_return_and_recorded_once(
    client, site, fake_paypal, django_capture_on_commit_callbacks
):
    response = give(client, custom_amount="30.50", currency="USD")
    assert response.status_code == 302
    intent = DonationIntent.objects.get()
    assert intent.status == IntentStatus.PENDING and intent.paypal_order_id
    assert response["Location"] == intent.approve_url
    back = approve_at_paypal(intent.approve_url)
    with django_capture_on_commit_callbacks(execute=True):
        thanks = client.get(back, follow=True)
    assert b"Thank you, Ama Mensah" in thanks.content
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency, donation.source) == (
        Decimal("30.50"),
        "USD",
        PaymentSource.RETURN,
    )
    assert donation.paypal_capture_id == fake_paypal.transactions[0]["transaction_id"]
    client.get(back)  # the donor reloads the return page
    assert Donation.objects.count() == 1
    intent.refresh_from_db()
    assert intent.status == IntentStatus.COMPLETED
    assert [m.subject for m in mail.outbox] == ["Thank you for your donation of 30.50 USD"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_monthly_gift_in_memory_activates_and_emails_the_ecard(
    client, site, fake_paypal, django_capture_on_commit_callbacks
):
    give(
        client,
        frequency="monthly",
        preset="10",
        dedication="memory",
        honoree_name="Kofi Mensah",
        dedication_message="He loved children's laughter.",
        ecard_email="family@example.org",
    )
    intent = DonationIntent.objects.get()
    assert intent.paypal_subscription_id.startswith("I-")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(approve_at_paypal(intent.approve_url))
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.ACTIVE and subscription.intent == intent
    payment = Donation.objects.get()
    assert payment.subscription == subscription and payment.amount == Decimal("10.00")
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Ama Mensah made a gift in memory of Kofi Mensah",
        "Thank you for your donation of 10.00 EUR",
    ]
    receipt = next(m for m in mail.outbox if m.subject.startswith("Thank you"))
    assert "/donations/manage/" in receipt.body


def test_double_submit_creates_one_intent_and_one_paypal_order(client, site, fake_paypal):
    first, second = give(client), give(client)
    assert first["Location"] == second["Location"]
    assert DonationIntent.objects.count() == 1
    assert len(fake_paypal.orders) == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", b"greater than zero"),
        ("0", b"greater than zero"),
        ("abc", b"as a number"),
        ("NaN", b"greater than zero"),
        ("1000000000", b"please contact us"),
        ("1e999999999", b"please contact us"),  # too big for quantize(): once a 500
        ("10.001", b"two decimal places"),
    ],
)
def test_bad_amounts_get_a_clear_message_and_record_nothing(client, site, fake_paypal, amount, message):
    response = give(client, custom_amount=amount)
    assert response.status_code == 400
    assert message in response.content
    assert not DonationIntent.objects.exists() and not fake_paypal.orders


def test_unsupported_currency_is_refused(client, site, fake_paypal):
    response = give(client, currency="XYZ")
    assert response.status_code == 400 and b"Select a valid choice" in response.content
    assert not DonationIntent.objects.exists()


def test_dedication_needs_a_name(client, site, fake_paypal):
    response = give(client, dedication="honour")
    assert b"whose name the gift is dedicated to" in response.content
    assert not DonationIntent.objects.exists()


def test_honeypot_submission_records_nothing(client, site, fake_paypal):
    response = give(client, website="http://spam.example")
    assert response.status_code == 400
    assert not DonationIntent.objects.exists() and not fake_paypal.orders


def test_rate_limit_stops_a_burst_with_a_clear_message(client, site, fake_paypal, settings):
    settings.DONATION_RATE_LIMIT = 2
    for n in range(2):
        assert give(client, form_token=f"t{n}").status_code == 302
    response = give(client, form_token="t3")
    assert response.status_code == 429
    assert b"Too many donation attempts" in response.content
    assert DonationIntent.objects.count() == 2


def test_behind_nginx_the_rate_limit_counts_each_reader_not_the_proxy(client, site, fake_paypal, settings):
    settings.DONATION_RATE_LIMIT = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client connects from 127.0.0.1, as nginx does
    for n in range(3):
        give_from = client.post(GIVE, form_data(form_token=f"a{n}"), HTTP_X_REAL_IP="203.0.113.66")
    assert give_from.status_code == 429
    other = client.post(GIVE, form_data(form_token="b"), HTTP_X_REAL_IP="198.51.100.7")
    assert other.status_code == 302


def test_without_a_trusted_proxy_a_forged_real_ip_does_not_escape_the_rate_limit(
    client, site, fake_paypal, settings
):
    settings.DONATION_RATE_LIMIT = 2
    for n in range(3):
        response = client.post(GIVE, form_data(form_token=f"f{n}"), HTTP_X_REAL_IP=f"192.0.2.{n}")
    assert response.status_code == 429


def test_return_link_for_someone_elses_order_is_refused(client, site, fake_paypal):
    give(client, form_token="a")
    give(client, form_token="b", email="other@example.org")
    mine, theirs = DonationIntent.objects.order_by("created_at")
    approve_at_paypal(theirs.approve_url)
    response = client.get(f"/donations/return/?intent={mine.public_id}&token={theirs.paypal_order_id}")
    assert response.status_code == 400
    assert not Donation.objects.exists()


def test_paypal_down_marks_the_intent_failed_and_says_so(client, site, fake_paypal, settings):
    settings.PAYPAL_ATTEMPTS = 2
    fake_paypal.fail_rate = 1.0
    response = give(client)
    assert response.status_code == 502 and b"Nothing was charged" in response.content
    assert DonationIntent.objects.get().status == IntentStatus.FAILED


def test_a_timed_out_create_is_retried_with_the_same_request_id(client, site, fake_paypal, settings):
    settings.PAYPAL_TIMEOUT = 0.3
    fake_paypal.timeout_delay = 0.8
    fake_paypal.timeout_next = 1  # PayPal creates the order but the answer is lost
    give(client)
    intent = DonationIntent.objects.get()
    assert len(fake_paypal.orders) == 1
    assert intent.paypal_order_id == next(iter(fake_paypal.orders))


def test_cancel_at_paypal_marks_the_intent_abandoned(client, site, fake_paypal):
    give(client)
    intent = DonationIntent.objects.get()
    response = client.get(f"/donations/cancelled/?intent={intent.public_id}")
    assert b"nothing was charged" in response.content
    intent.refresh_from_db()
    assert intent.status == IntentStatus.ABANDONED


def test_webhook_arriving_before_the_donor_returns_is_recorded_once(client, site, fake_paypal):
    give(client)
    intent = DonationIntent.objects.get()
    back = approve_at_paypal(intent.approve_url)
    # PayPal captures here only when we ask; capture through the API, then deliver the webhook first.
    from donations.paypal import PayPalClient

    PayPalClient().order_capture(order_id=intent.paypal_order_id, request_id=str(intent.capture_request_id))
    event = fake_paypal.outbox[-1]
    headers = fake_paypal.signed_headers(event)
    for _ in range(2):
        response = client.post(
            "/donations/paypal/webhook/", event, content_type="application/json", headers=headers
        )
        assert response.status_code == 200
    client.get(back)  # the donor's return races in after; the capture is ORDER_ALREADY_CAPTURED
    assert Donation.objects.count() == 1
    assert WebhookEvent.objects.count() == 1
    assert Donation.objects.get().source == PaymentSource.WEBHOOK


def test_forged_webhook_is_rejected(client, site, fake_paypal):
    event = {
        "id": "WH-FORGED",
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {"id": "X", "amount": {"currency_code": "EUR", "value": "5000.00"}},
    }
    headers = fake_paypal.signed_headers(event)
    event["resource"]["amount"]["value"] = "9999.00"  # tampered after signing
    response = client.post(
        "/donations/paypal/webhook/", event, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    unsigned = client.post("/donations/paypal/webhook/", event, content_type="application/json")
    assert unsigned.status_code == 400
    assert not WebhookEvent.objects.exists() and not Donation.objects.exists()


def test_refund_before_the_payment_is_known_is_deferred_then_applied(client, site, fake_paypal):
    give(client)
    intent = DonationIntent.objects.get()
    approve_at_paypal(intent.approve_url)
    from donations.paypal import PayPalClient

    order = PayPalClient().order_capture(
        order_id=intent.paypal_order_id, request_id=str(intent.capture_request_id)
    )
    capture_id = order["purchase_units"][0]["payments"]["captures"][0]["id"]
    fake_paypal.capture_refund(capture_id)
    completed, refunded = fake_paypal.outbox[-2:]

    def post(event):
        return client.post(
            "/donations/paypal/webhook/",
            event,
            content_type="application/json",
            headers=fake_paypal.signed_headers(event),
        )

    assert post(refunded).status_code == 503  # out of order: PayPal will deliver it again
    assert post(completed).status_code == 200
    assert post(refunded).status_code == 200
    donation = Donation.objects.get()
    assert donation.status == "refunded"
    intent.refresh_from_db()
    assert intent.status == IntentStatus.REFUNDED


def test_manage_link_cancels_at_paypal_first_then_locally(client, site, fake_paypal):
    give(client, frequency="monthly")
    intent = DonationIntent.objects.get()
    client.get(approve_at_paypal(intent.approve_url))
    from donations.services import manage_url

    subscription = Subscription.objects.get()
    path = manage_url(subscription).removeprefix("http://testserver")
    fake_paypal.fail_rate = 1.0
    failed = client.post(path)
    assert failed.status_code == 502 and b"Nothing changed" in failed.content
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    fake_paypal.fail_rate = 0.0
    client.post(path)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED
    assert fake_paypal.subscriptions[subscription.paypal_subscription_id]["status"] == "CANCELLED"


def test_tampered_manage_link_is_refused(client, site, fake_paypal):
    assert client.get("/donations/manage/not-a-token/").status_code == 403


def _rendered_fields(html: str) -> dict:
    """What a browser would post back from the re-rendered donation form: inputs, checked radios, selects."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.select, self.textarea = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and name != "csrfmiddlewaretoken":
                if attrs.get("type") in ("radio", "checkbox"):
                    if "checked" in attrs:
                        self.data[name] = attrs.get("value", "on")
                else:
                    self.data[name] = attrs.get("value") or ""
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")
            elif tag == "textarea":
                self.textarea = name
                self.data[name] = ""

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

    parser = Fields()
    parser.feed(html)
    return parser.data


def test_a_donor_who_retries_after_a_paypal_outage_reaches_paypal(client, site, fake_paypal, settings):
    settings.PAYPAL_ATTEMPTS = 2
    fake_paypal.fail_rate = 1.0
    failed = give(client, custom_amount="40")
    assert failed.status_code == 502 and b"please try again shortly" in failed.content
    fake_paypal.fail_rate = 0.0
    again = client.post(GIVE, _rendered_fields(failed.content.decode()))
    retried = DonationIntent.objects.get(status=IntentStatus.PENDING)
    assert again.status_code == 302 and again["Location"] == retried.approve_url
    assert retried.amount == Decimal("40.00") and len(fake_paypal.orders) == 1
    assert DonationIntent.objects.filter(status=IntentStatus.FAILED).count() == 1  # the attempt stays visible
    assert give(client, custom_amount="40")["Location"] == retried.approve_url  # a double click: same order
    assert len(fake_paypal.orders) == 1


def test_an_email_too_long_to_store_is_refused_with_a_field_error(client, site, fake_paypal):
    long_email = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + "." + "e" * 39 + ".org"
    assert len(long_email) == 300
    for field in ("email", "ecard_email"):
        extra = {"dedication": "honour", "honoree_name": "Kofi Mensah"} if field == "ecard_email" else {}
        response = give(client, **{field: long_email}, **extra)
        assert response.status_code == 400
        assert response.context["form"].errors[field] == [
            "Ensure this value has at most 254 characters (it has 300)."
        ]
        assert b"at most 254 characters" in response.content
    assert not DonationIntent.objects.exists() and not Donor.objects.exists() and not fake_paypal.orders


@pytest.mark.parametrize("preset", ["0.5", "12.345", "250000"])
def test_a_stored_preset_outside_the_limits_is_not_offered_nor_taken(client, site, fake_paypal, preset):
    settings = DonationSettings.for_site(site)
    settings.amount_presets = f"10, {preset}"  # saved before presets were validated
    settings.save()
    page = client.get(GIVE)
    assert f'value="{preset}"'.encode() not in page.content  # never offered
    response = give(client, preset=preset)
    assert response.status_code == 400 and b"choose another amount" in response.content
    assert not DonationIntent.objects.exists() and not fake_paypal.orders


@pytest.mark.parametrize(
    ("preset", "message"),
    [
        ("0.5", "The smallest gift we can take in EUR is 1."),
        ("12.345", "Use at most two decimal places."),
        ("250000", "For gifts above 100,000 EUR please contact us so we can thank you properly."),
    ],
)
def test_the_form_checks_a_chosen_preset_like_a_typed_amount(preset, message):
    from donations.forms import DonationForm

    form = DonationForm(form_data(preset=preset), presets=[Decimal(10), Decimal(preset)])
    assert not form.is_valid()
    assert form.errors["preset"] == [message]


@pytest.mark.parametrize("origin", ["abc", "-3", "1.5", "99999999999999999999999", "999999"])
def test_an_unusable_origin_page_is_ignored(client, site, fake_paypal, origin):
    response = give(client, origin_page=origin)
    assert response.status_code == 302
    assert DonationIntent.objects.get().origin_page is None


def test_the_origin_page_is_recorded(client, site, fake_paypal):
    give(client, origin_page=str(site.root_page.pk))
    assert DonationIntent.objects.get().origin_page_id == site.root_page.pk


def test_a_form_without_its_token_says_so_and_can_be_sent_again(client, site, fake_paypal):
    response = give(client, form_token="")
    assert response.status_code == 400 and b"The form arrived incomplete" in response.content
    assert not DonationIntent.objects.exists()
    again = client.post(GIVE, _rendered_fields(response.content.decode()))
    assert again.status_code == 302 and again["Location"] == DonationIntent.objects.get().approve_url
