"""A listener finds an episode, reads its transcript, and a reader checks the impact figures, in real Chromium."""

import pytest

from comms.demo import build_channels_and_observations, build_podcast
from core.demo import DemoContext
from network.demo import build_network
from report.demo import HEADLINES
from report.factories import report_with_headlines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def podcast(site):
    ctx = DemoContext(home=site.root_page.specific, log=lambda _: None)
    build_network(ctx)
    build_channels_and_observations(ctx)
    build_podcast(ctx)
    report_with_headlines(
        parent=site.root_page, label=ctx.year_label, start=ctx.start, end=ctx.end, headlines=HEADLINES[:4]
    )


def test_listener_opens_an_episode_and_reader_sees_the_impact_figures(
    live_server, browser_page, podcast, assert_accessible
):
    page = browser_page
    page.goto(f"{live_server.url}/podcast/")
    assert_accessible(page)
    page.get_by_role("link", name="Voluntourism: when helping harms children").click()
    assert page.locator("audio.podcast__player").count() == 1
    page.get_by_role("heading", name="Transcript").wait_for()
    assert (
        "Lanka Child Guard" in page.get_by_role("list").filter(has_text="Member representative").inner_text()
    )
    assert_accessible(page)

    page.goto(f"{live_server.url}/impact/")
    chart = page.get_by_role("img", name="Change against the year before")
    chart.wait_for()
    page.get_by_text("Data for this chart").first.click()  # the table behind the chart, folded by default
    table = page.locator("table").first.inner_text()
    assert "27" in table and "13.29" in table
    assert_accessible(page)
