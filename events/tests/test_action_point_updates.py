"""Action-point updates in the admin: written through events.services (the point's status follows), and an
organisation's editors see and post updates only on the points their organisation owns."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from events.models import ActionLevel, ActionPoint, ActionPointUpdate, ActionStatus
from events.services import action_point_update
from network.factories import OrganisationFactory
from network.models import MEMBER_EDITORS_GROUP, SECRETARIAT_GROUP

URL = "/admin/events/action-point-updates/"

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _post_update(client, point, *, status=ActionStatus.IN_PROGRESS, text="Drafting started", date=None):
    return client.post(
        URL + "new/",
        {
            "action_point": point.pk,
            "date": (date or timezone.localdate()).isoformat(),
            "text": text,
            "status": status,
        },
    )


@pytest.fixture
def world(event, django_user_model):
    """Two organisations' points on one event, a point without an owner, and an editor of the first."""
    a, b = OrganisationFactory(name="Org A"), OrganisationFactory(name="Org B")
    group, _ = Group.objects.get_or_create(name=MEMBER_EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            codename__in=[
                "access_admin",
                "add_actionpointupdate",
                "change_actionpointupdate",
                "delete_actionpointupdate",
            ]
        )
    )
    editor = django_user_model.objects.create_user("editor-a", password="x")
    editor.groups.add(group)
    a.editors.add(editor)
    secretariat = django_user_model.objects.create_user("secretariat", password="x")
    secretariat.groups.add(group, Group.objects.create(name=SECRETARIAT_GROUP))

    def point(text, owner):
        return ActionPoint.objects.create(event=event, text=text, level=ActionLevel.NATIONAL, owner=owner)

    return {
        "a": a,
        "editor": editor,
        "secretariat": secretariat,
        "point_a": point("Map services for boys in A", a),
        "point_b": point("Train hotline staff in B", b),
        "point_none": point("Publish the regional guidance", None),
    }


def test_an_update_posted_in_the_admin_changes_the_points_status(world):
    point = world["point_a"]
    response = _post_update(_client(world["editor"]), point, status=ActionStatus.DONE, text="Map published")
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.status == ActionStatus.DONE
    assert point.updates.get().text == "Map published"


def test_editing_an_update_in_the_admin_moves_the_points_status_with_it(world):
    point = world["point_a"]
    update = action_point_update(action_point=point, text="Started", status=ActionStatus.IN_PROGRESS)
    response = _client(world["editor"]).post(
        f"{URL}edit/{update.pk}/",
        {"action_point": point.pk, "date": update.date.isoformat(), "text": "Finished", "status": "done"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.status == ActionStatus.DONE


def test_deleting_the_newest_update_gives_the_point_the_status_of_the_one_before(world):
    point = world["point_a"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    action_point_update(action_point=point, text="Started", status=ActionStatus.IN_PROGRESS, date=yesterday)
    newest = action_point_update(action_point=point, text="Done", status=ActionStatus.DONE)
    response = _client(world["editor"]).post(f"{URL}delete/{newest.pk}/")
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.status == ActionStatus.IN_PROGRESS


def test_the_point_takes_the_status_of_its_newest_update_by_date_not_the_last_entered(world):
    point, client = world["point_a"], _client(world["editor"])
    _post_update(client, point, status=ActionStatus.DONE, text="Done")
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    _post_update(client, point, status=ActionStatus.IN_PROGRESS, text="Noted late", date=last_week)
    point.refresh_from_db()
    assert point.status == ActionStatus.DONE
    assert point.updates.count() == 2


def test_the_services_refusal_shows_on_the_form_and_writes_nothing(world):
    point = world["point_a"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _post_update(_client(world["editor"]), point, status=ActionStatus.DONE, date=tomorrow)
    assert response.status_code == 200
    assert "An update cannot be dated in the future." in response.content.decode()
    assert not ActionPointUpdate.objects.exists()
    point.refresh_from_db()
    assert point.status == ActionStatus.OPEN


@pytest.mark.parametrize("other", ["point_b", "point_none"])
def test_a_member_editor_cannot_post_an_update_on_another_organisations_point(world, other):
    point = world[other]
    response = _post_update(_client(world["editor"]), point, status=ActionStatus.DONE)
    assert response.status_code in (200, 403)  # the form refuses the choice, or the request is refused
    assert not ActionPointUpdate.objects.exists()
    point.refresh_from_db()
    assert point.status == ActionStatus.OPEN


def test_a_member_editor_is_offered_and_shown_only_their_organisations_points(world):
    client = _client(world["editor"])
    form = client.get(URL + "new/").content.decode()
    assert "Map services for boys in A" in form
    assert "Train hotline staff in B" not in form and "Publish the regional guidance" not in form
    action_point_update(action_point=world["point_a"], text="Ours moved on", status="in_progress")
    action_point_update(action_point=world["point_b"], text="Theirs moved on", status="in_progress")
    listing = client.get(URL).content.decode()
    assert "Ours moved on" in listing and "Theirs moved on" not in listing


def test_a_member_editor_cannot_open_or_change_an_update_on_another_organisations_point(world):
    theirs = action_point_update(action_point=world["point_b"], text="Theirs", status="in_progress")
    client = _client(world["editor"])
    for response in (
        client.get(f"{URL}edit/{theirs.pk}/"),
        client.post(
            f"{URL}edit/{theirs.pk}/",
            {"action_point": world["point_a"].pk, "date": theirs.date, "text": "Hijacked", "status": "done"},
        ),
        client.post(f"{URL}delete/{theirs.pk}/"),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].rstrip("/") == "/admin"
    theirs.refresh_from_db()
    assert theirs.text == "Theirs"
    world["point_b"].refresh_from_db()
    assert world["point_b"].status == ActionStatus.IN_PROGRESS


def test_the_secretariat_sees_and_updates_every_point(world):
    client = _client(world["secretariat"])
    form = client.get(URL + "new/").content.decode()
    for point in ("point_a", "point_b", "point_none"):
        assert world[point].text in form
    action_point_update(action_point=world["point_b"], text="Theirs moved on", status="in_progress")
    assert "Theirs moved on" in client.get(URL).content.decode()
    assert _post_update(client, world["point_none"], status=ActionStatus.DONE).status_code == 302
    world["point_none"].refresh_from_db()
    assert world["point_none"].status == ActionStatus.DONE
