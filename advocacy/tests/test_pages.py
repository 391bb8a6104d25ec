"""Campaign and dossier pages render the demo year's records, and their statistics count them."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from core.statistics import registry

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def demo():
    call_command("load_demo_year", stdout=io.StringIO())
    return Client(HTTP_HOST="localhost")


def test_campaign_page_shows_its_partner_and_members(demo):
    html = demo.get("/campaigns/break-free-to-fly/").content.decode()
    assert "Meta, Launch partner" in html
    assert html.count('<th scope="row">') == 6


def test_dossier_page_shows_the_timeline_in_order_and_linked_actions(demo):
    html = demo.get("/legislation/eu-child-sexual-abuse-regulation/").content.decode()
    assert html.index("11 May 2022") < html.index("13 November 2023")
    assert 'href="/events/eu-members-meeting-2022/">Briefing for EU members' in html


def test_dossier_actions_are_listed_in_date_order_whatever_order_they_were_entered(demo):
    html = demo.get("/legislation/eu-child-sexual-abuse-regulation/").content.decode()
    what_we_did = html.split("What we did")[1]
    assert what_we_did.index("11 October 2022") < what_we_did.index("18 October 2022")
    assert what_we_did.index("18 October 2022") < what_we_did.index("20 April 2023")


def test_demo_statement_does_not_link_to_the_campaign(demo):
    html = demo.get("/legislation/eu-child-sexual-abuse-regulation/").content.decode()
    assert "Statement on safeguards and survivors' voices" in html.replace("&#x27;", "'")
    assert 'href="/campaigns/break-free-to-fly/"' not in html


def test_demo_dossier_status_follows_its_last_timeline_stage(demo):
    """The lead committee adopted its report (the last stage), so the dossier is no longer in committee."""
    from advocacy.models import DossierPage, DossierStage, DossierStatus

    dossier = DossierPage.objects.get(slug="eu-child-sexual-abuse-regulation")
    assert dossier.timeline().last().stage == DossierStage.Stage.COMMITTEE_VOTE
    assert dossier.status == DossierStatus.IN_TRILOGUE
    assert "In negotiation (trilogue)" in demo.get("/legislation/").content.decode()


def test_campaign_statistics_count_the_records(demo):
    assert registry.compute("advocacy.campaigns", start="2022-08-01", end="2023-07-31").value == 1
    members = registry.compute("advocacy.participating_members")
    assert members.value == 6
    from advocacy.models import CampaignParticipation

    countries = {
        p.organisation.country.code for p in CampaignParticipation.objects.select_related("organisation")
    }
    assert registry.compute("advocacy.countries_reached").value == len(countries) > 1
