"""The donation call to action at the foot of every page leads to a way to give."""

import pytest
from django.test import Client

from core.models import SiteSettings
from donations.models import DonationPage


@pytest.fixture
def donation_page(site):
    page = DonationPage(title="Donate", slug="donate", body=[])
    site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def footer_button(site) -> str | None:
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    footer = html[html.index('class="donation-cta"') :]
    marker = '<a class="button" href="'
    return footer[footer.index(marker) + len(marker) :].split('"', 1)[0] if marker in footer else None


def test_the_footer_button_opens_the_sites_donation_page(site, donation_page):
    assert footer_button(site) == "/donate/"


def test_a_donation_url_in_the_settings_wins(site, donation_page):
    SiteSettings.objects.update_or_create(site=site, defaults={"donation_url": "https://give.example.org/"})
    assert footer_button(site) == "https://give.example.org/"


def test_without_a_donation_page_or_url_there_is_no_button(site):
    assert footer_button(site) is None


def test_the_footer_text_links_to_pages_by_their_current_url(site, donation_page):
    text = f'<p>Read <a linktype="page" id="{donation_page.pk}">how gifts are spent</a>.</p>'
    SiteSettings.objects.update_or_create(site=site, defaults={"donation_text": text})
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    footer = html[html.index('class="donation-cta"') :]
    assert '<a href="/donate/">how gifts are spent</a>' in footer and "linktype" not in footer
