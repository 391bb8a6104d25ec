"""Two reports, one registry: blocks take their report's period, editions freeze each year apart, a comparison
block sets this year against last, and each figure has a citable page with its history across editions."""

import datetime
import re

import pytest
from django.test import Client

from core.statistics import Figure, registry
from network.factories import OrganisationFactory
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory
from report.models import ReportHeadlineFigure
from report.services import report_edition_publish, reports_diff

pytestmark = pytest.mark.django_db


def client_html(path: str) -> str:
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def joined(year: int, month: int, name: str):
    return OrganisationFactory(name=name, joined_on=datetime.date(year, month, 1))


@pytest.fixture
def two_reports(site):
    """Reports for 2030-2031 and 2031-2032 whose chapters hold the same blocks, without any date."""
    body = [
        ("statistic", {"statistic": "network.new_members", "parameters": "", "label": "New members"}),
        ("paragraph", "<p>We welcomed [[network.new_members]] organisations.</p>"),
        ("comparison", {"statistic": "network.new_members", "parameters": "", "label": "New members"}),
        (
            "listing",
            {
                "source": "network.joined",
                "heading": "Welcome",
                "start": None,
                "end": None,
                "filter": "",
                "limit": None,
            },
        ),
    ]
    reports = []
    for year in (2030, 2031):
        report = AnnualReportPageFactory(
            parent=site.root_page,
            slug=f"report-{year}",
            title=f"Annual Report {year}-{year + 1}",
            year_label=f"{year}-{year + 1}",
            start_date=datetime.date(year, 8, 1),
            end_date=datetime.date(year + 1, 7, 31),
        )
        ReportChapterPageFactory(parent=report, slug="chapter", title="The year", body=body)
        ReportHeadlineFigure.objects.create(report=report, statistic="network.new_members", label="Joined")
        reports.append(report)
    for name in ("Alpha", "Beta"):
        joined(2030, 9, name)  # 2030-2031: two
    for name in ("Gamma", "Delta", "Epsilon"):
        joined(2031, 10, name)  # 2031-2032: three
    return reports


def test_blocks_without_dates_count_their_own_reports_period(two_reports):
    def listed(html: str) -> str:
        return re.search(r'<section class="listing-block">.*?</section>', html, re.S)[0]

    first = client_html("/report-2030/chapter/")
    second = client_html("/report-2031/chapter/")
    assert '<p class="statistic__value">2</p>' in first and "We welcomed" in first
    assert "Alpha" in listed(first) and "Gamma" not in listed(first)
    assert '<p class="statistic__value">3</p>' in second
    assert "Gamma" in listed(second) and "Alpha" not in listed(second)


def test_each_edition_freezes_its_own_year_and_never_moves_when_newer_records_arrive(two_reports):
    older, newer = two_reports
    first = report_edition_publish(report=older)
    assert first.figures["network.new_members end=2031-07-31 start=2030-08-01"]["value"] == "2"
    joined(2031, 3, "Late entry")  # recorded late, inside the first year
    second = report_edition_publish(report=newer)
    first.refresh_from_db()
    assert first.figures["network.new_members end=2031-07-31 start=2030-08-01"]["value"] == "2"
    assert "Late entry" not in client_html("/report-2030/chapter/")
    # The newer report's comparison counts last year as the records stand now (it was not frozen before).
    assert second.figures["network.new_members end=2031-07-31 start=2030-08-01"]["value"] == "3"


def test_comparison_block_shows_both_years_the_change_and_both_derivations(two_reports):
    html = client_html("/report-2031/chapter/")
    comparison = re.search(r'<figure class="comparison">.*?</figure>', html, re.S)[0]
    values = re.findall(r'<dd class="comparison__value">(.*?)</dd>', comparison)
    assert values == ["3", "2", "+1 (+50%)"]
    assert "3 organisations joined between 01 Aug 2031 and 31 Jul 2032" in comparison
    assert "2 organisations joined between 01 Aug 2030 and 31 Jul 2031" in comparison


def test_a_percentage_changes_by_points_not_by_a_percentage_of_itself():
    from report.blocks import figure_change

    change = figure_change(Figure(27, "", unit="percent"), Figure(12.5, "", unit="percent"))
    assert change == {"difference": "+14.5 points", "relative": ""}


def test_reports_diff_pairs_each_figure_across_years(two_reports):
    older, newer = two_reports
    report_edition_publish(report=older)
    report_edition_publish(report=newer)
    rows = {row["key"]: row for row in reports_diff(earlier=older, later=newer)}
    row = rows["network.new_members"]
    assert (row["frozen_text"], row["live_text"], row["change"]) == ("2", "3", "+1 (+50%)")
    assert row["figure_url"] == "/figures/network.new_members/"
    assert "network.joined" not in rows  # listings are compared as records, not as a number


def test_report_to_report_page_lists_what_changed(two_reports):
    for report in two_reports:
        report_edition_publish(report=report)
    html = client_html("/figures/compare/?from=2030-2031&to=2031-2032")
    assert re.search(
        r"New member organisations</a></th>\s*<td>2</td>\s*<td>3</td>\s*<td>\+1 \(\+50%\)</td>", html
    )
    assert Client(HTTP_HOST="localhost").get("/figures/compare/?from=1999").status_code == 404


def test_figure_page_gives_its_history_across_editions_and_reports(two_reports):
    older, newer = two_reports
    report_edition_publish(report=older)
    joined(2031, 3, "Late entry")
    report_edition_publish(report=older)  # a corrected second edition
    report_edition_publish(report=newer)
    html = client_html("/figures/network.new_members/")
    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">.*?</a></th>\s*<td>(\d+),.*?</td>\s*<td[^>]*>(\d+)</td>',
        html,
        re.S,
    )
    assert rows == [("/report-2031/", "1", "3"), ("/report-2030/", "2", "3"), ("/report-2030/", "1", "2")]
    assert "Counted today for 2031-2032" in html


def test_how_we_counted_links_to_the_figure_page(two_reports):
    html = client_html("/report-2031/chapter/")
    assert 'href="/figures/network.new_members/"' in html


def test_figure_pages_have_one_address_each(two_reports):
    client = Client(HTTP_HOST="localhost")
    assert client.get("/figures/network.nope/").status_code == 404
    assert client.get("/figures/network.new_members/colour=red/").status_code == 404
    # The period is not part of a figure's identity: the page with dates in its address does not exist.
    assert client.get("/figures/network.new_members/start=2030-08-01/").status_code == 404


def test_report_landing_leads_with_its_headline_figures_and_links_to_last_year(two_reports):
    html = client_html("/report-2031/")
    assert re.search(r"<dt>Joined</dt>\s*<dd><strong class=\"comms-figures__value\">3</strong>", html)
    assert "?from=2030-2031&amp;to=2031-2032" in html


def test_headline_figure_with_a_parameter_its_statistic_does_not_take_is_refused(two_reports):
    from django.core.exceptions import ValidationError

    headline = ReportHeadlineFigure(
        report=two_reports[0], statistic="network.new_members", parameters="colour=red"
    )
    with pytest.raises(ValidationError, match="does not take colour"):
        headline.clean()


def test_an_edition_freezes_the_headline_figures(two_reports):
    edition = report_edition_publish(report=two_reports[0])
    assert "network.new_members end=2031-07-31 start=2030-08-01" in edition.figures


def test_the_registry_knows_figures_series_and_listings_apart():
    kinds = {s.name: s.kind for s in registry.all()}
    assert kinds["network.new_members"] == "figure"
    assert kinds["comms.over_year"] == "series"
    assert kinds["network.joined"] == "listing"
    assert ("network.joined", "New member organisations") not in registry.choices("figure")
