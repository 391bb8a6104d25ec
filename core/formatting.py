"""The one number formatter: figures, derivations, charts and dashboards all write numbers through it.

It follows the active locale (Django's l10n: grouping and decimal separators), so the translation work can switch
a page to French and get "12 700" and "12,5" without touching the callers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils import translation
from django.utils.formats import get_format, number_format

TWO_PLACES = Decimal("0.01")
MINUS = "−"  # U+2212: a real minus sign, as typeset reports print it


@lru_cache(maxsize=32)
def _separators(language: str | None) -> tuple[str, str] | None:
    """The locale's decimal and thousands separators when it groups by threes (most do), else None."""
    if get_format("NUMBER_GROUPING") != 3:
        return None  # e.g. Indian grouping: Django's number_format knows how
    return get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")


setting_changed.connect(lambda **kwargs: _separators.cache_clear(), weak=False)


STEPS = {places: Decimal(1).scaleb(-places) for places in range(7)}


def format_number(value: int | float | Decimal, *, decimals: int = 2) -> str:
    """Grouped digits with at most ``decimals`` places and no trailing zeros: 12700 → "12,700", 12.50 → "12.5"."""
    # Python's own grouping, then the locale's signs: a chart's table formats hundreds of numbers per page.
    if isinstance(value, int):
        negative, text = value < 0, f"{abs(value):,}"
    else:
        exact = (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(
            STEPS[decimals], rounding=ROUND_HALF_UP
        )
        negative, text = exact < 0, f"{abs(exact):,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    separators = _separators(translation.get_language())
    if separators is None:
        plain = Decimal(text.replace(",", ""))
        places = max(0, -plain.as_tuple().exponent)
        text = number_format(plain, decimal_pos=places, use_l10n=True, force_grouping=True)
    elif separators != (".", ","):
        decimal, thousands = separators
        text = text.translate({ord(","): thousands, ord("."): decimal})
    return f"{MINUS}{text}" if negative and any(c in "123456789" for c in text) else text  # never "−0"


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
