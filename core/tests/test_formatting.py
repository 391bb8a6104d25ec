"""The one number formatter: counts grouped, percentages signed with the decimals they have, locale-aware."""

from decimal import Decimal

import pytest
from django.utils import translation

from core.formatting import format_number, format_percent, format_value


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (12700, "count", "12,700"),
        (Decimal("827017.00"), "count", "827,017"),
        (Decimal("12.50"), "count", "12.5"),
        (Decimal("27.00"), "percent", "+27%"),
        (Decimal("12.5"), "percent", "+12.5%"),
        (Decimal("13.29"), "percent", "+13.29%"),
        (Decimal("-3"), "percent", "−3%"),
        (0, "percent", "0%"),
        (Decimal("14.5"), "percentage_points", "+14.5 points"),
        (Decimal("1234.5"), "currency", "1,234.50"),
        (Decimal("250"), "currency", "250"),
    ],
)
def test_values_are_written_as_the_report_prints_them(value, unit, text):
    assert format_value(value, unit) == text


def test_rounding_is_half_up_to_two_places():
    assert format_number(Decimal("2.675")) == "2.68"
    assert format_percent(Decimal("0.005")) == "+0.01%"


def test_the_active_locale_chooses_the_separators(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("fr"):
        assert format_number(Decimal("12700.5")) not in ("12,700.5", "12700.5")
        assert format_number(Decimal("12.5")) == "12,5"
