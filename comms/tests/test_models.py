import pytest
from django.core.exceptions import ValidationError

from comms.models import Channel, ImportSource

pytestmark = pytest.mark.django_db


def source(**fields) -> ImportSource:
    values = {
        "name": "linkedin-followers",
        "label": "LinkedIn followers export",
        "channel": Channel.objects.create(slug="linkedin", name="LinkedIn", kind="linkedin"),
        "date_column": "Date",
        "date_format": "%m/%d/%Y",
        "columns": {"Total followers": "followers"},
    }
    return ImportSource(**(values | fields))


def errors_of(instance: ImportSource) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as invalid:
        instance.clean()
    return invalid.value.message_dict


@pytest.mark.parametrize(
    "date_format", ["%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%d %b %Y", "%d/%m/%y %H:%M", "%Y-%m-%dT%H:%M:%S%z"]
)
def test_date_formats_that_read_a_whole_date_are_accepted(date_format):
    source(date_format=date_format).clean()


@pytest.mark.parametrize(
    ("date_format", "message"),
    [
        ("%Y-%m-%d %Y", "%Y reads the year again after %Y; give each part of the date once."),
        ("%d/%m/%Y %B", "%B reads the month again after %m; give each part of the date once."),
        ("%Q", "%Q is not a date directive; use e.g. %d (day), %m (month), %b (month name), %Y (year)."),
        ("%Y-%m-%", "%Y-%m-% ends with a lone %; write %% for a percent sign."),
        (
            "%Y-%m",
            "%Y-%m does not give a whole date: 31 July 2023 is written '2023-07' and read back as 01 July 2023. "
            "Give a day, a month and a year, e.g. %d/%m/%Y.",
        ),
        ("%c %Y", "%c %Y reads a part of the date twice (%c and %x already hold a day, month and year)."),
        ("", "Give a date format, e.g. %Y-%m-%d or %d/%m/%Y."),
    ],
)
def test_a_date_format_that_cannot_read_dates_is_a_field_error(date_format, message):
    assert errors_of(source(date_format=date_format)) == {"date_format": [message]}


@pytest.mark.parametrize(
    "columns", [["followers"], "followers", {}, None, 3], ids=["list", "string", "empty", "null", "number"]
)
def test_columns_that_are_not_a_mapping_show_the_shape_expected(columns):
    [message] = errors_of(source(columns=columns))["columns"]
    assert message.startswith(
        'Give a JSON object mapping each column header to a measure, e.g. {"Total followers": "followers"}, not '
    )


@pytest.mark.parametrize(("measure", "shown"), [(1, "1"), (["x"], '["x"]'), ("fans", '"fans"')])
def test_a_column_mapped_to_something_other_than_a_measure_is_named(measure, shown):
    [message] = errors_of(source(columns={"f": measure}))["columns"]
    assert message.startswith(f"'f' maps to {shown}, which is not a measure; give a JSON object mapping")
    assert message.endswith(
        "Measures: followers, subscribers, visits, page_views, mentions, listens, impressions, new_followers, "
        "lost_followers."
    )


def test_a_source_needs_a_channel_or_a_channel_column_as_before():
    assert errors_of(source(channel=None)) == {"__all__": ["Give either a channel or a channel column."]}
