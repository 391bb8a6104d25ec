"""Statistic references in a report: finding them in chapter bodies, filling in the report's period, resolving
them (frozen in an edition, or live) and freezing them. Figures, series and listings all go the same way.

Used by the report blocks, editions, the PDF, the checker, the impact page and the figure pages.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from django.core.signals import setting_changed

from core.formatting import format_value
from core.statistics import (
    RESULT_TYPES,
    Figure,
    Reference,
    StatisticError,
    parse_parameters,
    registry,
)

__all__ = [
    "INLINE_FIGURE",
    "Period",
    "format_figure",
    "freeze",
    "parse_parameters",
    "references_in",
    "resolve",
]

# An inline figure in chapter text: [[network.members]] or [[comms.yoy_change channel=linkedin measure=followers]]
INLINE_FIGURE = re.compile(r"\[\[\s*(?P<name>[a-z_]+\.[a-z_0-9]+)(?P<params>(?:\s+[a-z_]+=[^\s\]]+)*)\s*\]\]")

Period = tuple[date, date]  # first and last day of a reporting period


def reference(name: str, params_text: str, period: Period | None) -> Reference:
    """A reference as written, with the period's dates filled in where it leaves them out."""
    try:
        statistic = registry.get(name)
    except StatisticError:
        statistic = None  # resolving it will say why
    return _reference(statistic, name, params_text or "", period)


@lru_cache(maxsize=4096)  # every block of every chapter asks again at each render; References never change
def _reference(statistic, name: str, params_text: str, period: Period | None) -> Reference:
    found = Reference.of(name, parse_parameters(params_text))
    return found.in_period(*period) if period and statistic is not None else found


def references_in(body, period: Period | None = None) -> list[Reference]:
    """Every reference of a chapter body (statistic blocks, inline [[...]] figures, charts, listings,
    comparisons), in reading order, with the report's period filled in."""
    found = []
    for block in body:
        if block.block_type == "paragraph":
            for match in INLINE_FIGURE.finditer(block.value.source):
                found.append(reference(match["name"], match["params"], period))
        elif hasattr(block.value, "references"):
            found.extend(block.value.references(period))
    return found


def resolve(ref: Reference, edition=None, *, request=None):
    """The value frozen in the edition when it holds one, otherwise the live one; StatisticError when it cannot
    be had (an edition keeps what could not be computed at publishing as its reason)."""
    if edition is not None:
        frozen = edition.figures.get(ref.key)
        if frozen is not None:
            if "error" in frozen:
                raise StatisticError(frozen["error"])
            return RESULT_TYPES[frozen.get("kind", "figure")].from_dict(frozen)
    return ref.compute(request=request)


def freeze(references, *, request=None) -> dict[str, dict]:
    """Every reference computed now, keyed as editions store them; one that cannot be computed is frozen as
    unavailable with its reason, never as a number."""
    frozen: dict[str, dict] = {}
    for ref in references:
        if ref.key in frozen:
            continue
        try:
            kind = registry.get(ref.name).kind
            frozen[ref.key] = {"kind": kind, **ref.compute(request=request).as_dict()}
        except StatisticError as exc:
            frozen[ref.key] = {"error": str(exc)}
    return frozen


def format_figure(figure: Figure) -> str:
    """A figure as the public pages print it (see ``core.formatting``)."""
    return format_value(figure.value, figure.unit)


def figure_page_url(ref: Reference) -> str:
    """The citable page of a figure: the statistic with its parameters, without the period (the page gives its
    value in every edition that published it), e.g. /figures/comms.yoy_change/channel=linkedin,measure=followers/."""
    return _figure_page_url(ref.generic)


@lru_cache(maxsize=4096)  # a chapter links every figure it shows; reversing each URL again cost a tenth of it
def _figure_page_url(generic: Reference) -> str:
    from django.urls import reverse

    if not generic.params:
        return reverse("report:figure", kwargs={"name": generic.name})
    params = ",".join(f"{k}={v}" for k, v in generic.params)
    return reverse("report:figure", kwargs={"name": generic.name, "params": params})


setting_changed.connect(
    lambda **kwargs: _figure_page_url.cache_clear(), weak=False
)  # e.g. ROOT_URLCONF in tests
