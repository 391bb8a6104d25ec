import random
from datetime import date
from decimal import Decimal

import pytest

from comms.demo import build_channels_and_observations, spread
from comms.models import Channel, Measure, Observation
from comms.statistics import series_label
from core.demo import DemoContext
from core.statistics import StatisticError, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_observations():
    build_channels_and_observations(DemoContext(log=lambda _: None))


@pytest.mark.parametrize(
    ("channel", "measure", "expected"),
    [
        ("linkedin", "followers", "27.00"),
        ("instagram", "followers", "12.50"),
        ("facebook", "followers", "3.00"),
        ("website", "visits", "13.29"),
        # traditional_media and social_mentions (+108%, +111%): monitoring/tests/test_demo.py, from matched items
    ],
)
def test_demo_observations_give_the_published_growth_figures(demo_observations, channel, measure, expected):
    figure = registry.compute(
        "comms.yoy_change", channel=channel, measure=measure, period_end=date(2023, 7, 31)
    )
    assert figure.value == Decimal(expected)
    assert figure.unit == "percent"


@pytest.mark.parametrize(
    ("channel", "measure", "expected"),
    [
        ("linkedin", "followers", "18.90"),
        ("instagram", "followers", "8.89"),
        ("facebook", "followers", "1.46"),
        ("website", "visits", "9.24"),
    ],
)
def test_demo_observations_continue_with_slower_growth_to_july_2024(
    demo_observations, channel, measure, expected
):
    figure = registry.compute(
        "comms.yoy_change", channel=channel, measure=measure, period_end=date(2024, 7, 31)
    )
    assert figure.value == Decimal(expected)


def test_audience_derivation_states_both_end_of_period_values(demo_observations):
    figure = registry.compute(
        "comms.yoy_change", channel="linkedin", measure="followers", period_end="2023-07-31"
    )
    assert figure.derivation.startswith(
        "LinkedIn followers 31 Jul 2023: 12,700 (8,420 on 31 Jul 2021 (a known total) + 4,280 net new followers "
        "to 31 Jul 2023); 31 Jul 2022: 10,000 (8,420 on 31 Jul 2021 (a known total) + 1,580 net new followers to "
        "31 Jul 2022); change +27%"
    )
    recorded = registry.compute(
        "comms.yoy_change", channel="instagram", measure="followers", period_end="2023-07-31"
    )
    assert recorded.derivation.startswith(
        "Instagram followers 31 Jul 2023: 9,000; 31 Jul 2022: 8,000; change +12.5%"
    )


def test_visits_are_summed_over_each_twelve_months(demo_observations):
    figure = registry.compute(
        "comms.yoy_change", channel="website", measure="visits", period_end="2023-07-31"
    )
    assert "1 Aug 2022–31 Jul 2023: 827,017" in figure.derivation
    assert "1 Aug 2021–31 Jul 2022: 730,000" in figure.derivation
    assert "+13.29%" in figure.derivation


def test_rerunning_the_demo_step_does_not_add_observations(demo_observations):
    count = Observation.objects.count()
    build_channels_and_observations(DemoContext(log=lambda _: None))
    assert Observation.objects.count() == count


def test_change_is_rounded_half_up_to_two_decimals():
    channel = Channel.objects.create(slug="yt", name="YouTube", kind="youtube")
    Observation.objects.create(channel=channel, measure=Measure.FOLLOWERS, date=date(2022, 7, 31), value=3)
    Observation.objects.create(channel=channel, measure=Measure.FOLLOWERS, date=date(2023, 7, 31), value=4)
    figure = registry.compute(
        "comms.yoy_change", channel="yt", measure="followers", period_end=date(2023, 7, 31)
    )
    assert figure.value == Decimal("33.33")


def test_missing_previous_year_is_a_clear_error():
    channel = Channel.objects.create(slug="yt", name="YouTube", kind="youtube")
    Observation.objects.create(channel=channel, measure=Measure.FOLLOWERS, date=date(2023, 7, 31), value=4)
    with pytest.raises(StatisticError, match="No followers recorded for YouTube in the year to 31 Jul 2022"):
        registry.compute("comms.yoy_change", channel="yt", measure="followers", period_end=date(2023, 7, 31))


def test_unknown_channel_is_a_clear_error():
    with pytest.raises(StatisticError, match="no channel 'nope'"):
        registry.compute(
            "comms.yoy_change", channel="nope", measure="followers", period_end=date(2023, 7, 31)
        )


@pytest.mark.django_db
def test_yoy_of_a_stock_compares_the_last_values_of_each_year():
    from comms.factories import ChannelFactory, ObservationFactory
    from core.statistics import registry

    channel = ChannelFactory(slug="x-test", kind="x")
    ObservationFactory(channel=channel, date=date(2022, 7, 31), value=200)
    ObservationFactory(channel=channel, date=date(2023, 7, 30), value=250)
    figure = registry.compute(
        "comms.yoy_change", channel="x-test", measure="followers", period_end="2023-07-31"
    )
    assert str(figure.value) == "25.00"


@pytest.mark.parametrize(
    ("channel_name", "measure", "expected"),
    [
        ("LinkedIn", "followers", "LinkedIn followers"),
        ("Social media", "mentions", "Social media mentions"),
        ("Social media mentions", "mentions", "Social media mentions"),  # not "mentions mentions"
        ("Website", "page_views", "Website page views"),
    ],
)
def test_series_label_names_the_measure_once(channel_name, measure, expected):
    assert series_label(channel_name, measure) == expected


@pytest.mark.parametrize("total", [2700, 600, 97_017, 0])
def test_demo_spread_sums_exactly_without_a_jump_on_any_day(total):
    steps = spread(total, 365, random.Random(1))  # noqa: S311 (demo data)
    assert sum(steps) == total
    assert max(steps) <= 1.4 / 0.6 * total / 365 + 1  # within the noise of the weights, never a catch-up day


@pytest.mark.parametrize("period_end", ["0001-01-01", "0002-12-31"])
def test_a_period_without_two_years_before_it_is_a_statistic_error(demo_observations, period_end):
    with pytest.raises(StatisticError, match=f"period_end {period_end} is too early"):
        registry.compute("comms.yoy_change", channel="linkedin", measure="followers", period_end=period_end)


def test_year_one_has_no_previous_year():
    from comms.statistics import previous_year

    with pytest.raises(StatisticError, match="0001-03-01 has no year before it"):
        previous_year(date(1, 3, 1))
    assert previous_year(date(2024, 2, 29)) == date(2023, 2, 28)
