"""The demo report's figures come from records and equal the seed pages' published figures."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from report.checker import check_report
from report.models import AnnualReportPage


@pytest.fixture
def demo(db):
    call_command("load_demo_year", stdout=io.StringIO())
    return AnnualReportPage.objects.get()


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


def test_checker_catches_the_seeds_four_versus_six_in_the_draft(demo):
    [mismatch] = check_report(demo)
    assert mismatch.claimed == "four new member organisations"
    assert mismatch.computed == "6"


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
    from report.figures import figure_key
    from report.models import ReportEdition

    edition = ReportEdition.objects.order_by("-number").first()
    key = figure_key(
        "comms.yoy_change", {"channel": "instagram", "measure": "followers", "period_end": "2023-07-31"}
    )
    assert edition.figures[key]["value"] in {"12.50", "12.5"}


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
