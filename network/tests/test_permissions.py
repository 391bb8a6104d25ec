"""An editor of organisation A can change A's records and nothing of organisation B's, on every admin URL."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import ModelLogEntry

from network.factories import OrganisationFactory, PersonFactory
from network.models import (
    MEMBER_EDITORS_GROUP,
    SECRETARIAT_GROUP,
    MemberHighlightPage,
    NetworkIndexPage,
    NetworkLogEntry,
    Organisation,
)


@pytest.fixture
def editors_group(db):
    group, _ = Group.objects.get_or_create(name=MEMBER_EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["network", "wagtailadmin", "wagtailcore"],
            codename__in=[
                "access_admin",
                "add_organisation",
                "change_organisation",
                "delete_organisation",
                "add_person",
                "change_person",
                "delete_person",
            ],
        )
    )
    return group


@pytest.fixture
def world(site, editors_group, django_user_model):
    a, b = OrganisationFactory(name="Org A"), OrganisationFactory(name="Org B")
    editor = django_user_model.objects.create_user("editor-a", password="x")
    editor.groups.add(editors_group)
    a.editors.add(editor)
    index = NetworkIndexPage(title="Network", slug="network")
    site.root_page.add_child(instance=index)
    highlight_b = MemberHighlightPage(title="B highlight", slug="b-highlight", organisation=b)
    index.add_child(instance=highlight_b)
    return {
        "a": a,
        "b": b,
        "person_a": PersonFactory(organisation=a),
        "person_b": PersonFactory(organisation=b),
        "editor": editor,
        "highlight_b": highlight_b,
    }


@pytest.fixture
def editor_client(world):
    client = Client(HTTP_HOST="localhost")
    client.force_login(world["editor"])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/network/organisations/edit/{b.pk}/",
        "/admin/network/organisations/delete/{b.pk}/",
        "/admin/network/people/edit/{person_b.pk}/",
        "/admin/network/people/delete/{person_b.pk}/",
        "/admin/pages/{highlight_b.pk}/edit/",
        "/admin/pages/{highlight_b.pk}/delete/",
    ],
)
def test_editor_of_a_cannot_open_or_post_to_any_edit_or_delete_url_of_b(editor_client, world, url):
    url = url.format(**world)
    for response in (editor_client.get(url), editor_client.post(url, {"name": "Hijacked"})):
        assert response.status_code in (302, 403, 404), (url, response.status_code)
        if (
            response.status_code == 302
        ):  # Wagtail redirects a denied user to the dashboard, never to a success page
            assert (
                response["Location"].rstrip("/") in ("/admin", "/admin/login/?next=" + url)
                or "login" in response["Location"]
            )
    world["b"].refresh_from_db()
    world["person_b"].refresh_from_db()
    assert world["b"].name == "Org B"


def test_editor_of_a_can_edit_a_and_sees_only_a_in_the_listing(editor_client, world):
    assert editor_client.get(f"/admin/network/organisations/edit/{world['a'].pk}/").status_code == 200
    listing = editor_client.get("/admin/network/organisations/").content.decode()
    assert "Org A" in listing and "Org B" not in listing
    people = editor_client.get("/admin/network/people/").content.decode()
    assert world["person_a"].name in people and world["person_b"].name not in people


def test_secretariat_staff_can_edit_every_organisation(world, editors_group, django_user_model):
    staff = django_user_model.objects.create_user("secretariat", password="x")
    staff.groups.add(editors_group, Group.objects.create(name=SECRETARIAT_GROUP))
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    assert client.get(f"/admin/network/organisations/edit/{world['b'].pk}/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/network/organisations/history/{b.pk}/",
        "/admin/network/organisations/usage/{b.pk}/",
        "/admin/network/people/history/{person_b.pk}/",
        "/admin/network/people/usage/{person_b.pk}/",
    ],
)
def test_editor_of_a_cannot_see_the_history_or_usage_of_b(editor_client, world, url):
    response = editor_client.get(url.format(**world))
    assert response.status_code in (302, 403)
    assert (
        "Org B" not in response.content.decode() and world["person_b"].name not in response.content.decode()
    )
    own = url.replace("{b.pk}", str(world["a"].pk)).replace("{person_b.pk}", str(world["person_a"].pk))
    assert editor_client.get(own).status_code == 200


def test_an_organisations_editor_cannot_change_its_editors(editor_client, world, django_user_model):
    a, outsider = world["a"], django_user_model.objects.create_user("outsider", password="x")
    url = f"/admin/network/organisations/edit/{a.pk}/"
    assert 'name="editors"' not in editor_client.get(url).content.decode()
    response = editor_client.post(
        url,
        {
            "name": "Org A renamed",
            "slug": a.slug,
            "kind": a.kind,
            "country": a.country.code,
            "editors": [outsider.pk],
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.name == "Org A renamed"
    assert list(a.editors.all()) == [world["editor"]]


def test_the_secretariat_chooses_an_organisations_editors(world, editors_group, django_user_model):
    staff = django_user_model.objects.create_user("secretariat", password="x")
    staff.groups.add(editors_group, Group.objects.create(name=SECRETARIAT_GROUP))
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    assert (
        'name="editors"' in client.get(f"/admin/network/organisations/edit/{world['a'].pk}/").content.decode()
    )


def organisation_filter_choices(html: str) -> list[str]:
    """The organisations offered by the listing's "organisation" filter."""
    select = re.search(r'<select name="organisation"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, "The listing has no organisation filter."
    return re.findall(r'<option value="[^"]+">([^<]*)</option>', select.group(1))


def test_the_people_listing_filter_offers_an_editor_only_their_own_organisations(editor_client, world):
    html = editor_client.get("/admin/network/people/").content.decode()
    assert organisation_filter_choices(html) == ["Org A"]
    assert "Org B" not in html


def test_an_editor_filtering_people_by_another_organisation_sees_none_of_its_names(editor_client, world):
    html = editor_client.get("/admin/network/people/", {"organisation": world["b"].pk}).content.decode()
    assert "Org B" not in html and world["person_b"].name not in html
    own = editor_client.get("/admin/network/people/", {"organisation": world["a"].pk}).content.decode()
    assert world["person_a"].name in own


@pytest.mark.parametrize("secretariat", [True, False], ids=["secretariat staff", "superuser"])
def test_the_people_listing_filter_offers_the_secretariat_every_organisation(
    world, editors_group, django_user_model, secretariat
):
    if secretariat:
        user = django_user_model.objects.create_user("secretariat", password="x")
        user.groups.add(editors_group, Group.objects.create(name=SECRETARIAT_GROUP))
    else:
        user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    html = client.get("/admin/network/people/").content.decode()
    assert organisation_filter_choices(html) == ["Org A", "Org B"]


def test_only_the_secretariat_adds_an_organisation(editor_client, world, editors_group, django_user_model):
    # The member editor holds the add_organisation permission, but a new organisation would have no editors and
    # be public at once.
    assert editor_client.get("/admin/network/organisations/new/").status_code != 200
    editor_client.post(
        "/admin/network/organisations/new/",
        {"name": "Org C", "slug": "org-c", "kind": "member", "country": "KE"},
    )
    assert not Organisation.objects.filter(name="Org C").exists()
    assert (
        "/admin/network/organisations/new/"
        not in editor_client.get("/admin/network/organisations/").content.decode()
    )

    staff = django_user_model.objects.create_user("secretariat", password="x")
    staff.groups.add(editors_group, Group.objects.create(name=SECRETARIAT_GROUP))
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    response = client.post(
        "/admin/network/organisations/new/",
        {"name": "Org C", "slug": "org-c", "kind": "member", "country": "KE"},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Org C").exists()


def test_the_site_history_names_an_editor_only_their_own_organisations_and_people(
    admin_client, editor_client, world
):
    for organisation, name in ((world["a"], "Own Caseworker"), (world["b"], "Hidden Caseworker")):
        admin_client.post(
            "/admin/network/people/new/",
            {"name": name, "organisation": organisation.pk, "email": "caseworker@example.org"},
        )
    for client, organisation in ((editor_client, world["a"]), (admin_client, world["b"])):
        client.post(
            f"/admin/network/organisations/edit/{organisation.pk}/",
            {
                "name": f"{organisation.name} renamed",
                "slug": organisation.slug,
                "kind": "member",
                "country": "KE",
            },
        )

    html = editor_client.get("/admin/reports/site-history/").content.decode()
    assert "Own Caseworker" in html and "Org A renamed" in html
    assert "Hidden Caseworker" not in html and "Org B" not in html
    secretariat_view = admin_client.get("/admin/reports/site-history/").content.decode()
    assert "Hidden Caseworker" in secretariat_view and "Org B renamed" in secretariat_view


def test_an_editor_still_reads_the_history_of_their_own_people(admin_client, editor_client, world):
    person = world["person_a"]
    admin_client.post(
        f"/admin/network/people/edit/{person.pk}/",
        {"name": "Renamed Caseworker", "organisation": world["a"].pk, "email": "caseworker@example.org"},
    )
    html = editor_client.get(f"/admin/network/people/history/{person.pk}/").content.decode()
    assert "Renamed Caseworker" in html


def test_the_migration_moves_organisation_and_person_history_out_of_wagtails_shared_log(world):
    migration = importlib.import_module("network.migrations.0004_move_organisation_and_person_log_entries")
    for instance in (world["a"], world["person_b"]):
        ModelLogEntry.objects.log_action(instance, "wagtail.edit")
    region_entry = ModelLogEntry.objects.log_action(world["a"].region, "wagtail.edit")

    migration.to_network_log(apps, None)

    assert list(ModelLogEntry.objects.values_list("pk", flat=True)) == [region_entry.pk]
    assert sorted(NetworkLogEntry.objects.values_list("label", flat=True)) == sorted(
        [str(world["a"]), str(world["person_b"])]
    )
