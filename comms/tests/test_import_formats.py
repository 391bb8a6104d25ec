"""Each platform export imports as downloaded (samples in comms/tests/data, built by make_samples.py), is
recognised without being named, and gives the right figures: a flow is never taken for a stock."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comms.demo import LINKEDIN_EXPORTS
from comms.models import AudienceBaseline, Channel, ImportBatch, Observation
from comms.services import observations_import
from core.statistics import StatisticError, registry

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
TODAY = date(2024, 8, 15)


@pytest.fixture
def channels():
    return {
        kind: Channel.objects.create(slug=kind, name=name, kind=kind)
        for kind, name in [
            ("linkedin", "LinkedIn"),
            ("facebook", "Facebook"),
            ("instagram", "Instagram"),
            ("website", "Website"),
            ("x", "X"),
        ]
    }


def imported(name, *, export_format="", write=True, **options):
    path = DATA / name if not isinstance(name, Path) else name
    report = observations_import(
        filename=path.name, content=path, export_format=export_format, write=write, today=TODAY, **options
    )
    assert report.errors == []
    return report


def values(channel, measure):
    return dict(
        Observation.objects.filter(channel__slug=channel, measure=measure).values_list("date", "value")
    )


@pytest.mark.parametrize(
    ("sample", "format_name", "channel", "measures", "rows"),
    [
        ("linkedin_followers.xlsx", "linkedin-followers", "linkedin", {"new_followers"}, 365),
        ("linkedin_followers.xls", "linkedin-followers", "linkedin", {"new_followers"}, 365),
        ("linkedin_visitors.xls", "linkedin-visitors", "linkedin", {"page_views", "visits"}, 14),
        ("linkedin_updates.xls", "linkedin-updates", "linkedin", {"impressions"}, 14),
        ("meta_facebook_follows.csv", "meta-business-suite", "facebook", {"new_followers"}, 14),
        ("meta_instagram.zip", "meta-business-suite", "instagram", {"new_followers", "visits"}, 28),
        ("ga4_sessions.csv", "google-analytics-4", "website", {"visits", "page_views"}, 14),
        ("ga4_explore.csv", "google-analytics-4", "website", {"visits", "page_views"}, 14),
        ("matomo_visits.tsv", "matomo", "website", {"visits", "page_views"}, 14),
        ("plausible_export.zip", "plausible", "website", {"visits", "page_views"}, 14),
        (
            "x_account_overview.csv",
            "x-account-analytics",
            "x",
            {"new_followers", "lost_followers", "impressions", "visits"},
            14,
        ),
    ],
)
def test_each_sample_is_recognised_and_imports_as_downloaded(
    channels, sample, format_name, channel, measures, rows
):
    report = imported(sample)
    assert report.rows == rows
    assert "recognised from the file" in report.format_label
    assert ImportBatch.objects.get().export_format == format_name
    stored = set(Observation.objects.filter(channel__slug=channel).values_list("measure", flat=True))
    assert stored == measures
    assert not Observation.objects.exclude(channel__slug=channel).exists()
    assert not Observation.objects.filter(measure="followers").exists()  # flows stay flows


def test_the_linkedin_followers_export_gives_the_demos_plus_27_percent(channels):
    AudienceBaseline.objects.create(channel=channels["linkedin"], date=date(2022, 7, 31), value=10_000)
    imported("linkedin_followers.xlsx", export_format="linkedin-followers")
    figure = registry.compute(
        "comms.yoy_change", channel="linkedin", measure="followers", period_end=date(2023, 7, 31)
    )
    assert figure.value == Decimal("27.00")
    assert "12,700" in figure.derivation and "a known total" in figure.derivation
    assert "counted from daily flows" in figure.derivation


def test_three_years_of_xls_exports_count_on_from_one_baseline(channels):
    AudienceBaseline.objects.create(channel=channels["linkedin"], date=date(2021, 7, 31), value=8_420)
    for export in LINKEDIN_EXPORTS:
        imported(export, export_format="linkedin-followers")
    changes = [
        registry.compute(
            "comms.yoy_change", channel="linkedin", measure="followers", period_end=date(y, 7, 31)
        ).value
        for y in (2023, 2024)
    ]
    assert changes == [Decimal("27.00"), Decimal("18.90")]
    series = registry.compute(
        "comms.over_year", channel="linkedin", measure="followers", period_end=date(2023, 7, 31)
    )
    assert series.points[-1] == (date(2023, 7, 31), Decimal("12700"))
    assert "counted each day" in series.derivation


def test_a_later_known_total_counts_backwards(channels):
    imported("linkedin_followers.xlsx", export_format="linkedin-followers")
    AudienceBaseline.objects.create(channel=channels["linkedin"], date=date(2023, 7, 31), value=12_700)
    figure = registry.compute(
        "comms.yoy_change", channel="linkedin", measure="followers", period_end=date(2023, 7, 31)
    )
    assert figure.value == Decimal("27.00")


def test_flows_without_a_known_total_say_what_to_enter(channels):
    imported("linkedin_followers.xlsx", export_format="linkedin-followers")
    with pytest.raises(
        StatisticError, match="enter the followers on one day under Communications › Audience totals"
    ):
        registry.compute(
            "comms.yoy_change", channel="linkedin", measure="followers", period_end=date(2023, 7, 31)
        )


def test_the_follower_sheet_is_chosen_among_the_demographic_ones(channels):
    report = imported("linkedin_followers.xlsx")
    assert any("› New followers read as xlsx workbook" in note for note in report.notes)


def test_utf_16_comment_lines_and_totals_rows_are_named_in_the_report(channels):
    matomo = imported("matomo_visits.tsv")
    assert any("read as UTF-16 LE" in note for note in matomo.notes)
    ga4 = imported("ga4_sessions.csv")
    assert any("header is on row 9" in note and "8 comment" in note for note in ga4.notes)
    explore = imported("ga4_explore.csv")
    assert any(note.startswith("totals rows skipped: row 6") for note in explore.notes)
    assert Decimal(sum(values("website", "visits").values())) > 0


def test_meta_reads_the_metric_from_the_line_above_the_header(channels):
    imported("meta_instagram.zip")
    assert len(values("instagram", "visits")) == len(values("instagram", "new_followers")) == 14


def test_reimporting_an_export_changes_nothing(channels):
    imported("x_account_overview.csv")
    before = sorted(Observation.objects.values_list("channel", "measure", "date", "value"))
    imported("x_account_overview.csv")
    assert sorted(Observation.objects.values_list("channel", "measure", "date", "value")) == before


def test_a_file_of_another_kind_is_refused_naming_the_formats(channels, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Contact ID,Organization Name\n1,Keoogo\n")
    report = observations_import(filename=path.name, content=path, write=True, today=TODAY)
    assert "matches none of the known observations formats" in report.errors[0]
    assert not Observation.objects.exists()


def test_a_format_needs_its_channel_and_asks_when_there_are_two(channels):
    Channel.objects.create(slug="linkedin-fr", name="LinkedIn (French page)", kind="linkedin")
    report = observations_import(
        filename="linkedin_updates.xls", content=DATA / "linkedin_updates.xls", write=True, today=TODAY
    )
    assert report.errors == ["Several channels are of the kind linkedin (linkedin, linkedin-fr); choose one."]
    imported("linkedin_updates.xls", channel="linkedin-fr")
    assert set(Observation.objects.values_list("channel__slug", flat=True)) == {"linkedin-fr"}


@pytest.mark.parametrize(
    ("cell", "number_format", "expected"),
    [
        ("12.700", "comma", Decimal("12700")),
        ("12,700", "point", Decimal("12700")),
        ("12 700", "auto", Decimal("12700")),
    ],
)
def test_european_thousands_are_read_by_the_declared_number_format(
    channels, tmp_path, cell, number_format, expected
):
    path = tmp_path / "ga4.csv"
    path.write_text(f'Date,Sessions\n20230801,"{cell}"\n')
    imported(path, number_format=number_format)
    assert values("website", "visits") == {date(2023, 8, 1): expected}


def test_a_number_that_reads_two_ways_is_reported_not_guessed(channels, tmp_path):
    path = tmp_path / "ga4.csv"
    path.write_text("Date,Sessions\n20230801,12.700\n")
    report = observations_import(
        filename=path.name, content=path, write=True, today=TODAY, number_format="auto"
    )
    assert report.errors == [
        "Row 2: Sessions '12.700' reads two ways: 12,700 with a thousands separator or 12.700 with a decimal "
        "separator; say which number format the file uses (1,234.5 or 1.234,5)."
    ]


def test_the_command_recognises_the_format_and_says_so(channels, capsys):
    call_command("import_observations", str(DATA / "plausible_export.zip"), "--write", verbosity=0)
    out = capsys.readouterr().out
    assert (
        "Format: Plausible Analytics export (the zip, or its visitors.csv) (recognised from the file)." in out
    )
    assert "Imported: 28 new" in out
    assert len(values("website", "visits")) == 14


def test_the_command_checks_only_unless_told_to_write(channels, capsys):
    call_command("import_observations", str(DATA / "ga4_sessions.csv"), verbosity=0)
    assert "Dry run, nothing written" in capsys.readouterr().out
    assert not Observation.objects.exists()


def test_the_command_fails_on_an_unknown_format_name(channels):
    with pytest.raises(CommandError, match="There is no observations format 'tiktok'"):
        call_command("import_observations", str(DATA / "ga4_sessions.csv"), "--format", "tiktok", verbosity=0)
