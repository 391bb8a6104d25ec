from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from comms import services
from comms.models import Channel, ImportBatch, ImportSource, Observation
from comms.services import ImportRejected

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


def observations_import(*, path, source_name, today, dry_run=False):
    """The import as these tests use it: a file on disk read through a custom source, raising on errors."""
    report = services.observations_import(
        filename=Path(path).name, content=Path(path), source_name=source_name, write=not dry_run, today=today
    )
    if report.errors:
        raise ImportRejected(report.errors)
    return report


def write(tmp_path, text, name="export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_writes_one_observation_per_row(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Organic followers,Total followers\n07/30/2023,5,12690\n07/31/2023,3,12700\n")
    result = observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert result.created == 2
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
        ImportRejected, match=r"Missing columns for LinkedIn followers export: Date \(found: Day, Followers\)"
    ):
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)


def test_a_file_with_the_date_but_none_of_the_measures_is_rejected(tmp_path, linkedin_source):
    path = write(tmp_path, "date,Followers\n07/31/2023,1\n")
    with pytest.raises(ImportRejected, match="none of Total followers"):
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)


def test_headers_are_matched_without_regard_to_case_and_a_title_line_above(tmp_path, linkedin_source):
    path = write(tmp_path, "LinkedIn followers, exported\n\nDATE,total FOLLOWERS\n07/31/2023,12700\n")
    assert observations_import(path=path, source_name="linkedin-followers", today=TODAY).created == 1
    assert Observation.objects.get().value == 12700


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_header_without_rows_is_rejected_and_records_no_batch(tmp_path, linkedin_source, dry_run):
    path = write(tmp_path, "Date,Total followers\n\n")
    with pytest.raises(ImportRejected, match="header but no data rows"):
        observations_import(path=path, source_name="linkedin-followers", today=TODAY, dry_run=dry_run)
    assert not ImportBatch.objects.exists()


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


def test_xlsx_date_cells_are_read_whatever_the_sources_date_format(tmp_path, linkedin_source):
    """A spreadsheet that holds real dates (not text) is read by their day, not by the source's %m/%d/%Y."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Total followers"])
    sheet.append([date(2023, 7, 30), 12690])
    sheet.append(["07/31/2023", 12700])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert dict(Observation.objects.values_list("date", "value")) == {
        date(2023, 7, 30): Decimal("12690"),
        date(2023, 7, 31): Decimal("12700"),
    }


def test_an_xlsx_date_cell_in_the_future_is_refused_with_its_row(tmp_path, linkedin_source):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Total followers"])
    sheet.append([date(2023, 9, 1), 12690])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors == ["Row 2: Date 2023-09-01 is in the future."]


def test_dry_run_validates_without_writing(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Total followers\n07/31/2023,12700\n")
    result = observations_import(path=path, source_name="linkedin-followers", dry_run=True, today=TODAY)
    assert result.rows == 1
    assert Observation.objects.count() == 0


def test_command_imports_and_reports(tmp_path, linkedin_source, capsys):
    path = write(tmp_path, "Date,Total followers\n07/31/2023,12700\n")
    call_command("import_observations", str(path), "--source", "linkedin-followers", "--write", verbosity=0)
    assert "Imported: 1 new, 0 updated, 0 unchanged observations." in capsys.readouterr().out
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


# --- Unreadable files: a clear message, nothing written -------------------------------------------------------


def test_a_latin_1_file_is_read_and_its_encoding_named(tmp_path, linkedin_source):
    path = tmp_path / "export.csv"
    path.write_bytes("Daté,Date,Total followers\n,07/30/2023,5\n".encode("latin-1"))
    report = services.observations_import(
        filename="export.csv", content=path, source_name="linkedin-followers", write=True, today=TODAY
    )
    assert report.errors == []
    assert "export.csv read as Windows-1252 (Latin-1), as the file is not UTF-8" in report.notes
    assert Observation.objects.get().value == 5


def test_a_latin_1_cell_that_is_not_a_number_is_a_row_error(tmp_path, linkedin_source):
    path = tmp_path / "export.csv"
    path.write_bytes("Date,Total followers\n07/30/2023,5\n07/31/2023,6 é\n".encode("latin-1"))
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors == ["Row 3: Total followers '6 é' is not a number."]
    assert Observation.objects.count() == ImportBatch.objects.count() == 0


def test_a_utf_16_file_is_read(tmp_path, linkedin_source):
    path = tmp_path / "export.csv"
    path.write_bytes("Date\tTotal followers\n07/31/2023\t5\n".encode("utf-16"))
    assert observations_import(path=path, source_name="linkedin-followers", today=TODAY).created == 1


def test_a_byte_order_mark_is_still_accepted(tmp_path, linkedin_source):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffDate,Total followers\n07/31/2023,5\n".encode())
    assert observations_import(path=path, source_name="linkedin-followers", today=TODAY).created == 1


def test_a_damaged_xlsx_is_rejected_as_not_a_workbook(tmp_path, linkedin_source):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook" * 50)
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors[0].startswith("export.xlsx is not a valid .xlsx file")
    assert ImportBatch.objects.count() == 0


def test_command_says_a_directory_is_a_directory(tmp_path, linkedin_source):
    with pytest.raises(CommandError, match="is a directory"):
        call_command("import_observations", str(tmp_path), "--source", "linkedin-followers", verbosity=0)


def test_command_reports_a_bad_cell_of_a_file_that_is_not_utf_8(tmp_path, linkedin_source):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Date,Total followers\n07/31/2023,\xff\n")
    with pytest.raises(CommandError, match=r"Row 2: Total followers 'ÿ' is not a number"):
        call_command("import_observations", str(path), "--source", "linkedin-followers", verbosity=0)


# --- Values are read as written or rejected, never changed silently -------------------------------------------


@pytest.mark.parametrize(("text", "value"), [('"1,500"', "1500"), ('"12,700"', "12700"), ("7.5", "7.5")])
def test_thousands_in_groups_of_three_are_read(tmp_path, linkedin_source, text, value):
    observations_import(
        path=write(tmp_path, f"Date,Total followers\n07/31/2023,{text}\n"),
        source_name="linkedin-followers",
        today=TODAY,
    )
    assert Observation.objects.get().value == Decimal(value)


@pytest.mark.parametrize("text", ['"1,5"', '"12,70"', '"1,5000"', '"1,,500"'])
def test_a_comma_that_is_not_a_thousands_separator_is_an_error(tmp_path, linkedin_source, text):
    path = write(tmp_path, f"Date,Total followers\n07/31/2023,{text}\n")
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors == [
        f"Row 2: Total followers {text.strip(chr(34))!r} has a comma that is not a thousands separator; "
        "write thousands as 1,500 or 1500 and decimals with a point, e.g. 1.5."
    ]


def test_more_decimals_than_the_field_keeps_is_an_error_not_rounding(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Total followers\n07/31/2023,0.004\n")
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors == [
        "Row 2: Total followers 0.004 has more than two decimal places; round it to two, e.g. 0.00."
    ]


@pytest.mark.parametrize("text", ["١٢", "1_000", "NaN", "Infinity"])
def test_only_plain_digits_are_numbers(tmp_path, linkedin_source, text):
    path = write(tmp_path, f"Date,Total followers\n07/31/2023,{text}\n")
    with pytest.raises(ImportRejected, match="is not a number"):
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)


@pytest.mark.parametrize("text", ["1e3", "1.2E+06", "1,2E+06", "-5e-2", "1.E5"])
def test_a_count_in_scientific_notation_is_an_error_not_rounded(tmp_path, linkedin_source, text):
    path = write(tmp_path, f'Date,Total followers\n07/30/2023,5\n07/31/2023,"{text}"\n')
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors == [
        f"Row 3: Total followers {text!r} is in scientific notation, which rounds the count to the digits "
        "shown; format the column as a number, not scientific notation, and export it again."
    ]
    assert Observation.objects.count() == 0


@pytest.fixture
def iso_source():
    channel = Channel.objects.create(slug="facebook", name="Facebook", kind="facebook")
    return ImportSource.objects.create(
        name="meta-facebook",
        label="Meta export",
        channel=channel,
        date_column="Date",
        columns={"Facebook followers": "followers"},
    )


@pytest.mark.parametrize("text", ["2023-01-01xyz", "2023-01-01 00:00", "20230101", "2023-W01-1"])
def test_an_iso_date_with_anything_more_or_less_is_an_error(tmp_path, iso_source, text):
    path = write(tmp_path, f"Date,Facebook followers\n{text},5\n")
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="meta-facebook", today=TODAY)
    assert rejected.value.errors == [f"Row 2: Date {text!r} is not a date in the form %Y-%m-%d."]


# --- A dry run accepts exactly what a write accepts ------------------------------------------------------------


def test_dry_run_finds_repeated_keys_with_both_row_numbers(tmp_path, linkedin_source):
    path = write(tmp_path, "Date,Total followers\n07/30/2023,5\n07/31/2023,6\n07/30/2023,7\n")
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", dry_run=True, today=TODAY)
    assert rejected.value.errors == ["Row 4: duplicates row 2 (followers on 2023-07-30)."]
    assert Observation.objects.count() == ImportBatch.objects.count() == 0


def test_dry_run_of_a_good_file_keeps_nothing_and_leaves_earlier_values(tmp_path, linkedin_source):
    observations_import(
        path=write(tmp_path, "Date,Total followers\n07/31/2023,1\n"),
        source_name="linkedin-followers",
        today=TODAY,
    )
    path = write(tmp_path, "Date,Total followers\n07/30/2023,5\n07/31/2023,6\n", "b.csv")
    result = observations_import(path=path, source_name="linkedin-followers", dry_run=True, today=TODAY)
    assert (result.rows, result.created, result.written) == (2, 2, False)
    assert list(Observation.objects.values_list("value", flat=True)) == [Decimal("1")]
    assert ImportBatch.objects.count() == 1


# --- A source set up wrongly is blamed, not the file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_format", "message"),
    [
        ("%Y-%m-%d %Y", "%Y reads the year again after %Y"),
        ("%Q", "%Q is not a date directive"),
    ],
)
def test_a_source_with_a_bad_date_format_is_rejected_before_any_row(
    tmp_path, linkedin_source, date_format, message
):
    ImportSource.objects.filter(pk=linkedin_source.pk).update(date_format=date_format)
    path = write(tmp_path, "Date,Total followers\n2023-01-01 2023,5\n")
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path, source_name="linkedin-followers", today=TODAY)
    assert rejected.value.errors[0].startswith(
        "The import source LinkedIn followers export cannot read files: "
    )
    assert message in rejected.value.errors[0]


def test_a_source_whose_columns_are_not_a_mapping_is_rejected(tmp_path, linkedin_source):
    ImportSource.objects.filter(pk=linkedin_source.pk).update(columns=["followers"])
    with pytest.raises(ImportRejected, match="Give a JSON object mapping each column header to a measure"):
        observations_import(
            path=write(tmp_path, "Date,followers\n07/31/2023,5\n"),
            source_name="linkedin-followers",
            today=TODAY,
        )
