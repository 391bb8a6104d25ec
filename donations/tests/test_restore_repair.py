"""After a restore from a backup taken before some gifts, reconcile_donations --repair brings each gift back with
its donor and its intent (the same public ID, from PayPal's custom_id), so the thank-you page, the receipt and the
donor's history work again (docs/backup.md)."""

import io
import re
import uuid
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.backup import backup_create, backup_restore
from donations.custom_id import MAX_LENGTH, GiftTag, gift_tag_for, gift_tag_parse
from donations.models import (
    Dedication,
    Donation,
    DonationIntent,
    Donor,
    Frequency,
    IntentStatus,
    Subscription,
    SubscriptionStatus,
)
from donations.paypal import PayPalClient, PayPalError
from donations.reconcile import donations_reconcile
from donations.services import HONOREE_NOT_RECOVERED
from donations.testing.fake import Payer
from donations.testing.routes import CUSTOM_ID
from donations.tests.conftest import approve_at_paypal, form_data

# reporting_transactions_v1: transaction_info.custom_field's pattern.
CUSTOM_FIELD = re.compile(r"^[a-zA-Z0-9_'\-., \":;\!?]*$")
AMA = {"email": "ama@example.org", "given_name": "Ama", "surname": "Mensah", "country_code": "GH"}
KWAME = {"email": "kwame@example.org", "given_name": "Kwame", "surname": "Boateng", "country_code": "GH"}


def give(client, payer: dict, **overrides) -> DonationIntent:
    response = client.post("/donations/give/", form_data(**overrides))
    assert response.status_code == 302, response.content
    intent = DonationIntent.objects.latest("created_at")
    client.get(approve_at_paypal(intent.approve_url, **payer))
    return intent


def reconcile(*options: str) -> str:
    out = io.StringIO()
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    call_command("reconcile_donations", "--since", since, *options, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_gifts_made_after_the_backup_come_back_with_their_donor_and_intent(
    client, site, fake_paypal, tmp_path, settings
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    before = give(client, AMA, form_token="before")
    backup_create(directory=tmp_path / "backup")

    in_memory = give(
        client,
        AMA,
        form_token="after-1",
        preset="50",
        dedication="memory",
        honoree_name="Kofi Mensah",
        dedication_message="He loved children's laughter.",
        ecard_email="family@example.org",
        origin_page=str(site.root_page.pk),
    )
    monthly = give(
        client,
        KWAME,
        form_token="after-2",
        frequency="monthly",
        preset="10",
        name="Kwame B.",
        email=KWAME["email"],
    )
    lost = {in_memory.public_id, monthly.public_id}
    capture_id = Donation.objects.get(intent=in_memory).paypal_capture_id
    sale_id = Donation.objects.get(intent=monthly).paypal_sale_id

    backup_restore(directory=tmp_path / "backup", force=True)
    assert not DonationIntent.objects.filter(public_id__in=lost).exists()
    assert not Subscription.objects.exists()
    mail.outbox.clear()

    output = reconcile("--repair")
    assert "Everything matches." in output
    assert output.count("Rebuilt from PayPal") == 2

    gift = Donation.objects.select_related("intent", "donor").get(paypal_capture_id=capture_id)
    assert gift.intent.public_id == in_memory.public_id
    assert (
        gift.donor == gift.intent.donor == Donor.objects.get(pk=before.donor_id)
    )  # Ama's history is one donor
    assert sorted(gift.donor.intents.values_list("public_id", flat=True)) == sorted(
        [before.public_id, in_memory.public_id]
    )
    assert (gift.intent.amount, gift.intent.currency, gift.intent.status) == (
        Decimal("50.00"),
        "EUR",
        IntentStatus.COMPLETED,
    )
    assert (gift.intent.dedication, gift.intent.honoree_name) == (Dedication.MEMORY, HONOREE_NOT_RECOVERED)
    assert (gift.intent.ecard_email, gift.intent.dedication_message) == ("", "")  # never sent to PayPal
    assert gift.intent.origin_page_id == site.root_page.pk
    assert gift.intent.paypal_order_id == in_memory.paypal_order_id

    month = Donation.objects.select_related("intent", "donor", "subscription").get(paypal_sale_id=sale_id)
    assert month.intent.public_id == monthly.public_id and month.intent.frequency == Frequency.MONTHLY
    assert (month.donor.email, month.donor.name, month.donor.country.code) == (
        "kwame@example.org",
        "Kwame Boateng",  # PayPal's name for the account, the only one left
        "GH",
    )
    assert month.subscription.status == SubscriptionStatus.ACTIVE
    assert month.subscription.intent == month.intent
    assert month.subscription.paypal_subscription_id == monthly.paypal_subscription_id

    thanks = client.get(f"/donations/thank-you/{in_memory.public_id}/")
    assert thanks.status_code == 200
    assert b"Thank you, Ama Mensah" in thanks.content
    assert client.get(f"/donations/thank-you/{monthly.public_id}/").status_code == 200
    receipts = {message.to[0]: message for message in mail.outbox if message.subject.startswith("Thank you")}
    assert set(receipts) == {"ama@example.org", "kwame@example.org"}
    manage = re.search(r"https?://\S+/donations/manage/\S+/", receipts["kwame@example.org"].body).group(0)
    assert client.get(urlsplit(manage).path).status_code == 200

    again = reconcile("--repair")
    assert "Everything matches." in again and "Rebuilt" not in again and "Repaired" not in again


def test_the_custom_id_carries_the_intent_within_paypals_patterns():
    tag = GiftTag(
        public_id=uuid.uuid4(),
        frequency=Frequency.MONTHLY,
        dedication=Dedication.HONOUR,
        origin_page_id=2**63 - 1,
    )
    value = tag.encode()
    assert len(value) <= MAX_LENGTH
    assert CUSTOM_ID.match(value) and CUSTOM_FIELD.match(value)
    assert gift_tag_parse(value) == tag
    plain = GiftTag(public_id=uuid.uuid4(), frequency=Frequency.ONE_OFF, dedication=Dedication.NONE)
    assert gift_tag_parse(plain.encode()) == plain


def test_the_bare_public_id_of_older_gifts_is_still_read_but_rebuilds_nothing():
    public_id = uuid.uuid4()
    assert gift_tag_parse(str(public_id)) == GiftTag(public_id=public_id)
    assert not gift_tag_parse(str(public_id)).rebuildable
    assert gift_tag_parse("") is None and gift_tag_parse("someone-elses-order-42") is None
    assert gift_tag_parse("yb1.notahexid.o.n.") is None


@pytest.mark.django_db
def test_orders_and_subscriptions_send_the_versioned_custom_id(client, site, fake_paypal):
    one_off = give(client, AMA, form_token="a", dedication="honour", honoree_name="Efua")
    monthly = give(client, KWAME, form_token="b", frequency="monthly", preset="10", email=KWAME["email"])
    order = fake_paypal.orders[one_off.paypal_order_id]
    assert order["purchase_units"][0]["custom_id"] == gift_tag_for(one_off)
    assert fake_paypal.subscriptions[monthly.paypal_subscription_id]["custom_id"] == gift_tag_for(monthly)
    assert gift_tag_parse(gift_tag_for(one_off)).dedication == Dedication.HONOUR


@pytest.mark.django_db
def test_a_gift_with_a_bare_uuid_unknown_here_is_not_taken_for_ours(fake_paypal):
    """Another integration on the same PayPal account may use UUIDs: only yb1 custom_ids rebuild a gift."""
    fake_paypal.row(
        transaction_id="9AB12345CD678901E",
        code="T0006",
        amount=Decimal("20.00"),
        currency="EUR",
        reference_id="5O190127TN364715T",
        reference_type="ODR",
        custom=str(uuid.uuid4()),
        payer=Payer(**AMA),
    )
    report = donations_reconcile(since=timezone.localdate() - timedelta(days=1), repair=True)
    assert [line.split(":")[0] for line in report.not_ours] == ["9AB12345CD678901E"]
    assert not Donor.objects.exists() and not Donation.objects.exists()


@pytest.mark.django_db
def test_a_lost_gift_without_a_payer_email_is_reported_not_guessed(fake_paypal):
    tag = GiftTag(public_id=uuid.uuid4(), frequency=Frequency.ONE_OFF, dedication=Dedication.NONE)
    fake_paypal.row(
        transaction_id="8AB12345CD678901E",
        code="T0006",
        amount=Decimal("20.00"),
        currency="EUR",
        reference_id="4O190127TN364715T",
        reference_type="ODR",
        custom=tag.encode(),
    )
    report = donations_reconcile(since=timezone.localdate() - timedelta(days=1), repair=True)
    assert report.errors == [
        "8AB12345CD678901E: PayPal listed no payer email, so its donor cannot be rebuilt."
    ]
    assert not DonationIntent.objects.exists() and not Donation.objects.exists()


@pytest.mark.django_db
def test_the_fake_lists_payer_info_only_when_fields_ask_for_it(client, site, fake_paypal):
    """reporting_transactions_v1: fields defaults to transaction_info; payer_info comes with fields=all."""
    give(client, AMA, form_token="a")
    end = timezone.now() + timedelta(minutes=5)
    params = {"start_date": (end - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    params["end_date"] = end.strftime("%Y-%m-%dT%H:%M:%SZ")
    paypal = PayPalClient()
    default = paypal._api("GET", "/v1/reporting/transactions", params=params)["transaction_details"]
    assert [set(detail) for detail in default] == [{"transaction_info"}]
    full = paypal._api("GET", "/v1/reporting/transactions", params={**params, "fields": "all"})
    payer = full["transaction_details"][0]["payer_info"]
    assert payer["email_address"] == "ama@example.org" and payer["country_code"] == "GH"
    assert payer["payer_name"] == {
        "given_name": "Ama",
        "surname": "Mensah",
        "alternate_full_name": "Ama Mensah",
    }
    assert len(payer["account_id"]) <= 13


@pytest.mark.django_db
def test_the_fake_refuses_a_subscription_custom_id_longer_than_paypal_takes(fake_paypal):
    paypal = PayPalClient()
    product = paypal.product_create(request_id="p", name="Donations")
    plan = paypal.plan_create(request_id="plan", product_id=product["id"], amount=Decimal(10), currency="EUR")
    with pytest.raises(PayPalError) as refused:
        paypal.subscription_create(
            request_id="s",
            plan_id=plan["id"],
            custom_id="x" * 128,
            return_url="http://x/r",
            cancel_url="http://x/c",
        )
    assert refused.value.status == 400
