"""The one registry of what the public sees: figures, chart series and listings, each computed from records.

Apps register functions in their own ``statistics.py``. Report blocks, editions, the PDF, the impact page, the
dashboards and the API call ``registry.compute(name, **params)`` (typed values) or ``compute_text`` (the text an
editor typed) and get back a ``Figure``, a ``Series`` or a ``Listing`` that says how it was counted.
Parameter types are read once, at registration, from the function's annotations.
"""

from __future__ import annotations

import datetime
import inspect
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from types import UnionType
from typing import Any, ClassVar
from urllib.parse import quote, unquote

from django.utils.module_loading import autodiscover_modules


class StatisticError(ValueError):
    """Unknown statistic or invalid parameters; the message is shown to editors as is."""


@dataclass(frozen=True)
class Figure:
    """A computed value with the text that explains how it was counted and where its records are."""

    value: int | Decimal
    derivation: str
    unit: str = "count"  # "count", "percent", "percentage_points" or "currency"
    records_url: str = ""
    items: tuple[str, ...] = ()  # e.g. the countries behind a country count

    def as_dict(self) -> dict:
        return {
            "value": str(self.value),
            "unit": self.unit,
            "derivation": self.derivation,
            "records_url": self.records_url,
            "items": list(self.items),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Figure:
        """Rebuild a figure frozen with ``as_dict`` (values come back as int or Decimal, never float)."""
        value = Decimal(data["value"])
        return cls(
            value=int(value) if value == value.to_integral_value() and data["unit"] == "count" else value,
            derivation=data["derivation"],
            unit=data["unit"],
            records_url=data.get("records_url", ""),
            items=tuple(data.get("items", ())),
        )


@dataclass(frozen=True)
class Series:
    """Values over time (a chart's line), with how they were counted."""

    points: tuple[tuple[datetime.date, Decimal], ...]
    derivation: str = ""
    unit: str = "count"
    records_url: str = ""

    def as_dict(self) -> dict:
        return {
            "points": [[day.isoformat(), str(value)] for day, value in self.points],
            "derivation": self.derivation,
            "unit": self.unit,
            "records_url": self.records_url,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Series:
        points = tuple((datetime.date.fromisoformat(day), Decimal(value)) for day, value in data["points"])
        return cls(points, data.get("derivation", ""), data.get("unit", "count"), data.get("records_url", ""))


@dataclass(frozen=True)
class ListingItem:
    title: str
    url: str
    meta: str


@dataclass(frozen=True)
class Listing:
    """Records of a period as a list (title, link, one line of detail), with what was listed."""

    items: tuple[ListingItem, ...]
    derivation: str = ""

    def as_dict(self) -> dict:
        return {
            "items": [{"title": i.title, "url": i.url, "meta": i.meta} for i in self.items],
            "derivation": self.derivation,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Listing:
        return cls(tuple(ListingItem(**item) for item in data["items"]), data.get("derivation", ""))


RESULT_TYPES: dict[str, type] = {"figure": Figure, "series": Series, "listing": Listing}

# Parameters a reporting period fills in when a reference leaves them out: name → which end of the period.
PERIOD_PARAMETERS = {"start": "start", "end": "end", "period_end": "end", "on": "end"}
CONTEXT_PARAMETERS = ("request",)
KEY_SAFE = ":/,@!$'()*;"  # kept as written in keys (besides letters, digits and -._~): only spaces and % change  # passed by the caller to reuse its site lookup; never typed by an editor


@dataclass(frozen=True)
class Parameter:
    """One parameter of a statistic, with the type its function declares (read once, at registration)."""

    name: str
    kind: type
    required: bool

    EXPECTED: ClassVar[dict[type, str]] = {
        datetime.date: "a date in the form YYYY-MM-DD",
        int: "a whole number",
        Decimal: "a number",
    }

    def parse(self, text: str) -> Any:
        """The typed value of ``text``; StatisticError naming the parameter and what it should be."""
        try:
            if self.kind is datetime.date:
                return datetime.date.fromisoformat(text)
            if self.kind is int:
                return int(text)
            if self.kind is Decimal:
                return Decimal(text)
        except (ValueError, InvalidOperation):
            raise StatisticError(f"{self.name}={text!r} should be {self.EXPECTED[self.kind]}.") from None
        return text


NAMED_TYPES = {
    "date": datetime.date,
    "datetime.date": datetime.date,
    "int": int,
    "Decimal": Decimal,
    "str": str,
}


def _type_hints(function: Callable) -> dict[str, Any]:
    """The function's annotations as types; postponed ones its module cannot resolve are read by name."""
    try:
        return typing.get_type_hints(function)
    except (NameError, TypeError):
        return {
            name: NAMED_TYPES.get(hint.split("|")[0].strip(), str) if isinstance(hint, str) else hint
            for name, hint in function.__annotations__.items()
        }


def _parameters(function: Callable) -> tuple[Parameter, ...]:
    hints = _type_hints(function)
    found = []
    for name, p in inspect.signature(function).parameters.items():
        if name in CONTEXT_PARAMETERS:
            continue
        kind = hints.get(name, str)
        if isinstance(kind, UnionType) or typing.get_origin(kind) is typing.Union:  # date | None
            kind = next((arg for arg in typing.get_args(kind) if arg is not type(None)), str)
        found.append(Parameter(name, kind if kind in Parameter.EXPECTED else str, p.default is p.empty))
    return tuple(found)


@dataclass(frozen=True)
class Statistic:
    name: str
    label: str
    function: Callable[..., Figure | Series | Listing]
    unit: str = "count"
    kind: str = "figure"  # "figure", "series" or "listing"
    parameters: tuple[Parameter, ...] = field(default=())

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def period_parameters(self) -> tuple[str, ...]:
        """The parameters a reporting period can fill in (start, end, period_end, on)."""
        return tuple(name for name in self.params if name in PERIOD_PARAMETERS)

    def compute(self, *, request=None, **params) -> Figure | Series | Listing:
        unknown = set(params) - set(self.params)
        if unknown:
            raise StatisticError(f"{self.name} does not take {', '.join(sorted(unknown))}.")
        missing = [p.name for p in self.parameters if p.required and p.name not in params]
        if missing:
            raise StatisticError(f"{self.name} needs {', '.join(missing)}.")
        if request is not None and "request" in inspect.signature(self.function).parameters:
            params["request"] = request
        return self.function(**params)

    def parse(self, raw: dict[str, str]) -> dict[str, Any]:
        """Typed parameters from the text an editor wrote (``{"start": "2023-08-01"}``)."""
        by_name = {p.name: p for p in self.parameters}
        unknown = sorted(set(raw) - set(by_name))
        if unknown:
            raise StatisticError(f"{self.name} does not take {', '.join(unknown)}.")
        return {name: by_name[name].parse(value) for name, value in raw.items()}

    def compute_text(self, raw: dict[str, str], *, request=None) -> Figure | Series | Listing:
        return self.compute(request=request, **self.parse(raw))


class StatisticRegistry:
    """Name → Statistic; filled by the ``statistics`` module of each installed app."""

    def __init__(self) -> None:
        self._statistics: dict[str, Statistic] = {}
        self._discovered = False

    def register(self, name: str, *, label: str, unit: str = "count", kind: str = "figure") -> Callable:
        if kind not in RESULT_TYPES:
            raise StatisticError(f"{name}: kind must be one of {', '.join(RESULT_TYPES)}.")

        def decorator(function: Callable) -> Callable:
            if name in self._statistics and self._statistics[name].function is not function:
                raise StatisticError(f"Statistic {name!r} is registered twice.")
            self._statistics[name] = Statistic(name, label, function, unit, kind, _parameters(function))
            return function

        return decorator

    def series(self, name: str, *, label: str, unit: str = "count") -> Callable:
        """Register a function returning a ``Series`` (a chart's line)."""
        return self.register(name, label=label, unit=unit, kind="series")

    def listing(self, name: str, *, label: str) -> Callable:
        """Register a function returning a ``Listing`` (records of a period)."""
        return self.register(name, label=label, kind="listing")

    @contextmanager
    def temporary(
        self, name: str, function: Callable, *, label: str = "", unit: str = "count", kind: str = "figure"
    ) -> Iterator:
        """Register a statistic for the duration of a block (tests), restoring whatever was there before."""
        self._discover()
        previous = self._statistics.pop(name, None)
        self.register(name, label=label or name, unit=unit, kind=kind)(function)
        try:
            yield
        finally:
            self._statistics.pop(name, None)
            if previous is not None:
                self._statistics[name] = previous

    def _discover(self) -> None:
        if not self._discovered:
            autodiscover_modules("statistics")
            self._discovered = True

    def get(self, name: str, kind: str | None = None) -> Statistic:
        self._discover()
        try:
            statistic = self._statistics[name]
        except KeyError:
            raise StatisticError(f"There is no statistic called {name!r}.") from None
        if kind and statistic.kind != kind:
            raise StatisticError(f"{name} gives a {statistic.kind}, not a {kind}.")
        return statistic

    def all(self, kind: str | None = None) -> list[Statistic]:
        self._discover()
        found = [s for s in self._statistics.values() if kind is None or s.kind == kind]
        return sorted(found, key=lambda s: s.name)

    def choices(self, kind: str = "figure") -> list[tuple[str, str]]:
        return [(s.name, s.label) for s in self.all(kind)]

    def compute(self, name: str, **params):
        return self.get(name).compute(**params)

    def compute_text(self, name: str, raw: dict[str, str], *, request=None):
        return self.get(name).compute_text(raw, request=request)


registry = StatisticRegistry()


@dataclass(frozen=True)
class Reference:
    """A statistic named with its parameters as text, as chapters, headline figures and editions hold it."""

    name: str
    params: tuple[tuple[str, str], ...] = ()  # sorted (name, value) pairs: hashable, and keys are stable

    @classmethod
    def of(cls, name: str, params: dict[str, str] | None = None) -> Reference:
        return cls(name, tuple(sorted((params or {}).items())))

    @classmethod
    def from_key(cls, key: str) -> Reference:
        """The reference a key (``comms.yoy_change channel=linkedin measure=followers``) stands for."""
        name, _, text = key.strip().partition(" ")
        return cls.of(name, {k: unquote(v) for k, v in parse_parameters(text).items()})

    @property
    def raw(self) -> dict[str, str]:
        return dict(self.params)

    @cached_property
    def key(self) -> str:
        """A stable key, used to freeze and look up values in an edition."""
        # Values are quoted so a listing's filter such as a series title ("She Leads") stays one token.
        return self.name + "".join(f" {k}={quote(v, safe=KEY_SAFE)}" for k, v in self.params)

    @property
    def generic(self) -> Reference:
        """The same reference without its period: what a figure is, whatever year it is counted for."""
        return Reference(self.name, tuple((k, v) for k, v in self.params if k not in PERIOD_PARAMETERS))

    def in_period(self, start: datetime.date, end: datetime.date) -> Reference:
        """Fill in the period parameters the statistic takes and the reference leaves out."""
        try:
            taken = registry.get(self.name).period_parameters
        except StatisticError:
            return self  # resolving it will say why
        bounds = {"start": start.isoformat(), "end": end.isoformat()}
        filled = self.raw
        for name in taken:
            filled.setdefault(name, bounds[PERIOD_PARAMETERS[name]])
        return Reference.of(self.name, filled)

    def compute(self, *, request=None):
        return registry.compute_text(self.name, self.raw, request=request)


def parse_parameters(text: str) -> dict[str, str]:
    """Parse "name=value" pairs separated by spaces or new lines."""
    params: dict[str, str] = {}
    for token in (text or "").split():
        if "=" not in token:
            raise StatisticError(f"{token!r} is not of the form name=value.")
        name, value = token.split("=", 1)
        params[name.strip()] = value.strip()
    return params
