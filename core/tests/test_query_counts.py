"""Public pages run a bounded number of queries that does not grow with the records behind them (no N+1)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.request_memo import forget_until_edited
from events.models import EventPage, Participant, ParticipantStatus

PAGES = {  # url → (first request, with the site skeleton to read; a later request, with it remembered)
    "/": (10, 2),
    "/annual-report-2022-2023/": (14, 3),  # cold: the reporting periods (headline figures, last year) once
    # Chapters read figures, listings and line charts' points from the edition; quotes re-check their consent.
    "/annual-report-2022-2023/outreach-and-advocacy/": (14, 4),
    "/annual-report-2022-2023/staff-perspectives/": (19, 9),
    "/campaigns/break-free-to-fly/": (15, 7),
    "/legislation/eu-child-sexual-abuse-regulation/": (15, 7),
    "/events/": (16, 8),
    "/events/global-boys-summit-2023/": (18, 10),  # one grouped query for the participant figures
    "/network/": (18, 10),
    "/podcast/": (13, 5),
    "/publications/": (18, 10),  # six facets share one query for their pages when no filter is set
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
    counted = {}
    for url in PAGES:
        forget_until_edited()
        counted[url] = (queries_for(client, url), queries_for(client, url))
    over = {url: n for url, n in counted.items() if n[0] > PAGES[url][0] or n[1] > PAGES[url][1]}
    assert not over, f"more queries than budgeted (first request, later request): {over}"

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
        queries_for(client, "/events/global-boys-summit-2023/")
        == counted["/events/global-boys-summit-2023/"][1]
    )
