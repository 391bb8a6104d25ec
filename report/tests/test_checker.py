import datetime

import pytest

from core.statistics import Figure, registry
from report.checker import check_report, check_text, parse_number
from report.factories import AnnualReportPageFactory, ReportChapterPageFactory

START, END = datetime.date(2022, 8, 1), datetime.date(2023, 7, 31)


@pytest.fixture(autouse=True)
def statistics():
    def new_members(start: datetime.date, end: datetime.date) -> Figure:
        return Figure(6, "6 organisations joined: ACRIDES, Keoogo, …")

    def participants(start: datetime.date, end: datetime.date) -> Figure:
        return Figure(67, "67 participant records")

    with (
        registry.temporary("network.new_members", new_members),
        registry.temporary("events.participants", participants),
    ):
        yield


@pytest.mark.parametrize(("text", "value"), [("four", 4), ("thirty-three", 33), ("65", 65), ("1,200", 1200)])
def test_numbers_are_read_from_words_and_digits(text, value):
    assert parse_number(text) == value


def test_a_number_in_words_that_contradicts_the_records_is_listed_with_sentence_and_value():
    html = "<p>Since January we have welcomed four organisations to the network. They work hard.</p>"
    [mismatch] = check_text(html, where="Outreach", start=START, end=END)
    assert mismatch.sentence == "Since January we have welcomed four organisations to the network."
    assert mismatch.claimed == "four organisations"
    assert mismatch.computed == "6"
    assert mismatch.statistic == "network.new_members"


def test_a_matching_number_is_not_listed():
    assert check_text("<p>We welcomed 6 new member organisations.</p>", where="x", start=START, end=END) == []


def test_lower_bounds_are_checked_as_bounds():
    ok = "<p>The summit brought together more than 65 practitioners.</p>"
    wrong = "<p>The summit brought together more than 70 practitioners.</p>"
    assert check_text(ok, where="x", start=START, end=END) == []
    assert [m.computed for m in check_text(wrong, where="x", start=START, end=END)] == ["67"]


def test_sentences_without_the_cue_words_are_ignored():
    assert check_text("<p>Four organisations signed the letter.</p>", where="x", start=START, end=END) == []


def test_report_check_reads_unpublished_drafts(site):
    report = AnnualReportPageFactory(parent=site.root_page, start_date=START, end_date=END)
    chapter = ReportChapterPageFactory(parent=report, body=[("paragraph", "<p>Nothing to check.</p>")])
    chapter.body = [("paragraph", "<p>This year we welcomed four organisations.</p>")]
    chapter.save_revision()  # a draft, not published
    [mismatch] = check_report(report)
    assert mismatch.where == chapter.title
