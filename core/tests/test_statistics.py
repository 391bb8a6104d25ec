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


def test_parameter_types_are_read_once_at_registration(registry):
    import datetime

    @registry.register("things.since", label="Since")
    def since(start: datetime.date, end: datetime.date | None = None, rate: Decimal = Decimal(1)) -> Figure:
        return Figure(1, "")

    parameters = {p.name: (p.kind, p.required) for p in registry.get("things.since").parameters}
    assert parameters == {
        "start": (datetime.date, True),
        "end": (datetime.date, False),
        "rate": (Decimal, False),
    }
    assert registry.get("things.since").period_parameters == ("start", "end")
    with pytest.raises(StatisticError, match="rate='lots' should be a number"):
        registry.compute_text("things.since", {"start": "2023-01-01", "rate": "lots"})


def test_series_and_listings_register_alike_and_are_asked_for_by_kind(registry):
    from core.statistics import Listing, ListingItem, Series

    @registry.series("things.daily", label="Daily things")
    def daily() -> Series:
        return Series(())

    @registry.listing(
        "things.listed",
        label="Listed things",
    )
    def listed(request=None) -> Listing:
        return Listing((ListingItem("A", "/a/", ""),))

    assert registry.choices("series") == [("things.daily", "Daily things")]
    assert registry.get("things.listed").params == ()  # the request is context, not a parameter
    with pytest.raises(StatisticError, match="things.daily gives a series, not a figure"):
        registry.get("things.daily", "figure")
    frozen = registry.compute("things.listed").as_dict()
    assert Listing.from_dict(frozen).items[0].title == "A"


def test_a_reference_key_is_stable_and_reads_back_even_with_spaces_in_a_value():
    from core.statistics import Reference

    ref = Reference.of("comms.episodes_released", {"kind": "She Leads", "start": "2023-08-01"})
    assert ref.key == "comms.episodes_released kind=She%20Leads start=2023-08-01"
    assert Reference.from_key(ref.key) == ref
    assert ref.generic == Reference.of("comms.episodes_released", {"kind": "She Leads"})


def test_a_reference_takes_the_period_only_where_it_leaves_the_dates_out():
    import datetime

    from core.statistics import Reference

    period = (datetime.date(2031, 8, 1), datetime.date(2032, 7, 31))
    assert Reference.of("network.new_members").in_period(*period).raw == {
        "start": "2031-08-01",
        "end": "2032-07-31",
    }
    explicit = Reference.of(
        "comms.yoy_change", {"channel": "x", "measure": "followers", "period_end": "2030-01-31"}
    )
    assert explicit.in_period(*period) == explicit
    assert Reference.of("network.members").in_period(*period).raw == {"on": "2032-07-31"}
