"""The donation page in test mode says so once, above the form."""

import re

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


@pytest.mark.parametrize("query", ["abc", "-1", "1.5", "9" * 30, ""])
def test_only_a_page_id_is_carried_into_the_hidden_origin_field(donation_page, query):
    html = Client(HTTP_HOST="localhost").get(f"/donate/?origin_page={query}").content.decode()
    assert re.findall(r'name="origin_page" value="([^"]*)"', html) == [str(donation_page.pk)]


def test_the_origin_page_from_a_start_block_is_carried_into_the_form(donation_page):
    html = Client(HTTP_HOST="localhost").get("/donate/?origin_page=7").content.decode()
    assert re.findall(r'name="origin_page" value="([^"]*)"', html) == ["7"]


def test_a_form_blocks_presets_are_checked_like_the_settings():
    from wagtail.blocks import StructBlockValidationError

    from donations.blocks import DonationFormBlock

    block = DonationFormBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"heading": "Give", "text": "", "presets": "10, 0.5"}))
    assert caught.value.block_errors["presets"].messages == ["“0.5” is below the smallest gift, 1."]
    assert block.clean(block.to_python({"heading": "Give", "text": "", "presets": ""}))["presets"] == ""
