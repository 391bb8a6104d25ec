"""Publishing a report freezes its figures; the public pages and the PDF show the frozen values."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from pypdf import PdfReader

from core.statistics import Figure, registry
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory
from report.services import edition_diff, report_edition_publish

COUNTER = {"value": 6}


@pytest.fixture(autouse=True)
def members_statistic():
    def members() -> Figure:
        return Figure(value=COUNTER["value"], derivation=f"{COUNTER['value']} organisations joined")

    COUNTER["value"] = 6
    with registry.temporary("test.new_members", members):
        yield


@pytest.fixture
def report(site):
    report = AnnualReportPageFactory(parent=site.root_page, slug="ar")
    ReportChapterPageFactory(
        parent=report,
        slug="c",
        title="Outreach",
        body=[
            ("statistic", {"statistic": "test.new_members", "parameters": "", "label": "New members"}),
            ("paragraph", "<p>We welcomed [[test.new_members]] organisations.</p>"),
        ],
    )
    return report


def chapter_html() -> str:
    return Client(HTTP_HOST="localhost").get("/ar/c/").content.decode()


def test_public_pages_show_frozen_figures_after_publishing_even_when_records_change(report):
    report_edition_publish(report=report)
    COUNTER["value"] = 7
    html = chapter_html()
    assert '<p class="statistic__value">6</p>' in html
    assert "Figures as published in edition 1" in html
    assert '<span class="figure" title="6 organisations joined">6<' in html


def test_a_new_edition_shows_on_the_next_request(report):
    client = Client(HTTP_HOST="localhost")
    for _ in range(
        2
    ):  # the first visit creates the site settings, which starts the remembered skeleton afresh
        assert "figures are live" in client.get("/ar/c/").content.decode()
    report_edition_publish(report=report)
    COUNTER["value"] = 8
    report_edition_publish(report=report)
    html = client.get("/ar/c/").content.decode()
    assert "Figures as published in edition 2" in html
    assert '<p class="statistic__value">8</p>' in html


def test_drafts_show_live_figures_before_any_edition(report):
    COUNTER["value"] = 9
    html = chapter_html()
    assert '<p class="statistic__value">9</p>' in html
    assert "figures are live" in html


def test_diff_lists_figures_that_changed_since_the_edition(report):
    report_edition_publish(report=report)
    COUNTER["value"] = 8
    rows = edition_diff(report=report)
    assert rows == [
        {
            "key": "test.new_members",
            "label": "test.new_members",  # registered without a label, so the label is the name
            "frozen": "6",
            "live": "8",
            "frozen_text": "6",
            "live_text": "8",
            "live_derivation": "8 organisations joined",
            "changed": True,
        }
    ]


def test_each_publish_issues_the_next_edition_number(report):
    assert report_edition_publish(report=report).number == 1
    assert report_edition_publish(report=report).number == 2


def test_edition_pdf_is_generated_with_the_same_figures_as_the_web_page(
    report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = report_edition_publish(report=report)
    edition.refresh_from_db()
    assert edition.pdf_pages >= 3  # cover, contents, one chapter
    text = "\n".join(page.extract_text() for page in PdfReader(edition.pdf.open("rb")).pages)
    web_value = re.search(r'statistic__value">([^<]+)<', chapter_html())[1]
    assert web_value == "6"
    # The value is followed by its footnote call ("6" then "1"), then the caption.
    assert re.search(r"^6\d\nNew members$", text, re.M), text
    # The derivation is a footnote once; the same figure again in a sentence refers to that note.
    assert text.count("6 organisations joined") == 1
    assert re.search(r"We welcomed 6 \(see note 1\)\s+organisations", text), text
    assert Decimal(edition.figures["test.new_members"]["value"]) == 6


def test_an_edition_freezes_its_listings_so_they_agree_with_its_figures(site):
    import datetime

    from network.factories import OrganisationFactory

    report = AnnualReportPageFactory(parent=site.root_page, slug="ar")
    listing = {
        "source": "network.joined",
        "heading": "Welcome to the network",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "filter": "",
        "limit": None,
    }
    ReportChapterPageFactory(parent=report, slug="c", title="Outreach", body=[("listing", listing)])
    OrganisationFactory(name="Alpha Child Rights", joined_on=datetime.date(2023, 3, 1))
    edition = report_edition_publish(report=report)
    frozen = edition.figures["network.joined end=2023-12-31 start=2023-01-01"]
    assert frozen["kind"] == "listing"
    assert [item["title"] for item in frozen["items"]] == ["Alpha Child Rights"]

    OrganisationFactory(name="Beta Child Rights", joined_on=datetime.date(2023, 4, 1))
    published = chapter_html()
    # The page lists the records as the edition froze them.
    assert "Alpha Child Rights" in published and "Beta Child Rights" not in published
    edition.figures = {}
    edition.save()
    assert "Beta Child Rights" in chapter_html()  # an edition without the listing shows the live records


def test_an_edition_freezes_its_line_charts_points(site):
    import datetime

    from comms.factories import ChannelFactory, ObservationFactory
    from comms.models import Observation

    channel = ChannelFactory(slug="linkedin", name="LinkedIn")
    ObservationFactory(channel=channel, date=datetime.date(2023, 6, 30), value=12000)
    ObservationFactory(channel=channel, date=datetime.date(2023, 7, 31), value=12700)
    report = AnnualReportPageFactory(parent=site.root_page, slug="ar")
    chart = {
        "kind": "over_time",
        "title": "LinkedIn followers",
        "description": "Followers over the year.",
        "series": "linkedin followers",
        "period_end": "2023-07-31",
    }
    ReportChapterPageFactory(parent=report, slug="c", title="Outreach", body=[("chart", chart)])
    edition = report_edition_publish(report=report)
    frozen = edition.figures["comms.over_year channel=linkedin measure=followers period_end=2023-07-31"]
    assert frozen["kind"] == "series"
    assert frozen["points"] == [["2023-06-30", "12000.00"], ["2023-07-31", "12700.00"]]

    # A correction after publishing changes the live data, not the published chart.
    Observation.objects.filter(date=datetime.date(2023, 7, 31)).update(value=15000)
    published = chapter_html()
    assert "<td>12,700</td>" in published and "15,000" not in published
    edition.figures = {}
    edition.save()
    assert "<td>15,000</td>" in chapter_html()  # an edition without the chart's points shows the live ones


def pdf_text(edition) -> str:
    return " ".join(page.extract_text() for page in PdfReader(edition.pdf.open("rb")).pages).replace(
        "\n", " "
    )


def test_withdrawing_consent_remakes_every_stored_pdf_without_the_quote(
    report, django_capture_on_commit_callbacks
):
    from stories.factories import ConsentFactory, QuoteFactory
    from stories.services import consent_withdraw, quote_publish

    quote = QuoteFactory(text="Healing takes the time it takes.")
    consent = ConsentFactory(survivor=quote.survivor)
    quote_publish(quote=quote)
    chapter = report.get_children().specific().get()
    chapter.body.append(("featured_quote", {"quote": quote}))
    chapter.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        first, second = report_edition_publish(report=report), report_edition_publish(report=report)
    assert "Healing takes the time" in pdf_text(first.__class__.objects.get(pk=first.pk))
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(consent=consent, reason="Asked us to stop")
    for edition in (first, second):
        edition.refresh_from_db()
        assert edition.pdf and edition.pdf_pages >= 3
        assert "Healing takes the time" not in pdf_text(edition)


def test_a_report_behind_a_password_gets_no_pdf_a_media_link_would_leak(
    report, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=report, restriction_type="password", password="s3cret")
    with django_capture_on_commit_callbacks(execute=True):
        edition = report_edition_publish(report=report)
    edition.refresh_from_db()
    assert not edition.pdf and edition.pdf_pages is None


def test_a_figure_that_cannot_be_computed_is_frozen_and_shown_as_unavailable_never_as_zero(site):
    from core.statistics import StatisticError

    def gone() -> Figure:
        raise StatisticError("There is no live publication with the slug 'gone'.")

    with registry.temporary("test.gone", gone):
        report = AnnualReportPageFactory(parent=site.root_page, slug="ar")
        ReportChapterPageFactory(
            parent=report,
            slug="c",
            body=[
                ("statistic", {"statistic": "test.gone", "parameters": "", "label": "Young survivors"}),
                ("paragraph", "<p>We heard [[test.gone]] voices.</p>"),
            ],
        )
        live = Client(HTTP_HOST="localhost").get("/ar/c/")  # before any edition: computed live
        edition = report_edition_publish(report=report)
        html = chapter_html()
    assert live.status_code == 200 and "Figure unavailable" in live.content.decode()
    assert edition.figures["test.gone"] == {"error": "There is no live publication with the slug 'gone'."}
    assert "Figure unavailable" in html and "no live publication with the slug" in html
    assert 'statistic__value">0<' not in html
    assert "[There is no live publication with the slug &#x27;gone&#x27;.]" in html  # the inline figure
