"""The one number formatter: figures, derivations, charts and dashboards all write numbers through it.

It follows the active locale (Django's l10n: grouping and decimal separators), so the translation work can switch
a page to French and get "12 700" and "12,5" without touching the callers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

TWO_PLACES = Decimal("0.01")
MINUS = "−"  # U+2212: a real minus sign, as typeset reports print it


def format_number(value: int | float | Decimal, *, decimals: int = 2) -> str:
    """Grouped digits with at most ``decimals`` places and no trailing zeros: 12700 → "12,700", 12.50 → "12.5"."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if exact == exact.to_integral_value():
        exact = exact.to_integral_value()
    places = max(0, -exact.normalize().as_tuple().exponent) if exact != 0 else 0
    text = number_format(abs(exact), decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{MINUS}{text}" if exact < 0 else text


def format_percent(value: int | float | Decimal, *, signed: bool = True) -> str:
    """A percentage with as many decimals as the value has (up to two); changes carry their sign: "+27%"."""
    text = format_number(value)
    if signed and Decimal(str(value)) > 0:
        text = f"+{text}"
    return f"{text}%"


def format_value(value: int | float | Decimal, unit: str = "count") -> str:
    """A figure's value as the public pages print it: counts grouped, percentages signed, amounts with cents."""
    if unit == "percent":
        return format_percent(value)
    if unit == "percentage_points":
        return f"{format_percent(value)[:-1]} points"
    if unit == "currency":
        exact = Decimal(str(value))
        if exact == exact.to_integral_value():
            return format_number(exact, decimals=0)
        return number_format(exact.quantize(TWO_PLACES), decimal_pos=2, use_l10n=True, force_grouping=True)
    return format_number(value)
