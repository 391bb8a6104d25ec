from datetime import date
from decimal import Decimal

import pytest

from comms.demo import build_channels_and_observations
from core.demo import DemoContext, build_site
from core.statistics import registry
from monitoring.attention import CHANNEL_KINDS, period_change
from monitoring.demo import build_monitoring
from monitoring.models import Item, Match, MatchStatus
from network.demo import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        context = DemoContext(log=lambda _: None)
        build_site(context)
        build_network(context)
        build_channels_and_observations(context)
        build_monitoring(context)
        yield
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize(
    ("channel", "expected", "current", "previous"),
    [("traditional_media", "108.00", 156, 75), ("social_mentions", "111.00", 211, 100)],
)
def test_demo_mention_figures_are_computed_from_matched_items(demo, channel, expected, current, previous):
    figure = registry.compute(
        "comms.yoy_change", channel=channel, measure="mentions", period_end=date(2023, 7, 31)
    )
    assert figure.value == Decimal(expected)
    assert f": {current:,}; " in figure.derivation and f": {previous:,}; " in figure.derivation
    change = period_change(kinds=CHANNEL_KINDS[channel], period_end=date(2023, 7, 31))
    assert (change.current, change.previous) == (current, previous)


@pytest.mark.parametrize(
    ("channel", "expected", "current", "previous"),
    [("traditional_media", "16.03", 181, 156), ("social_mentions", "19.91", 253, 211)],
)
def test_demo_mentions_continue_to_july_2024_without_moving_the_year_before(
    demo, channel, expected, current, previous
):
    """The second corpus adds the year to 31 July 2024; the twelve months before keep the 2022-2023 counts."""
    figure = registry.compute(
        "comms.yoy_change", channel=channel, measure="mentions", period_end=date(2024, 7, 31)
    )
    assert figure.value == Decimal(expected)
    assert f"1 Aug 2023–31 Jul 2024: {current:,}; 1 Aug 2022–31 Jul 2023: {previous:,}; " in figure.derivation
    # The attention dashboard counts the same calendar years (the year to 31 July 2024 has 366 days).
    change = period_change(kinds=CHANNEL_KINDS[channel], period_end=date(2024, 7, 31))
    assert (change.current, change.previous) == (current, previous)


def test_loading_monitoring_again_ingests_nothing_more(demo):
    from monitoring.models import IngestBatch

    counts = (IngestBatch.objects.count(), Item.objects.count(), Match.objects.count())
    build_monitoring(DemoContext(log=lambda _: None))
    assert (IngestBatch.objects.count(), Item.objects.count(), Match.objects.count()) == counts


def test_demo_traps_are_not_counted(demo):
    assert Item.objects.exclude(duplicate_of=None).exists()
    assert not Match.objects.filter(item__text__contains="ECPATHY").exists()
    assert not Match.objects.filter(item__text__contains="Ecpat Lane").exists()
    assert set(Match.objects.filter(item__text__contains="Tom Ecpat").values_list("status", flat=True)) == {
        MatchStatus.REJECTED
    }


def test_demo_matches_an_accent_free_spelling_of_an_accented_name(demo):
    assert Match.objects.filter(matched_name="Associação Crianças Desfavorecidas").exists()
