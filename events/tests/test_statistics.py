"""Event figures in the report registry: public figures count only events the public may see."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from core.statistics import StatisticError, registry
from events.factories import EventPageFactory, ParticipantFactory
from events.models import ActionLevel, ActionPoint

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = {"start": TODAY - datetime.timedelta(days=365), "end": TODAY}


@pytest.fixture
def open_and_closed(events_index):
    """A public past event with one participant from France; a past event behind a login with three from Kenya."""
    public = EventPageFactory(parent=events_index, title="Open summit", slug="open", past=True)
    ParticipantFactory(event=public, country="FR")
    ActionPoint.objects.create(event=public, text="Publish the report", level=ActionLevel.GLOBAL)
    closed = EventPageFactory(
        parent=events_index, title="Closed survivors retreat", slug="retreat", past=True
    )
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    ParticipantFactory.create_batch(3, event=closed, country="KE")
    ActionPoint.objects.create(
        event=closed, text="Relocate the shelter in Kisumu", level=ActionLevel.NATIONAL, country="KE"
    )
    return public, closed


def test_events_count_counts_and_names_only_events_the_public_may_see(open_and_closed):
    figure = registry.compute("events.count", **PERIOD)
    assert figure.value == 1
    assert figure.items == ("Open summit",)


def test_participant_figures_leave_out_people_at_events_behind_a_view_restriction(open_and_closed):
    participants = registry.compute("events.participants", **PERIOD)
    assert participants.value == 1
    assert "Closed survivors retreat" not in participants.derivation
    assert registry.compute("events.countries", **PERIOD).items == ("FR",)


@pytest.mark.parametrize("name", ["events.event_participants", "events.event_countries"])
def test_figures_of_one_event_refuse_an_event_behind_a_view_restriction(open_and_closed, name):
    assert registry.compute(name, event="open").value == 1
    with pytest.raises(StatisticError, match="no published public event"):
        registry.compute(name, event="retreat")


def test_action_points_figure_counts_only_those_of_events_the_public_may_see(open_and_closed):
    figure = registry.compute("events.action_points")
    assert figure.value == 1
    assert figure.derivation == "Action points agreed at events (open: 1)."
