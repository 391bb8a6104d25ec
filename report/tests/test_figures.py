import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from core.statistics import Figure, StatisticError, registry
from report import figures
from report.blocks import ChapterParagraphBlock, StatisticBlock
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory


@pytest.fixture(autouse=True)
def registered_statistics():
    """Two statistics registered for these tests only."""

    def members(start: datetime.date, end: datetime.date) -> Figure:
        return Figure(
            value=(end - start).days, derivation=f"days from {start} to {end}", records_url="/network/"
        )

    def growth(rate: Decimal) -> Figure:
        return Figure(value=rate, derivation=f"grew by {rate}", unit="percent")

    with (
        registry.temporary("test.days", members, label="Days between"),
        registry.temporary("test.growth", growth, label="Growth", unit="percent"),
    ):
        yield


def test_parameters_are_coerced_to_the_types_the_statistic_declares():
    figure = registry.compute_text("test.days", {"start": "2023-01-01", "end": "2023-01-31"})
    assert figure.value == 30


def test_a_malformed_date_parameter_names_the_parameter_and_the_expected_form():
    with pytest.raises(StatisticError, match="start='31/01/2023' should be a date in the form YYYY-MM-DD"):
        registry.compute_text("test.days", {"start": "31/01/2023", "end": "2023-02-01"})


@pytest.mark.parametrize(
    ("figure", "text"),
    [
        (Figure(Decimal("27"), "", unit="percent"), "+27%"),
        (Figure(Decimal("12.5"), "", unit="percent"), "+12.5%"),
        (Figure(Decimal("13.29"), "", unit="percent"), "+13.29%"),
        (Figure(Decimal("-3.0"), "", unit="percent"), "−3%"),
        (Figure(Decimal("27.00"), "", unit="percent"), "+27%"),
        (Figure(12345, ""), "12,345"),
    ],
)
def test_figures_are_formatted_for_the_locale(figure, text):
    assert figures.format_figure(figure) == text


def test_statistic_block_rejects_parameters_the_statistic_cannot_use():
    block = StatisticBlock()
    value = block.to_python({"statistic": "test.days", "parameters": "colour=red", "label": ""})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "does not take colour" in str(error.value.block_errors["parameters"])


def test_statistic_block_without_dates_counts_the_period_of_the_report_it_is_in(site):
    block = StatisticBlock()
    value = block.clean(block.to_python({"statistic": "test.days", "parameters": "", "label": ""}))
    report = AnnualReportPageFactory(
        parent=site.root_page, start_date=datetime.date(2030, 8, 1), end_date=datetime.date(2031, 7, 31)
    )
    chapter = ReportChapterPageFactory(parent=report, body=[("statistic", value)])
    html = block.render(value, {"page": chapter})
    assert '<p class="statistic__value">364</p>' in html
    assert "days from 2030-08-01 to 2031-07-31" in html


def test_statistic_block_renders_value_caption_and_derivation_with_a_link_to_records():
    block = StatisticBlock()
    value = block.to_python(
        {"statistic": "test.days", "parameters": "start=2023-01-01\nend=2023-03-01", "label": ""}
    )
    html = block.render(block.clean(value))
    assert '<p class="statistic__value">59</p>' in html
    assert "Days between" in html
    assert "<summary>How we counted</summary>" in html
    assert "days from 2023-01-01 to 2023-03-01" in html
    assert 'href="/network/"' in html


def test_printed_statistic_gives_its_derivation_as_a_footnote_not_a_disclosure():
    block = StatisticBlock()
    value = block.to_python(
        {"statistic": "test.days", "parameters": "start=2023-01-01\nend=2023-03-01", "label": ""}
    )
    html = block.render(block.clean(value), context={"for_print": True})
    assert (
        '<p class="statistic__value">59<span class="footnote">days from 2023-01-01 to 2023-03-01</span>'
        in html
    )
    assert "<details" not in html


def test_inline_figure_markers_in_chapter_text_become_live_figures():
    block = ChapterParagraphBlock()
    value = block.to_python("<p>We grew [[test.growth rate=27]] this year.</p>")
    html = block.render(value)
    assert (
        '<span class="figure" title="grew by 27">+27%<span class="footnote">grew by 27</span></span>' in html
    )


def test_an_inline_marker_with_bad_parameters_cannot_be_saved():
    block = ChapterParagraphBlock()
    with pytest.raises(ValidationError, match="does not take colour"):
        block.clean(block.to_python("<p>[[test.growth rate=2 colour=red]]</p>"))


def test_chapter_page_renders_statistic_blocks(site, client):
    report = AnnualReportPageFactory(parent=site.root_page, slug="ar")
    ReportChapterPageFactory(
        parent=report,
        slug="c",
        body=[("statistic", {"statistic": "test.growth", "parameters": "rate=12.5", "label": "Instagram"})],
    )
    html = client.get("/ar/c/", HTTP_HOST="localhost").content.decode()
    assert "+12.5%" in html
    assert "How we counted" in html


def test_optional_parameters_are_coerced_to_their_type_too():
    received = []

    def since(start: datetime.date | None = None) -> Figure:
        received.append(start)
        return Figure(1, "")

    def since_postponed(
        start: "datetime.date | None" = None,
    ) -> Figure:  # as under `from __future__ import annotations`
        received.append(start)
        return Figure(1, "")

    since_postponed.__annotations__["start"] = "date | None"
    with registry.temporary("test.since", since), registry.temporary("test.since_postponed", since_postponed):
        registry.compute_text("test.since", {"start": "2023-01-01"})
        registry.compute_text("test.since_postponed", {"start": "2023-01-01"})
    assert received == [datetime.date(2023, 1, 1), datetime.date(2023, 1, 1)]
