import pytest

from events.factories import EventIndexPageFactory, EventPageFactory


@pytest.fixture
def events_index(site):
    return EventIndexPageFactory(parent=site.root_page)


@pytest.fixture
def event(events_index):
    return EventPageFactory(parent=events_index, title="Global Boys Summit", slug="summit", capacity=2)
