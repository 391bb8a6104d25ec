import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from monitoring.factories import ItemFactory, SourceFactory
from monitoring.models import Match, MatchStatus
from monitoring.services import items_rematch
from network.factories import OrganisationFactory
from network.models import OrganisationAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(site):
    ecpat = OrganisationFactory(name="ECPAT International", short_name="ECPAT")
    source = SourceFactory()
    ItemFactory(
        source=source, title="", text="Rain again. ECPAT International opened a hotline today. Prices rose."
    )
    ItemFactory(source=source, title="", text="A cafe opened on Ecpat Lane. Nothing else happened.")
    ItemFactory(source=source, title="", text="Traffic on Ecpat Lane was heavy. ECPAT spoke later.")
    items_rematch()
    user = get_user_model().objects.create_superuser("reviewer", "r@example.org", "pw")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client, ecpat


def test_review_queue_shows_the_sentence_with_the_match_highlighted(queue):
    client, _ = queue
    html = client.get("/admin/monitoring/review/").content.decode()
    assert "<mark>ECPAT International</mark> opened a hotline today." in html
    assert "Prices rose" not in html  # only the sentence, not the whole item


def test_bulk_confirm_and_reject_record_the_reviewer(queue):
    client, _ = queue
    first, second = Match.objects.order_by("pk")[:2]
    client.post("/admin/monitoring/review/", {"action": "confirm", "match": [first.pk]})
    client.post("/admin/monitoring/review/", {"action": "reject", "match": [second.pk]})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (MatchStatus.CONFIRMED, MatchStatus.REJECTED)
    assert first.reviewed_by.username == "reviewer" and first.reviewed_at


def test_rejected_phrase_becomes_an_alias_exclusion_and_covers_other_pending_matches(queue):
    client, ecpat = queue
    lane = Match.objects.filter(item__text__startswith="A cafe").get()
    client.post(
        "/admin/monitoring/review/", {"action": f"exclude:{lane.pk}", f"phrase-{lane.pk}": "Ecpat Lane"}
    )
    alias = OrganisationAlias.objects.get(organisation=ecpat, name=lane.matched_name)
    assert alias.exclusions == "Ecpat Lane"
    statuses = dict(
        Match.objects.values_list("item__text", "status").filter(item__text__contains="Lane", start__lt=30)
    )
    assert set(statuses.values()) == {MatchStatus.REJECTED}
    assert Match.objects.filter(status=MatchStatus.PENDING, item__text__startswith="Traffic").count() == 1
    items_rematch()  # matching again honours the exclusion
    assert not Match.objects.filter(
        item__text__contains="Lane", start__lt=30, status=MatchStatus.PENDING
    ).exists()


def test_attention_view_draws_charts_for_the_network(queue):
    client, ecpat = queue
    html = client.get(f"/admin/monitoring/attention/?organisation={ecpat.pk}").content.decode()
    assert "Traditional media" in html and "<svg" in html
