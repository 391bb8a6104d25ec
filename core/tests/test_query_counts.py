"""Public pages run a bounded number of queries that does not grow with the records behind them (no N+1)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import EventPage, Participant, ParticipantStatus

PAGES = {
    "/": 10,
    "/annual-report-2022-2023/": 13,
    # Chapters hold live listings, charts, quotes (each re-checks its consent) and the donation step.
    "/annual-report-2022-2023/outreach-and-advocacy/": 23,
    "/annual-report-2022-2023/staff-perspectives/": 29,
    "/campaigns/break-free-to-fly/": 15,
    "/legislation/eu-child-sexual-abuse-regulation/": 15,
    "/events/": 16,
    "/events/global-boys-summit-2023/": 25,
    "/network/": 18,
    "/podcast/": 13,
    "/publications/": 23,  # six facets share one query for their pages when no filter is set
}


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_public_pages_query_counts_are_bounded_and_flat_in_record_count(settings):
    settings.PAGE_CACHE_SECONDS = 0
    call_command("load_demo_year", stdout=io.StringIO())
    client = Client(HTTP_HOST="localhost")
    before = {url: queries_for(client, url) for url in PAGES}
    over = {url: n for url, n in before.items() if n > PAGES[url]}
    assert not over, f"more queries than budgeted: {over}"

    summit = EventPage.objects.get(slug="global-boys-summit-2023")
    Participant.objects.bulk_create(
        Participant(
            event=summit,
            name=f"Extra {n}",
            email=f"extra{n}@example.org",
            country=["KE", "FR", "BR"][n % 3],
            status=ParticipantStatus.ATTENDED,
            listed_publicly=True,
        )
        for n in range(30)
    )
    assert (
        queries_for(client, "/events/global-boys-summit-2023/") == before["/events/global-boys-summit-2023/"]
    )
