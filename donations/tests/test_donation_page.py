"""The donation page in test mode says so once, above the form."""

import pytest
from django.test import Client

from donations.models import DonationPage


@pytest.fixture
def donation_page(site, settings):
    settings.PAYPAL_MODE = "fake"
    page = DonationPage(
        title="Donate",
        slug="donate",
        body=[("donation_form", {"heading": "Make a donation", "text": "", "presets": "10, 25"})],
    )
    site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_test_mode_note_appears_once(donation_page):
    html = Client(HTTP_HOST="localhost").get("/donate/").content.decode()
    assert html.count("<strong>Test mode:</strong>") == 1
    assert 'class="donation-form"' in html
