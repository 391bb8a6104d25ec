"""The demo report's figures come from records and equal the seed pages' published figures."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from report.checker import check_report
from report.models import AnnualReportPage


@pytest.fixture
def demo(db):
    """The 2022-2023 report (the seed pages' year) after the demo loaded both years."""
    call_command("load_demo_year", stdout=io.StringIO())
    return AnnualReportPage.objects.get(slug="annual-report-2022-2023")


def test_every_big_number_in_the_outreach_chapter_equals_the_seed(demo):
    html = (
        Client(HTTP_HOST="localhost").get("/annual-report-2022-2023/outreach-and-advocacy/").content.decode()
    )
    values = re.findall(r'statistic__value">([^<]+)<', html)
    # audience and mentions, case studies, young survivors consulted, new members
    assert values == ["+27%", "+12.5%", "+3%", "+13.29%", "+108%", "+111%", "8", "33", "6"]
    inline = re.findall(r'class="figure"[^>]*>([^<]+)<', html)
    # summit and workshop participants/countries; case studies, overviews, joint overviews, survivors, study
    # countries; new members and their countries
    assert inline == ["67", "31", "82", "32", "8", "4", "3", "33", "5", "6", "6"]


def test_public_report_shows_the_published_edition(demo):
    html = Client(HTTP_HOST="localhost").get("/annual-report-2022-2023/").content.decode()
    assert "Figures as published in edition 1" in html


def test_checker_catches_the_seeds_four_versus_six_and_the_planted_percentage_in_the_draft(demo):
    found = [(m.claimed, m.computed, m.statistic) for m in check_report(demo)]
    assert found == [
        ("four new member organisations", "6", "network.new_members"),
        ("15%", "+12.5%", "comms.yoy_change"),
    ]  # and nothing for the draft's true sentences about the summit, the workshop, LinkedIn and visits


def test_chapter_charts_are_svg_with_a_text_alternative_and_the_frozen_values(demo):
    html = (
        Client(HTTP_HOST="localhost").get("/annual-report-2022-2023/outreach-and-advocacy/").content.decode()
    )
    bars = html[html.index('id="chart-change-on-each-channel') - 200 :]
    assert 'role="img"' in bars[:1000]
    table = bars[bars.index("<table") : bars.index("</table>")]
    assert re.findall(r">([0-9.]+%)<", table) == ["27%", "12.5%", "3%", "13.29%", "108%", "111%"]
    assert "LinkedIn followers over the year" in html


def test_chart_bars_are_frozen_in_the_edition(demo):
    key = "comms.yoy_change channel=instagram measure=followers period_end=2023-07-31"
    assert demo.latest_edition.figures[key]["value"] in {"12.50", "12.5"}


def test_a_chart_series_that_is_not_a_channel_and_measure_is_refused(db):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from report.blocks import ChartBlock

    block = ChartBlock()
    value = block.to_python(
        {
            "kind": "yoy_by_channel",
            "title": "t",
            "description": "d",
            "series": "linkedin",
            "period_end": "2023-07-31",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "should be a channel and a measure" in str(error.value.block_errors["series"])


def test_a_chart_period_from_before_1900_is_refused(db):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from report.blocks import ChartBlock

    block = ChartBlock()
    value = block.to_python(
        {
            "kind": "over_time",
            "title": "t",
            "description": "d",
            "series": "linkedin followers",
            "period_end": "0001-01-01",
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "from 1900 on" in str(error.value.block_errors["period_end"])


def test_a_line_chart_ending_on_a_leap_day_covers_the_year_before(db):
    from comms.models import Channel, Observation
    from report.blocks import ChartBlock

    channel = Channel.objects.create(slug="linkedin", name="LinkedIn")
    for day, value in [(datetime.date(2023, 3, 1), 10), (datetime.date(2024, 2, 29), 20)]:
        Observation.objects.create(channel=channel, measure="followers", date=day, value=value)
    block = ChartBlock()
    value = block.to_python(
        {
            "kind": "over_time",
            "title": "Growth",
            "description": "d",
            "series": "linkedin followers",
            "period_end": "2024-02-29",
        }
    )
    svg = value.render_chart()
    assert "2023-03-01" in svg and "2024-02-29" in svg


def test_listing_blocks_list_the_records_of_the_period(demo):
    html = (
        Client(HTTP_HOST="localhost").get("/annual-report-2022-2023/outreach-and-advocacy/").content.decode()
    )
    members = html[html.index("Welcome to the network") :]
    members = members[: members.index("</ul>")]
    assert members.count("<li>") == 6  # the six organisations that joined in 2023
    assert "Zambia" in members
    episodes = html[html.index("Episodes released this year") :]
    assert episodes[: episodes.index("</ul>")].count("<li>") == 4


def test_every_chapter_ends_with_the_first_step_of_a_gift_and_stays_cacheable(demo, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client = Client(HTTP_HOST="localhost")
    url = "/annual-report-2022-2023/staff-perspectives/"
    html = client.get(url).content.decode()
    form = html[html.index('<form class="donation-form" method="get" action="/donate/"') :]
    assert 'name="frequency" value="monthly" checked' in form[: form.index("</form>")]
    assert "csrfmiddlewaretoken" not in html
    assert client.get(url)["X-Page-Cache"] == "hit"
    donate = client.get("/donate/?frequency=one_off&preset=50&currency=EUR").content.decode()
    assert re.search(r'value="one_off"[^>]*checked', donate)  # the choices carry over to the full form
    assert re.search(r'name="preset" value="50"[^>]*checked', donate)


def test_printed_report_says_where_to_give_instead_of_showing_a_web_form(demo):
    from django.template.loader import render_to_string

    printed = render_to_string("report/report_pdf.html", {"report": demo, "page": demo, "for_print": True})
    assert "Give online at http" in printed
    assert "<form" not in printed and "donations.css" not in printed
    web = (
        Client(HTTP_HOST="localhost").get("/annual-report-2022-2023/outreach-and-advocacy/").content.decode()
    )
    assert 'class="donation-form"' in web


# What the seed pages published for 2022-2023, as the demo's records give it: the audience and mention changes
# exactly; the summit's "more than 65 practitioners from over 30 countries" and the workshop's "over 80 participants
# from 32 countries" as the participant records count them; and the six new members.
SEED_FIGURES = {
    "comms.yoy_change channel=linkedin measure=followers period_end=2023-07-31": "27",
    "comms.yoy_change channel=instagram measure=followers period_end=2023-07-31": "12.5",
    "comms.yoy_change channel=facebook measure=followers period_end=2023-07-31": "3",
    "comms.yoy_change channel=website measure=visits period_end=2023-07-31": "13.29",
    "comms.yoy_change channel=traditional_media measure=mentions period_end=2023-07-31": "108",
    "comms.yoy_change channel=social_mentions measure=mentions period_end=2023-07-31": "111",
    "events.event_participants event=global-boys-summit-2023": "67",
    "events.event_countries event=global-boys-summit-2023": "31",
    "events.event_participants event=regional-workshop-nairobi-2023": "82",
    "events.event_countries event=regional-workshop-nairobi-2023": "32",
    "network.new_members end=2023-07-31 start=2022-08-01": "6",
}
# The 2023-2024 report's year-over-year figures, from the demo's records of the following year.
SECOND_YEAR_CHANGES = {
    ("linkedin", "followers"): "18.90",
    ("instagram", "followers"): "8.89",
    ("facebook", "followers"): "1.46",
    ("website", "visits"): "9.24",
    ("traditional_media", "mentions"): "16.03",
    ("social_mentions", "mentions"): "19.91",
}
NEW_MEMBERS_2022_2023 = "network.new_members end=2023-07-31 start=2022-08-01"
LINKEDIN_2022_2023 = "comms.yoy_change channel=linkedin measure=followers period_end=2023-07-31"


def frozen(edition, key: str) -> Decimal:
    return Decimal(edition.figures[key]["value"])


def test_the_seed_years_edition_freezes_the_seed_figures_and_the_next_year_has_its_own(demo):
    first = demo.latest_edition
    assert {key: frozen(first, key) for key in SEED_FIGURES} == {
        key: Decimal(value) for key, value in SEED_FIGURES.items()
    }
    assert frozen(first, "events.event_participants event=global-boys-summit-2023") > 65
    assert frozen(first, "events.event_countries event=global-boys-summit-2023") > 30
    assert frozen(first, "events.event_participants event=regional-workshop-nairobi-2023") > 80

    second = AnnualReportPage.objects.get(slug="annual-report-2023-2024")
    assert (second.year_label, second.start_date, second.end_date) == (
        "2023-2024",
        datetime.date(2023, 8, 1),
        datetime.date(2024, 7, 31),
    )
    [edition] = second.editions.all()
    assert edition.pk != first.pk
    for (channel, measure), expected in SECOND_YEAR_CHANGES.items():
        key = f"comms.yoy_change channel={channel} measure={measure} period_end=2024-07-31"
        earlier = f"comms.yoy_change channel={channel} measure={measure} period_end=2023-07-31"
        assert frozen(edition, key) == Decimal(expected), key
        assert frozen(edition, key) != frozen(first, earlier)
    assert frozen(edition, "network.new_members end=2024-07-31 start=2023-08-01") == 4
    assert check_report(second) == []  # its prose types no number the records contradict


def test_the_next_years_chapters_show_their_own_frozen_figures_listings_and_charts(demo):
    client = Client(HTTP_HOST="localhost")
    reach = client.get("/annual-report-2023-2024/reach-and-attention/").content.decode()
    assert "Figures as published in edition 1" in reach
    assert re.findall(r'statistic__value">([^<]+)<', reach) == [
        "+18.9%",
        "+8.89%",
        "+1.46%",
        "+9.24%",
        "+16.03%",
        "+19.91%",
    ]
    assert re.findall(r'class="figure"[^>]*>([^<]+)<', reach) == ["4", "2"]  # publications, country overviews
    bars = reach[reach.index('id="chart-change-on-each-channel') - 200 :]
    table = bars[bars.index("<table") : bars.index("</table>")]
    assert re.findall(r">([0-9.]+%)<", table) == ["18.9%", "8.89%", "1.46%", "9.24%", "16.03%", "19.91%"]
    assert "Instagram followers through the year" in reach
    episodes = reach[reach.index("Episodes released this year") :]
    assert episodes[: episodes.index("</ul>")].count("<li>") == 3
    assert 'class="donation-form"' in reach

    network = client.get("/annual-report-2023-2024/a-growing-network/").content.decode()
    assert re.findall(r'statistic__value">([^<]+)<', network) == ["4", "81"]
    assert re.findall(r'class="figure"[^>]*>([^<]+)<', network) == ["4", "4", "58", "16"]
    members = network[network.index("Welcome to the network") :]
    members = members[: members.index("</ul>")]
    assert members.count("<li>") == 4 and "Sendero Seguro Cusco" in members
    assert "Communauté Abel" not in members  # a 2022-2023 member stays in its own year
    assert 'class="donation-form"' in network


def statistic_values(client: Client, url: str) -> list[str]:
    return re.findall(r'statistic__value">([^<]+)<', client.get(url).content.decode())


def test_a_published_edition_keeps_its_figures_when_records_of_its_year_arrive_later(demo):
    from comms.models import Observation
    from core.statistics import registry
    from network.models import Organisation, OrganisationKind
    from report.services import report_edition_publish

    client = Client(HTTP_HOST="localhost")
    url = "/annual-report-2022-2023/outreach-and-advocacy/"
    assert statistic_values(client, url) == [
        "+27%",
        "+12.5%",
        "+3%",
        "+13.29%",
        "+108%",
        "+111%",
        "8",
        "33",
        "6",
    ]

    # Records of 2022-2023 that reach the database after its edition was published: a member whose joining was
    # entered late, and a corrected LinkedIn export for the last day of the year.
    Organisation.objects.create(
        name="Late Entry Child Trust",
        slug="late-entry-child-trust",
        kind=OrganisationKind.MEMBER,
        country="GH",
        joined_on=datetime.date(2023, 5, 10),
    )
    # LinkedIn exports new followers a day: 635 more on the last day take the count from 12,700 to 13,335.
    Observation.objects.filter(
        channel__slug="linkedin", measure="new_followers", date=datetime.date(2023, 7, 31)
    ).update(value=F("value") + 635)

    start, end = datetime.date(2022, 8, 1), datetime.date(2023, 7, 31)
    assert registry.compute("network.new_members", start=start, end=end).value == 7  # live figures moved
    assert registry.compute(
        "comms.yoy_change", channel="linkedin", measure="followers", period_end=end
    ).value == Decimal("33.35")
    edition = AnnualReportPage.objects.get(pk=demo.pk).latest_edition
    assert (frozen(edition, NEW_MEMBERS_2022_2023), frozen(edition, LINKEDIN_2022_2023)) == (6, 27)

    html = client.get(url).content.decode()  # the published chapter still shows the edition's figures
    assert re.findall(r'statistic__value">([^<]+)<', html) == [
        "+27%",
        "+12.5%",
        "+3%",
        "+13.29%",
        "+108%",
        "+111%",
        "8",
        "33",
        "6",
    ]
    members = html[html.index("Welcome to the network") :]
    assert "Late Entry Child Trust" not in members[: members.index("</ul>")]
    # The next year's edition is not touched either.
    second = AnnualReportPage.objects.get(slug="annual-report-2023-2024").latest_edition
    assert frozen(second, "network.new_members end=2024-07-31 start=2023-08-01") == 4

    # Only a new edition takes the late records in: the page was showing the frozen figures, not stale HTML.
    report_edition_publish(report=demo)
    values = statistic_values(client, url)
    assert values[0] == "+33.35%" and values[-1] == "7"
