"""Staff side: reconciliation, exports, erasure, statistics, retention."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.statistics import StatisticError, registry
from donations.models import Donation, DonationIntent, DonationSettings, Donor, IntentStatus, PaymentSource
from donations.services import donor_erase, donor_export, donors_erase_expired, payment_record
from donations.tests.conftest import approve_at_paypal, form_data

pytestmark = pytest.mark.django_db


def paid_at_paypal_but_not_recorded(client, fake_paypal) -> DonationIntent:
    """The donor approves; PayPal captures (we ask it directly) but neither the return nor a webhook arrives."""
    from donations.paypal import PayPalClient

    client.post("/donations/give/", form_data(custom_amount="12.00"))
    intent = DonationIntent.objects.get()
    approve_at_paypal(intent.approve_url)
    PayPalClient().order_capture(order_id=intent.paypal_order_id, request_id=str(intent.capture_request_id))
    return intent


def test_reconcile_reports_a_missing_payment_and_repairs_it(client, site, fake_paypal, capsys):
    intent = paid_at_paypal_but_not_recorded(client, fake_paypal)
    since = (date.today() - timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="Differences found"):
        call_command("reconcile_donations", "--since", since)
    assert "Missing here" in capsys.readouterr().out
    assert not Donation.objects.exists()
    call_command("reconcile_donations", "--since", since, "--repair")
    donation = Donation.objects.get()
    assert (donation.intent, donation.amount, donation.source) == (
        intent,
        Decimal("12.00"),
        PaymentSource.RECONCILE,
    )
    intent.refresh_from_db()
    assert intent.status == IntentStatus.COMPLETED
    call_command("reconcile_donations", "--since", since)
    assert "Everything matches." in capsys.readouterr().out


def test_daily_task_records_a_captured_order_before_reconciling(client, site, fake_paypal):
    """The sweep finds the order COMPLETED at PayPal and records its capture, so reconciliation finds nothing."""
    from donations.tasks import donations_reconcile_recent

    paid_at_paypal_but_not_recorded(client, fake_paypal)
    result = donations_reconcile_recent.enqueue(days=1).return_value
    assert (result["captured"], result["missing"], result["unresolved"]) == (1, 0, 0)
    assert Donation.objects.get().source == PaymentSource.RECONCILE


def test_reconcile_rejects_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reconcile_donations", "--since", "last tuesday")


def _gift(email="zoe@example.org", amount="20.00", capture="CAP-1") -> Donation:
    donor = Donor.objects.create(email=email, name="Zoe Park", country="KR")
    intent = DonationIntent.objects.create(
        idempotency_key=capture,
        donor=donor,
        amount=Decimal(amount),
        currency="EUR",
        frequency="one_off",
        dedication="honour",
        honoree_name="Min-jun Park",
        ecard_email="family@example.org",
    )
    donation, _ = payment_record(
        intent=intent, capture_id=capture, amount=Decimal(amount), currency="EUR", source="return"
    )
    return donation


def test_erasure_anonymises_the_donor_and_keeps_the_accounts():
    donation = _gift()
    donor_erase(donor=donation.donor)
    donor = Donor.objects.get()
    assert donor.name == "Erased donor" and "zoe" not in donor.email and donor.erased_at
    intent = DonationIntent.objects.get()
    assert intent.ecard_email == "" and intent.honoree_name == "Erased"
    assert Donation.objects.get().amount == Decimal("20.00")


def test_export_lists_the_donors_gifts_and_payments():
    donation = _gift()
    data = donor_export(donor=donation.donor)
    assert data["email"] == "zoe@example.org"
    assert data["gifts"][0]["payments"][0]["paypal_id"] == "CAP-1"


def test_retention_erases_donors_whose_last_gift_is_old(settings):
    _gift()
    settings.DONOR_RETENTION_DAYS = 30
    from django.utils import timezone

    assert donors_erase_expired(now=timezone.now()) == 0
    assert donors_erase_expired(now=timezone.now() + timedelta(days=31)) == 1
    assert Donor.objects.get().erased_at


def test_statistics_are_refused_until_the_organisation_publishes_them(site):
    _gift()
    _gift(email="lee@example.org", amount="5.00", capture="CAP-2")
    today = date.today()
    with pytest.raises(StatisticError, match="not published"):
        registry.compute("donations.donors", start=today, end=today)
    DonationSettings.objects.update_or_create(site=site, defaults={"publish_statistics": True})
    assert registry.compute("donations.donors", start=today, end=today).value == 2
    assert registry.compute("donations.amount", start=today, end=today, currency="eur").value == Decimal(
        "25.00"
    )
    assert registry.compute("donations.monthly_donors", start=today, end=today).value == 0


def test_admin_listing_filters_totals_and_exports(admin_client):
    _gift()
    _gift(email="lee@example.org", amount="5.00", capture="CAP-2")
    response = admin_client.get("/admin/donations/gifts/?status=completed")
    assert response.status_code == 200
    assert b"25.00 EUR from 2 payments" in response.content
    csv = admin_client.get("/admin/donations/gifts/?export=csv")
    assert csv.status_code == 200 and b"Zoe Park" in b"".join(csv.streaming_content)
    xlsx = admin_client.get("/admin/donations/gifts/?export=xlsx")
    assert xlsx.status_code == 200


def test_admin_donor_erase_needs_post_and_keeps_payments(admin_client):
    donation = _gift()
    admin_client.get(f"/admin/donations/donors/{donation.donor.pk}/erase/")
    assert Donor.objects.get().erased_at is None
    admin_client.post(f"/admin/donations/donors/{donation.donor.pk}/erase/")
    assert Donor.objects.get().erased_at is not None
    assert (
        admin_client.get(f"/admin/donations/donors/{donation.donor.pk}/export/").json()["name"]
        == "Erased donor"
    )


def test_csv_exports_write_a_donors_formula_like_name_as_text(admin_client):
    import csv as csv_module

    donation = _gift()
    Donor.objects.filter(pk=donation.donor_id).update(name='=HYPERLINK("http://evil.example","Zoe")')
    for url in ("/admin/donations/donors/?export=csv", "/admin/donations/gifts/?export=csv"):
        text = b"".join(admin_client.get(url).streaming_content).decode()
        cells = [cell for row in csv_module.reader(text.splitlines()) for cell in row]
        assert '\'=HYPERLINK("http://evil.example","Zoe")' in " ".join(cells), url
        assert not any(cell.startswith("=") for cell in cells), url


def test_reconcile_refuses_an_until_before_since(fake_paypal):
    with pytest.raises(CommandError, match="--until 2022-01-01 is before --since 2023-01-01"):
        call_command("reconcile_donations", "--since", "2023-01-01", "--until", "2022-01-01")
    assert fake_paypal.calls == 0


def test_donation_settings_refuse_presets_the_form_could_not_take(admin_client, site):
    url = f"/admin/settings/donations/donationsettings/{site.pk}/"
    response = admin_client.post(url, {"amount_presets": "abc, 0.5, 12.345, 250000, 25"})
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["form"].errors["amount_presets"]
    assert errors == [
        "“abc” is not an amount: use numbers such as 10 or 12.50.",
        "“0.5” is below the smallest gift, 1.",
        "“12.345” has more than two decimal places.",
        "“250000” is above the largest gift the form takes, 100,000.",
    ]
    assert DonationSettings.for_site(site).amount_presets == "10, 25, 50, 100"
    saved = admin_client.post(url, {"amount_presets": "5, 12.50, 100000"})
    assert saved.status_code == 302
    assert DonationSettings.for_site(site).amount_presets == "5, 12.50, 100000"


def test_donation_settings_need_at_least_one_preset(admin_client, site):
    url = f"/admin/settings/donations/donationsettings/{site.pk}/"
    response = admin_client.post(url, {"amount_presets": " , "})
    assert response.context["form"].errors["amount_presets"] == [
        "Enter at least one amount, such as 10, 25, 50."
    ]
