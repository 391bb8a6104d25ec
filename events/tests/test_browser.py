"""A participant finds the summit, registers, proposes a session and votes, in real Chromium."""

import pytest

from events.models import Participant, SessionProposal, Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participant_registers_proposes_and_votes(live_server, browser_page, event, assert_accessible):
    page = browser_page
    page.goto(live_server.url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    page.get_by_role("link", name="Global Boys Summit").click()
    assert_accessible(page)
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Full name").fill("Lira Talvek")
    page.get_by_label("Email").fill("lira@example.org")
    page.get_by_label("Country").select_option("KE")
    assert_accessible(page)
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="You are registered").wait_for()
    page.get_by_role("link", name="propose a session and vote for others").click()
    page.get_by_label("Session title").fill("Boys and online harm")
    page.get_by_label("What would the session cover?").fill("Referral pathways that keep up.")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("button", name="Vote for “Boys and online harm”").click()
    page.get_by_text("Your vote is counted.").wait_for()
    assert_accessible(page)
    participant = Participant.objects.get(email="lira@example.org")
    assert SessionProposal.objects.get().proposer == participant
    assert Vote.objects.get().participant == participant
