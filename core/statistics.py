"""The registry of named statistics: every figure the public sees is computed by one of these.

Apps register functions in their own ``statistics.py``; report blocks, the PDF, the API and dashboards
call ``registry.compute(name, **params)`` and get back a ``Figure`` with its value and its derivation.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.module_loading import autodiscover_modules


class StatisticError(ValueError):
    """Unknown statistic or invalid parameters; the message is shown to editors as is."""


@dataclass(frozen=True)
class Figure:
    """A computed value with the text that explains how it was counted and where its records are."""

    value: int | Decimal
    derivation: str
    unit: str = "count"  # "count", "percent" or "currency"
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
class Statistic:
    name: str
    label: str
    function: Callable[..., Figure]
    unit: str = "count"
    params: tuple[str, ...] = field(default=())

    def compute(self, **params) -> Figure:
        unknown = set(params) - set(self.params)
        if unknown:
            raise StatisticError(f"{self.name} does not take {', '.join(sorted(unknown))}.")
        signature = inspect.signature(self.function)
        missing = [
            name
            for name, p in signature.parameters.items()
            if p.default is inspect.Parameter.empty and name not in params
        ]
        if missing:
            raise StatisticError(f"{self.name} needs {', '.join(missing)}.")
        return self.function(**params)


class StatisticRegistry:
    """Name → Statistic; filled by the ``statistics`` module of each installed app."""

    def __init__(self) -> None:
        self._statistics: dict[str, Statistic] = {}
        self._discovered = False

    def register(self, name: str, *, label: str, unit: str = "count") -> Callable:
        def decorator(function: Callable[..., Figure]) -> Callable[..., Figure]:
            if name in self._statistics and self._statistics[name].function is not function:
                raise StatisticError(f"Statistic {name!r} is registered twice.")
            params = tuple(inspect.signature(function).parameters)
            self._statistics[name] = Statistic(name, label, function, unit, params)
            return function

        return decorator

    @contextmanager
    def temporary(
        self, name: str, function: Callable[..., Figure], *, label: str = "", unit: str = "count"
    ) -> Iterator:
        """Register a statistic for the duration of a block (tests), restoring whatever was there before."""
        self._discover()
        previous = self._statistics.pop(name, None)
        self.register(name, label=label or name, unit=unit)(function)
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

    def get(self, name: str) -> Statistic:
        self._discover()
        try:
            return self._statistics[name]
        except KeyError:
            raise StatisticError(f"There is no statistic called {name!r}.") from None

    def all(self) -> list[Statistic]:
        self._discover()
        return sorted(self._statistics.values(), key=lambda s: s.name)

    def choices(self) -> list[tuple[str, str]]:
        return [(s.name, s.label) for s in self.all()]

    def compute(self, name: str, **params) -> Figure:
        return self.get(name).compute(**params)


registry = StatisticRegistry()
