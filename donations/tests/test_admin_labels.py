"""The donations admin calls records by their menu labels, shows booleans as icons, and the demo gifts carry
the dates they were given."""

import datetime
import re

import pytest

from core.demo import DemoContext
from core.tests.html import breadcrumbs
from donations.demo import build_donations
from donations.models import DonationIntent, Donor, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(site):
    build_donations(DemoContext(home=site.root_page.specific, log=lambda _: None))


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/admin/donations/gifts/", "Gifts"),
        ("/admin/donations/payments/", "Payments"),
        ("/admin/donations/monthly/", "Monthly gifts"),
        ("/admin/donations/webhooks/", "PayPal events"),
        ("/admin/donations/donors/", "Donors"),
    ],
)
def test_listing_is_headed_with_its_menu_label(admin_client, url, label):
    html = admin_client.get(url).content.decode()
    assert breadcrumbs(html)[-1] == label
    assert f"<title>{label}" in html


def test_inspect_page_breadcrumb_uses_the_menu_label(admin_client, demo):
    intent = DonationIntent.objects.first()
    html = admin_client.get(f"/admin/donations/gifts/inspect/{intent.pk}/").content.decode()
    assert breadcrumbs(html)[1] == "Gifts"
    assert "Donation intents" not in breadcrumbs(html)


def test_donor_listing_shows_consent_as_an_icon_not_true_or_false(admin_client, demo):
    html = admin_client.get("/admin/donations/donors/").content.decode()
    assert '<use href="#icon-cross">' in html or '<use href="#icon-check">' in html
    assert not re.search(r"<td[^>]*>\s*(True|False)\s*</td>", html)


def test_demo_gifts_are_dated_when_they_were_given(demo):
    first, last = datetime.date(2022, 8, 1), datetime.date(2024, 7, 31)
    intents = DonationIntent.objects.all()
    assert intents.count() == 10  # five in each demo year
    for intent in intents:
        assert first <= intent.created_at.date() <= last
        assert intent.created_at == intent.payments.get().received_at
    years = [(datetime.date(2022, 8, 1), datetime.date(2023, 7, 31)), (datetime.date(2023, 8, 1), last)]
    assert [intents.filter(created_at__date__range=year).count() for year in years] == [5, 5]
    for subscription in Subscription.objects.all():
        assert first <= subscription.created_at.date() <= last
    assert all(donor.created_at.date() <= last for donor in Donor.objects.all())
    # A donor who gives again in the second year keeps the date of the first gift.
    assert Donor.objects.get(email="priya.r@example.org").created_at.date() == datetime.date(2022, 12, 1)
