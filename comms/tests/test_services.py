from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from comms.models import Channel, ImportBatch, ImportSource, Observation
from comms.services import ImportRejected, observations_import

pytestmark = pytest.mark.django_db
TODAY = date(2023, 8, 15)


@pytest.fixture
def linkedin_source():
    channel = Channel.objects.create(slug="linkedin", name="LinkedIn", kind="linkedin")
    return ImportSource.objects.create(
        name="linkedin-followers",
        label="LinkedIn followers export",
        channel=channel,
        date_column="Date",
        date_format="%m/%d/%Y",
        columns={"Total followers": "followers"},
    )


def write(tmp_path, text, name="export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_one_observation_per_row(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Organic followers,Total followers\n07/30/2023,5,12690\n07/31/2023,3,12700\n")
    result = observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert result.observations == 2
    assert Observation.objects.get(date=date(2023, 7, 31)).value == Decimal("12700")
    assert ImportBatch.objects.get().row_count == 2


def test_reimporting_the_same_file_does_not_double_count(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Total followers\n07/30/2023,12690\n07/31/2023,12700\n")
    observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert Observation.objects.count() == 2


def test_a_corrected_reimport_updates_the_value(tmp_path, linkedin_source):
    observations_import(
        path=write(tmp_path, "Date,Total followers\n07/31/2023,12000\n"),
        source_name="linkedin-followers",
        today=TODAY,
    )
    observations_import(
        path=write(tmp_path, "Date,Total followers\n07/31/2023,12700\n", "b.csv"),
        source_name="linkedin-followers",
        today=TODAY,
    )
    assert Observation.objects.get().value == Decimal("12700")


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(tmp_path, linkedin_source):
    path = write(
        tmp_path,
        "Date,Total followers\n07/29/2023,100\n07/30/2023,lots\n07/31/2023,-4\n12/31/2099,5\n07/29/2023,101\nyesterday,3\n",
    )
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    errors = rejected.value.errors
    assert "Row 3: Total followers 'lots' is not a number." in errors
    assert "Row 4: Total followers -4 is negative; counts cannot be below zero." in errors
    assert "Row 5: Date 2099-12-31 is in the future." in errors
    assert "Row 6: duplicates row 2 (followers on 2023-07-29)." in errors
    assert "Row 7: Date 'yesterday' is not a date in the form %m/%d/%Y." in errors
    assert Observation.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_missing_columns_reject_the_file(tmp_path, linkedin_source):
    path = write(tmp_path, "Day,Followers\n07/31/2023,1\n")
    with pytest.raises(
        ImportRejected, match="Missing columns for LinkedIn followers export: Date, Total followers"
    ):
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)


def test_unknown_source_is_rejected(tmp_path, linkedin_source):
    with pytest.raises(ImportRejected, match="Unknown source 'tiktok'; known sources: linkedin-followers"):
        observations_import(path=write(tmp_path, "a\n1\n"), source_name="tiktok", today=TODAY)


def test_unknown_channel_in_a_channel_column_is_a_row_error(tmp_path):
    Channel.objects.create(slug="website", name="Website", kind="website")
    ImportSource.objects.create(
        name="generic",
        label="Generic",
        channel_column="channel",
        date_column="date",
        columns={"visits": "visits"},
    )
    path = write(tmp_path, "channel,date,visits\nwebsite,2023-07-01,10\ntiktok,2023-07-01,3\n")
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="generic", today=TODAY)
    assert rejected.value.errors == ["Row 3: channel 'tiktok' is not a known channel."]


def test_xlsx_exports_are_read(tmp_path, linkedin_source):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Total followers"])
    sheet.append(["07/31/2023", 12700])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert Observation.objects.get().value == Decimal("12700")


def test_dry_run_validates_without_writing(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Total followers\n07/31/2023,12700\n")
    result = observations_import(path=path, source_name="linkedin-followers", dry_run=True, today=TODAY)
    assert result.rows == 1
    assert Observation.objects.count() == 0


def test_command_imports_and_reports(tmp_path, linkedin_source, capsys):
    path = write(tmp_path, "Date,Total followers\n07/31/2023,12700\n")
    call_command("import_observations", str(path), "--source", "linkedin-followers", verbosity=0)
    assert "Imported 1 rows as 1 observations." in capsys.readouterr().out
    assert Observation.objects.count() == 1


def test_command_rejects_a_bad_file_with_row_errors(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Total followers\n07/31/2023,many\n")
    with pytest.raises(CommandError, match="Row 2: Total followers 'many' is not a number."):
        call_command("import_observations", str(path), "--source", "linkedin-followers", verbosity=0)


@pytest.mark.django_db
def test_episode_guest_must_be_someone():
    from django.core.exceptions import ValidationError

    from comms.models import EpisodeGuest

    with pytest.raises(ValidationError, match="Choose a person on file"):
        EpisodeGuest(role="Host").clean()


def test_a_repeated_row_in_an_otherwise_valid_file_is_rejected(tmp_path, linkedin_source):
    observations_import(
        path=write(tmp_path, "Date,Total followers\n07/30/2023,1\n"),
        source_name="linkedin-followers",
        today=TODAY,
    )
    path = write(
        tmp_path, "Date,Total followers\n07/30/2023,12690\n07/31/2023,12700\n07/30/2023,12691\n", "b.csv"
    )
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors == ["Row 4: duplicates row 2 (followers on 2023-07-30)."]
    assert Observation.objects.get().value == Decimal("1")  # the earlier import is untouched
    assert ImportBatch.objects.count() == 1


def test_thousands_separators_and_decimals_are_read(tmp_path, linkedin_source):
    path = write(tmp_path, 'Date,Total followers\n07/31/2023,"12,700.5"\n')
    observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert Observation.objects.get().value == Decimal("12700.50")
