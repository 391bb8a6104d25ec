import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from wagtail.admin.menu import SubmenuMenuItem, admin_menu

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


def test_attention_follows_the_reporting_year_asked_for(queue, site):
    import datetime

    from report.factories import AnnualReportPageFactory

    client, _ = queue
    for year in (2040, 2041):
        AnnualReportPageFactory(
            parent=site.root_page,
            year_label=f"{year}-{year + 1}",
            start_date=datetime.date(year, 8, 1),
            end_date=datetime.date(year + 1, 7, 31),
        )
    latest = client.get("/admin/monitoring/attention/").content.decode()
    assert "Reporting year 2041-2042 (1 August 2041 to 31 July 2042)" in latest
    assert "Year to 31 Jul 2042" in latest
    earlier = client.get("/admin/monitoring/attention/?year=2040-2041").content.decode()
    assert "Year to 31 Jul 2041" in earlier
    response = client.get("/admin/monitoring/attention/?year=1999")
    assert (response.status_code, response["Location"]) == (302, "/admin/monitoring/attention/")


# --- Permissions -----------------------------------------------------------------------------------------------


def staff_user(username: str, *codenames: str):
    """An admin user with access to the admin and exactly these permissions ("app.codename")."""
    user = get_user_model().objects.create_user(username, password="pw")
    for name in ["wagtailadmin.access_admin", *codenames]:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def logged_in(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_review_and_attention_send_users_without_match_permissions_to_the_admin_home(queue):
    client = logged_in(staff_user("networker", "network.change_organisation"))
    first = Match.objects.order_by("pk").first()
    for response in (
        client.get("/admin/monitoring/review/"),
        client.post("/admin/monitoring/review/", {"action": "confirm", "match": [first.pk]}),
        client.get("/admin/monitoring/attention/"),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    first.refresh_from_db()
    assert first.status == MatchStatus.PENDING


def test_attention_needs_only_the_view_permission_and_review_the_change_permission(queue):
    viewer = logged_in(staff_user("viewer", "monitoring.view_match"))
    assert viewer.get("/admin/monitoring/attention/").status_code == 200
    assert viewer.get("/admin/monitoring/review/")["Location"] == "/admin/"
    reviewer = logged_in(staff_user("changer", "monitoring.change_match"))
    assert reviewer.get("/admin/monitoring/review/").status_code == 200


def monitoring_menu(user) -> set[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    for item in admin_menu.menu_items_for_request(request):
        if isinstance(item, SubmenuMenuItem) and item.label == "Monitoring":
            return {sub.label for sub in item.menu.menu_items_for_request(request)}
    return set()


def test_the_menu_shows_review_and_attention_only_to_users_who_may_use_them(queue):
    tools = {"Review media matches", "Media attention"}
    assert tools & monitoring_menu(staff_user("none")) == set()
    assert tools & monitoring_menu(staff_user("viewer", "monitoring.view_match")) == {"Media attention"}
    assert tools & monitoring_menu(staff_user("changer", "monitoring.change_match")) == {
        "Review media matches"
    }


# --- Ids that cannot be ids: a message, never a 500 ----------------------------------------------------------


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "confirm", "match": ["abc"]}, "Not match ids: “abc”. Nothing was changed"),
        ({"action": "reject", "match": ["99999999999999999999"]}, "Not match ids: “99999999999999999999”."),
        ({"action": "confirm", "match": ["-1"]}, "Not match ids: “-1”."),
        ({"action": "exclude:abc", "phrase-abc": "Ecpat Lane"}, "“abc” is not a match id."),
        ({"action": "exclude:99999999999999999999"}, "“99999999999999999999” is not a match id."),
    ],
)
def test_review_post_with_a_bad_match_id_says_so_and_changes_nothing(queue, data, message):
    client, _ = queue
    response = client.post("/admin/monitoring/review/", data)
    assert (response.status_code, response["Location"]) == (302, "/admin/monitoring/review/")
    [shown] = error_messages(response)
    assert shown.startswith(message)
    assert set(Match.objects.values_list("status", flat=True)) == {MatchStatus.PENDING}


def test_review_post_with_one_bad_id_among_good_ones_reviews_none(queue):
    client, _ = queue
    first = Match.objects.order_by("pk").first()
    client.post("/admin/monitoring/review/", {"action": "confirm", "match": [first.pk, "x"]})
    first.refresh_from_db()
    assert first.status == MatchStatus.PENDING


def test_an_unknown_match_to_exclude_is_404(queue):
    client, _ = queue
    assert client.post("/admin/monitoring/review/", {"action": "exclude:987654"}).status_code == 404


@pytest.mark.parametrize("organisation", ["abc", "99999999999999999999", "987654"])
def test_attention_for_an_organisation_that_cannot_exist_shows_a_message(queue, organisation):
    client, _ = queue
    response = client.get(f"/admin/monitoring/attention/?organisation={organisation}")
    assert (response.status_code, response["Location"]) == (302, "/admin/monitoring/attention/")
    assert error_messages(response) == [
        f"There is no organisation with id “{organisation}”; showing the network."
    ]
