"""A donor gives monthly in memory of someone through the fake PayPal, in real Chromium."""

import pytest

from core.factories import site_with_home_page
from donations.models import DonationPage, Subscription, SubscriptionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def donation_page(fake_paypal):
    site = site_with_home_page()
    page = DonationPage(
        title="Donate",
        slug="donate",
        body=[("donation_form", {"heading": "Make a donation", "text": "", "presets": "10, 25, 50"})],
    )
    site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_donor_gives_monthly_in_memory_and_staff_see_it(
    live_server, browser_page, donation_page, fake_paypal, assert_accessible, admin_user
):
    fake_paypal.webhook_url = live_server.url + "/donations/paypal/webhook/"
    page = browser_page
    page.goto(live_server.url + "/donate/")
    page.get_by_text("Test mode").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Monthly").check()
    page.get_by_label("25", exact=True).check()
    page.get_by_label("In memory of").check()
    page.get_by_label("Name of the person honoured").fill("Amara Diallo")
    page.get_by_label("Message (optional)").fill("For a grandmother who taught every child to read.")
    page.get_by_label("Your name").fill("Lina Haddad")
    page.get_by_label("Your email").fill("lina@example.org")
    page.get_by_label("Country").select_option("LB")
    page.get_by_role("button", name="Continue to PayPal").click()
    page.get_by_role("heading", name="Approve your monthly donation").wait_for()
    assert page.url.startswith(fake_paypal.url)
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("heading", name="Thank you, Lina Haddad").wait_for()
    assert page.url.startswith(live_server.url + "/donations/thank-you/")
    assert_accessible(page)
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.ACTIVE

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/admin/donations/monthly/")
    row = page.get_by_role("row").filter(has_text=subscription.paypal_subscription_id)
    row.wait_for()
    assert "Active" in row.inner_text()
    assert page.get_by_role("row").filter(has_text="Active").count() == 1
