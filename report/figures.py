"""Resolve statistic references (name + parameters) to figures: parsing, type coercion and formatting.

Used by the statistic block, inline figures in chapter text, editions, the PDF and the checker.
"""

from __future__ import annotations

import datetime
import inspect
import re
import types
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

from core.statistics import Figure, StatisticError, registry

# An inline figure in chapter text: [[network.members]] or [[comms.yoy_change channel=linkedin period_end=2023-07-31]]
INLINE_FIGURE = re.compile(r"\[\[\s*(?P<name>[a-z_]+\.[a-z_0-9]+)(?P<params>(?:\s+[a-z_]+=[^\s\]]+)*)\s*\]\]")


def parse_parameters(text: str) -> dict[str, str]:
    """Parse "name=value" pairs separated by spaces or new lines."""
    params: dict[str, str] = {}
    for token in text.split():
        if "=" not in token:
            raise StatisticError(f"{token!r} is not of the form name=value.")
        name, value = token.split("=", 1)
        params[name.strip()] = value.strip()
    return params


def _coerce(value: str, annotation, name: str):
    kind = annotation if isinstance(annotation, type) else None
    if isinstance(annotation, types.UnionType):  # date | None: an optional parameter of that type
        kind = next((arg for arg in annotation.__args__ if arg is not type(None)), None)
    if isinstance(annotation, str):  # postponed annotations, optional ones included ("date | None")
        name_of_type = annotation.split("|")[0].strip()
        kind = {"date": datetime.date, "int": int, "Decimal": Decimal, "str": str}.get(name_of_type)
    try:
        if kind is datetime.date:
            return datetime.date.fromisoformat(value)
        if kind is int:
            return int(value)
        if kind is Decimal:
            return Decimal(value)
    except (ValueError, InvalidOperation):
        expected = {datetime.date: "a date like 2023-07-31", int: "a whole number", Decimal: "a number"}[kind]
        raise StatisticError(f"{name}={value!r} should be {expected}.") from None
    return value


def compute(name: str, raw_params: dict[str, str]) -> Figure:
    """Compute a statistic from textual parameters, coercing each to the type its function declares."""
    statistic = registry.get(name)
    signature = inspect.signature(statistic.function)
    params = {}
    for key, value in raw_params.items():
        if key not in signature.parameters:
            raise StatisticError(f"{name} does not take {key}.")
        params[key] = _coerce(value, signature.parameters[key].annotation, key)
    return statistic.compute(**params)


def figure_key(name: str, raw_params: dict[str, str]) -> str:
    """A stable key for a statistic reference, used to freeze and look up figures in an edition."""
    return name + "".join(f" {k}={raw_params[k]}" for k in sorted(raw_params))


def references_in(body) -> list[tuple[str, dict[str, str]]]:
    """Every statistic referenced by a chapter body: statistic blocks and inline [[...]] markers."""
    found = []
    for block in body:
        if block.block_type == "statistic":
            found.append((block.value["statistic"], parse_parameters(block.value["parameters"])))
        elif block.block_type == "paragraph":
            for match in INLINE_FIGURE.finditer(block.value.source):
                found.append((match["name"], parse_parameters(match["params"])))
        elif hasattr(block.value, "figure_references"):  # e.g. a chart's bars
            found.extend(block.value.figure_references())
    return found


def resolve(name: str, raw_params: dict[str, str], edition=None) -> Figure:
    """The frozen figure when an edition holds it, otherwise the live one; StatisticError when it cannot be had
    (an edition keeps a figure that could not be computed at publishing as its reason)."""
    if edition is not None:
        frozen = edition.figures.get(figure_key(name, raw_params))
        if frozen is not None:
            if "error" in frozen:
                raise StatisticError(frozen["error"])
            return Figure.from_dict(frozen)
    return compute(name, raw_params)


def format_figure(figure: Figure) -> str:
    """Locale-aware text of a figure: thousands separators, signed percentages, currency amounts."""
    value = figure.value
    if figure.unit == "percent":
        # 27.00 → "27", 12.50 → "12.5", 13.29 → "13.29": as many decimals as the value really has.
        value = Decimal(value).normalize() if isinstance(value, Decimal) else value
        decimals = max(0, -value.as_tuple().exponent) if isinstance(value, Decimal) else 0
        text = number_format(abs(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)
        sign = "+" if value > 0 else "−" if value < 0 else ""
        return f"{sign}{text}%"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return number_format(int(value), use_l10n=True, force_grouping=True)
