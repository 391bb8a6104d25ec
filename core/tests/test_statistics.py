from decimal import Decimal

import pytest

from core.statistics import Figure, StatisticError, StatisticRegistry


@pytest.fixture
def registry():
    registry = StatisticRegistry()
    registry._discovered = True  # isolated from the project's registered statistics

    @registry.register("things.count", label="Things")
    def count(year: int, kind: str = "any") -> Figure:
        return Figure(value=year % 100, derivation=f"things of kind {kind} in {year}")

    return registry


def test_compute_passes_parameters_and_returns_the_figure(registry):
    figure = registry.compute("things.count", year=2023, kind="red")
    assert figure.value == 23
    assert figure.derivation == "things of kind red in 2023"


def test_unknown_statistic_is_a_clear_error(registry):
    with pytest.raises(StatisticError, match="no statistic called 'nope'"):
        registry.compute("nope")


def test_missing_and_unknown_parameters_are_named(registry):
    with pytest.raises(StatisticError, match="needs year"):
        registry.compute("things.count")
    with pytest.raises(StatisticError, match="does not take colour"):
        registry.compute("things.count", year=2023, colour="red")


def test_registering_a_different_function_under_a_taken_name_fails(registry):
    with pytest.raises(StatisticError, match="registered twice"):
        registry.register("things.count", label="Again")(lambda: Figure(1, ""))


def test_figure_serialises_decimals_as_strings():
    assert Figure(Decimal("27.0"), "x", unit="percent").as_dict()["value"] == "27.0"
