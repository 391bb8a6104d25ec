"""The demo report's figures come from records and equal the seed pages' published figures."""

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
    assert values == ["+27%", "+12.5%", "+3%", "+13.29%", "+108%", "+111%", "6"]
    inline = re.findall(r'class="figure"[^>]*>([^<]+)<', html)
    assert inline == ["67", "31", "82", "32", "6", "6"]  # summit, workshop, new members and their countries


def test_public_report_shows_the_published_edition(demo):
    html = Client(HTTP_HOST="localhost").get("/annual-report-2022-2023/").content.decode()
    assert "Figures as published in edition 1" in html


def test_checker_catches_the_seeds_four_versus_six_in_the_draft(demo):
    [mismatch] = check_report(demo)
    assert mismatch.claimed == "four new member organisations"
    assert mismatch.computed == "6"
