"""Numbers as exports spell them: "12,700", "12.700", "12 700", "1.234,5", "27%". The file's convention is
declared (by its format or by the person importing it); where it is not and a spelling reads two ways, the
importer says so instead of guessing."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import models


class NumberFormat(models.TextChoices):
    POINT = "point", "1,234.5 (decimal point)"
    COMMA = "comma", "1.234,5 (decimal comma)"
    AUTO = "auto", "Work it out from the file; ask when a number reads two ways"


# Spaces used between thousands: space, no-break space, narrow no-break space, thin space, apostrophe (Swiss).
GROUP_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")
PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?", re.ASCII)
# Thousands in groups of three, then an optional fraction: for each number format.
GROUPED = {
    NumberFormat.POINT: re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"),
    NumberFormat.COMMA: re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"),
}


class NumberProblem(ValueError):
    """Why a cell is not a number, in words for the person who gave the file."""


def parse_number(text: str, number_format: str = NumberFormat.POINT) -> Decimal:
    """The value of a cell; raises NumberProblem saying why not (or which two values it could be)."""
    cleaned = GROUP_SPACES.sub("", text.strip()).removesuffix("%").strip()
    if not cleaned:
        raise NumberProblem(f"{text!r} is not a number")
    if PLAIN.fullmatch(cleaned):
        if number_format == NumberFormat.COMMA and "." in cleaned:
            if len(cleaned.split(".")[1]) == 3:
                return _decimal(cleaned.replace(".", ""), text)  # "12.700" in a decimal-comma file
            raise NumberProblem(
                f"{text!r} has a point that is not a thousands separator; write thousands as 1.500 or 1500 and "
                "decimals with a comma, e.g. 1,5"
            )
        if number_format == NumberFormat.AUTO and "." in cleaned and len(cleaned.split(".")[1]) == 3:
            raise _ambiguous(text, cleaned.replace(".", ""), cleaned)
        return _decimal(cleaned, text)
    has_point, has_comma = "." in cleaned, "," in cleaned
    if number_format == NumberFormat.AUTO:
        if has_point and has_comma:
            number_format = (
                NumberFormat.COMMA if cleaned.rindex(",") > cleaned.rindex(".") else NumberFormat.POINT
            )
        elif has_comma:
            whole, _, fraction = cleaned.rpartition(",")
            if cleaned.count(",") > 1:
                number_format = NumberFormat.POINT  # "1,234,567": only thousands repeat
            elif len(fraction) == 3:
                raise _ambiguous(text, cleaned.replace(",", ""), cleaned.replace(",", "."))
            else:
                number_format = NumberFormat.COMMA
        elif has_point and cleaned.count(".") > 1:
            number_format = NumberFormat.COMMA
    if number_format == NumberFormat.AUTO:
        number_format = NumberFormat.POINT  # no separator told them apart, and none reads two ways
    if number_format == NumberFormat.COMMA:
        thousands, decimal = ".", ","
    else:
        thousands, decimal = ",", "."
    if GROUPED[number_format].fullmatch(cleaned):
        return _decimal(cleaned.replace(thousands, "").replace(decimal, "."), text)
    simple = cleaned.replace(decimal, ".")
    if thousands not in cleaned and PLAIN.fullmatch(simple):
        return _decimal(simple, text)
    if thousands in cleaned:
        if thousands == ",":
            advice = "write thousands as 1,500 or 1500 and decimals with a point, e.g. 1.5"
        else:
            advice = "write thousands as 1.500 or 1500 and decimals with a comma, e.g. 1,5"
        mark = "comma" if thousands == "," else "point"
        raise NumberProblem(f"{text!r} has a {mark} that is not a thousands separator; {advice}")
    raise NumberProblem(f"{text!r} is not a number")


def _decimal(plain: str, text: str) -> Decimal:
    try:
        return Decimal(plain)
    except InvalidOperation:
        raise NumberProblem(f"{text!r} is not a number") from None


def _ambiguous(text: str, thousands: str, decimal: str) -> NumberProblem:
    return NumberProblem(
        f"{text!r} reads two ways: {Decimal(thousands):,} with a thousands separator or {Decimal(decimal)} "
        "with a decimal separator; say which number format the file uses (1,234.5 or 1.234,5)"
    )
