"""Every snippet chooser of every app, for each role: open exactly when its listing opens, and never list more."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from wagtail.models import GroupPagePermission
from wagtail.snippets.models import get_snippet_models

from comms.factories import ChannelFactory, ImportSourceFactory
from core.snippets import visible_to
from monitoring.factories import ItemFactory
from network.factories import OrganisationFactory, PersonFactory
from network.models import MEMBER_EDITORS_GROUP, NetworkIndexPage, Person
from publications.factories import ConventionStandardFactory, CountryOverviewFactory, ProgrammeFactory
from stories.factories import ConsentFactory, QuoteFactory, SurvivorFactory
from stories.models import ConsentAuditEntry

# The permissions each role's group holds, by app label (every model permission of the app) or codename.
ROLE_PERMISSIONS = {
    "admin access only": [],
    "member editor": ["network"],
    "communications officer": ["comms", "monitoring", "publications"],
    "safeguarding officer": ["stories"],
}


def _role_user(django_user_model, role: str, organisation):
    user = django_user_model.objects.create_user(role.replace(" ", "-"), password="x")
    if role == "superuser":
        user.is_superuser = True
        user.save()
        return user
    group = Group.objects.create(name=role)
    labels = ROLE_PERMISSIONS[role]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=labels)
        | Permission.objects.filter(codename="access_admin")
    )
    user.groups.add(group)
    if role == "member editor":
        user.groups.add(Group.objects.get_or_create(name=MEMBER_EDITORS_GROUP)[0])
        organisation.editors.add(user)
    return user


@pytest.fixture
def records(site):
    """One record of each snippet model that has a factory, named so a page that shows it can be searched."""
    own, other = OrganisationFactory(name="Own Org"), OrganisationFactory(name="Other Org")
    survivor = SurvivorFactory(chosen_name="Zenobiax")
    consent = ConsentFactory(survivor=survivor)
    ConsentAuditEntry.objects.create(action="granted", subject=f"Consent {consent.pk}", reason="Signed form")
    made = [
        survivor,
        consent,
        QuoteFactory(survivor=survivor, text="Quoted words of Zenobiax"),
        ChannelFactory(),
        ImportSourceFactory(),
        ItemFactory(),
        ProgrammeFactory(),
        CountryOverviewFactory(),
        ConventionStandardFactory(),
        PersonFactory(organisation=other),
        *ConsentAuditEntry.objects.all(),
    ]
    index = NetworkIndexPage(title="Network", slug="network")
    site.root_page.add_child(instance=index)
    return {"own": own, "other": other, "made": made, "index": index}


def _chooser_urls(model, instance_pk) -> list[str]:
    namespace = model.snippet_viewset.chooser_viewset.name
    urls = [reverse(f"{namespace}:choose"), reverse(f"{namespace}:choose_results")]
    if instance_pk is not None:
        urls += [
            reverse(f"{namespace}:chosen", args=[instance_pk]),
            reverse(f"{namespace}:chosen_multiple") + f"?id={instance_pk}",
        ]
    return urls


def test_every_app_snippet_has_a_chooser_to_check():
    models = {m._meta.label for m in get_snippet_models()}
    assert {"stories.Survivor", "stories.Consent", "stories.ConsentAuditEntry", "stories.Quote"} <= models
    assert {
        "publications.DocumentText",
        "monitoring.Item",
        "comms.ImportSource",
        "comms.ImportBatch",
    } <= models
    for model in get_snippet_models():
        try:
            _chooser_urls(model, None)
        except NoReverseMatch:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{model._meta.label} has no chooser URLs to test")


@pytest.mark.parametrize("role", [*ROLE_PERMISSIONS, "superuser"])
def test_each_chooser_follows_its_listings_permission_for_each_role(records, django_user_model, role):
    user = _role_user(django_user_model, role, records["own"])
    if role == "member editor":
        GroupPagePermission.objects.create(
            group=Group.objects.get(name=MEMBER_EDITORS_GROUP),
            page=records["index"],
            permission_type="change",
        )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    by_model = {}
    for instance in records["made"]:
        by_model.setdefault(type(instance), []).append(instance)

    problems = []
    for model in get_snippet_models():
        listing = client.get(reverse(model.snippet_viewset.get_url_name("list")))
        listed = listing.status_code == 200
        instances = by_model.get(model, [])
        for url in _chooser_urls(model, instances[0].pk if instances else None):
            response = client.get(url)
            body = response.content.decode()
            if not listed:
                if response.status_code not in (302, 403):
                    problems.append(f"{url}: {response.status_code} although the listing is refused")
                leaked = [str(i) for i in instances if escape(str(i)) in body or str(i) in body]
                if leaked:
                    problems.append(f"{url} shows {leaked}")
            elif response.status_code != 200:
                problems.append(f"{url}: {response.status_code} although the listing opens")
        if listed:
            results = client.get(reverse(f"{model.snippet_viewset.chooser_viewset.name}:choose_results"))
            listing_html, chooser_html = listing.content.decode(), results.content.decode()
            for instance in instances:
                shown = escape(str(instance))
                if (shown in chooser_html) and (shown not in listing_html):
                    problems.append(f"{model._meta.label} chooser offers {instance} that the listing hides")
    assert problems == []


def test_a_member_editor_with_network_rights_sees_no_survivor_consent_or_audit_entry(
    records, django_user_model
):
    client = Client(HTTP_HOST="localhost")
    client.force_login(_role_user(django_user_model, "member editor", records["own"]))
    for name in ("survivor", "consent", "consentauditentry", "quote"):
        response = client.get(f"/admin/snippets/choose/stories/{name}/results/")
        assert response.status_code in (302, 403), name  # Wagtail turns PermissionDenied into a redirect
        assert "Zenobiax" not in response.content.decode()


def test_the_person_chooser_of_a_member_editor_offers_only_their_own_people(records, django_user_model):
    """visible_to, which every snippet chooser and listing calls, narrows an OrganisationScopedPolicy's rows."""
    user = _role_user(django_user_model, "member editor", records["own"])
    own = PersonFactory(organisation=records["own"])
    assert list(visible_to(user, Person, Person.objects.all())) == [own]
