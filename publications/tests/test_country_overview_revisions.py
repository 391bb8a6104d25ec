"""Country overviews are edited like pages: drafts and revisions, publishing, moderation and preview. Public pages
and the comparison show only the published text, so a reviewed text is what states are compared on."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import (
    GroupApprovalTask,
    ModelLogEntry,
    Workflow,
    WorkflowContentType,
    WorkflowState,
    WorkflowTask,
)
from wagtail.test.utils.form_data import querydict_from_html

from publications import demo
from publications.factories import (
    ConventionStandardFactory,
    CountryOverviewFactory,
    OverviewSectionFactory,
    PublicationPageFactory,
)
from publications.models import Assessment, Compliance, CountryOverview, OverviewKind

pytestmark = pytest.mark.django_db

PUBLISHED = "The 2019 law is applied in the cases members followed."
DRAFT = "An unreviewed rewrite of the introduction."


def admin_url(name: str, *args) -> str:
    return reverse(f"wagtailsnippets_publications_countryoverview:{name}", args=args)


def edit(client, overview, *, action: str = "", **changes):
    """Post the overview's edit form as the editor shows it, with `changes` applied, through the button `action`
    ("publish", "submit"; none saves a draft)."""
    data = querydict_from_html(
        client.get(admin_url("edit", overview.pk)).content.decode(), form_id="w-editor-form"
    )
    for name, value in changes.items():
        data[name] = value
    if action:
        data[f"action-{action}"] = f"action-{action}"
    return client.post(admin_url("edit", overview.pk), data)


def editor_client(*group_permissions: str, groups=()) -> Client:
    """A client logged in as an editor whose group holds admin access and `group_permissions` on overviews."""
    group = Group.objects.create(name=f"Overview editors {'+'.join(group_permissions)}")
    content_type = ContentType.objects.get_for_model(CountryOverview)
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type=content_type, codename__in=[f"{p}_countryoverview" for p in group_permissions]
        ),
    )
    user = get_user_model().objects.create_user(f"user-{group.pk}", password="pw")
    user.groups.add(group, *groups)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


@pytest.fixture
def moldova(countries_index, library):
    """Moldova's published joint overview, rated partially compliant with Art. 18, shown on its publication."""
    publication = PublicationPageFactory(parent=library, title="Joint Country Overview: Moldova")
    standard = ConventionStandardFactory(reference="Art. 18", title="Criminalising sexual abuse")
    overview = CountryOverviewFactory(
        country="MD", year=2022, kind=OverviewKind.JOINT, introduction=PUBLISHED, publication=publication
    )
    Assessment.objects.create(overview=overview, standard=standard, compliance=Compliance.PARTIALLY)
    return overview


def public_view(client, countries_index, overview) -> dict:
    """What anonymous readers see of the overview: the country page, its publication page, the comparison."""
    compare = client.get(countries_index.url + "compare/").context
    return {
        "country": client.get(countries_index.url + "md/").content.decode(),
        "publication": client.get(overview.publication.url).content.decode(),
        "columns": [o.country.code for o in compare["columns"]],
        "ratings": [c["label"] for row in compare["rows"] for c in row["cells"]],
    }


def test_a_draft_saved_in_the_editor_changes_no_public_page_or_comparison(
    client, admin_client, countries_index, moldova
):
    response = edit(admin_client, moldova, introduction=DRAFT, **{"assessments-0-compliance": "compliant"})
    assert response.status_code == 302
    seen = public_view(client, countries_index, moldova)
    assert PUBLISHED in seen["country"] and DRAFT not in seen["country"]
    assert PUBLISHED in seen["publication"] and DRAFT not in seen["publication"]
    assert seen["ratings"] == ["Partially compliant"]
    moldova.refresh_from_db()
    assert moldova.status_string == "live + draft"
    assert moldova.get_latest_revision_as_object().introduction == DRAFT  # the editor reopens the draft


def test_publishing_the_draft_puts_it_on_the_public_pages_and_in_the_comparison(
    client, admin_client, countries_index, moldova
):
    edit(admin_client, moldova, introduction=DRAFT, **{"assessments-0-compliance": "compliant"})
    assert DRAFT not in public_view(client, countries_index, moldova)["country"]
    response = edit(admin_client, moldova, action="publish")  # the form reopens on the draft
    assert response.status_code == 302
    seen = public_view(client, countries_index, moldova)
    assert DRAFT in seen["country"] and PUBLISHED not in seen["country"]
    assert DRAFT in seen["publication"]
    assert seen["ratings"] == ["Compliant"]
    moldova.refresh_from_db()
    assert moldova.status_string == "live"
    assert moldova.live_revision == moldova.latest_revision


def test_every_save_is_a_revision_listed_in_the_history(admin_client, moldova):
    edit(admin_client, moldova, introduction=DRAFT)
    edit(admin_client, moldova, action="publish", introduction=DRAFT + " Checked.")
    revisions = list(moldova.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 2
    assert revisions[0].as_object().introduction == DRAFT
    history = admin_client.get(admin_url("history", moldova.pk)).content.decode()
    assert admin_url("revisions_revert", moldova.pk, revisions[0].pk) in history  # the draft, to go back to
    assert admin_url("revisions_view", moldova.pk, revisions[0].pk) in history
    assert "Edited" in history and "Published" in history and "Live version" in history  # the second


def test_an_overview_never_published_is_on_no_public_page_or_comparison(
    client, admin_client, countries_index, library
):
    publication = PublicationPageFactory(parent=library, title="Joint Country Overview: Italy")
    publication.countries.create(country="IT")
    publication.save()  # Italy is on the map through its publication
    form = querydict_from_html(admin_client.get(admin_url("add")).content.decode(), form_id="w-editor-form")
    form.update({"country": "IT", "year": "2023", "kind": OverviewKind.JOINT, "introduction": DRAFT})
    form["publication"] = str(publication.pk)
    assert admin_client.post(admin_url("add"), form).status_code == 302  # "Save draft"
    CountryOverviewFactory(country="FR", draft=True)  # France has nothing but a draft

    touched = {t.country.code: t for t in client.get(countries_index.url).context["countries"]}
    assert list(touched) == ["IT"] and touched["IT"].overviews == 0
    assert DRAFT not in client.get(countries_index.url + "it/").content.decode()
    assert client.get(countries_index.url + "fr/").status_code == 404
    assert client.get(countries_index.url + "compare/").context["columns"] == []
    assert DRAFT not in client.get(publication.url).content.decode()
    created = CountryOverview.objects.get(country="IT")
    assert not created.live and created.publication == publication and created.introduction == DRAFT


def test_the_listing_shows_whether_each_overview_is_live_or_a_draft(admin_client, moldova):
    CountryOverviewFactory(country="IT", draft=True)
    edit(admin_client, moldova, introduction=DRAFT)
    listing = admin_client.get(admin_url("list")).content.decode()
    assert "live + draft" in listing
    assert ">draft<" in listing.replace("\n", "").replace(" ", "")


def test_an_editor_without_publish_permission_saves_a_draft_and_cannot_publish(
    client, countries_index, moldova
):
    editor = editor_client("add", "change", "view")
    form = editor.get(admin_url("edit", moldova.pk)).content.decode()
    assert 'name="action-publish"' not in form
    # A forged press of "Publish" is saved as a draft.
    response = edit(editor, moldova, action="publish", introduction=DRAFT)
    assert response.status_code == 302
    seen = public_view(client, countries_index, moldova)
    assert PUBLISHED in seen["country"] and DRAFT not in seen["country"]
    moldova.refresh_from_db()
    assert moldova.has_unpublished_changes and moldova.live_revision is None


def test_an_editor_submits_to_moderation_and_the_moderators_approval_publishes(
    client, countries_index, moldova
):
    moderators = Group.objects.create(name="Overview moderators")
    task = GroupApprovalTask.objects.create(name="Moderators approve")
    task.groups.add(moderators)
    workflow = Workflow.objects.create(name="Overview review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        content_type=ContentType.objects.get_for_model(CountryOverview), workflow=workflow
    )
    editor = editor_client("add", "change", "view")
    assert 'name="action-submit"' in editor.get(admin_url("edit", moldova.pk)).content.decode()
    assert edit(editor, moldova, action="submit", introduction=DRAFT).status_code == 302
    state = WorkflowState.objects.for_instance(moldova).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert DRAFT not in public_view(client, countries_index, moldova)["country"]  # submitted is not published

    moderator = editor_client("add", "change", "view", "publish", groups=[moderators])
    task_state = state.current_task_state
    response = moderator.post(
        admin_url("workflow_action", moldova.pk, "approve", task_state.pk), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert DRAFT in public_view(client, countries_index, moldova)["country"]


def test_publishing_an_overview_empties_the_page_cache(settings, admin_client, countries_index, moldova):
    settings.PAGE_CACHE_SECONDS = 300
    reader = Client(HTTP_HOST="localhost")
    page = countries_index.url + "md/"
    assert PUBLISHED in reader.get(page).content.decode()
    edit(admin_client, moldova, introduction=DRAFT)
    assert reader.get(page)["X-Page-Cache"] == "hit"  # a draft changes nothing public
    edit(admin_client, moldova, action="publish")
    response = reader.get(page)
    assert response["X-Page-Cache"] == "miss"
    assert DRAFT in response.content.decode()


def test_the_preview_shows_the_unsaved_text_as_the_country_page_would(admin_client, moldova):
    form = querydict_from_html(
        admin_client.get(admin_url("edit", moldova.pk)).content.decode(), form_id="w-editor-form"
    )
    form["introduction"] = DRAFT
    preview = admin_url("preview_on_edit", moldova.pk)
    assert admin_client.post(preview, form).json()["is_valid"]
    html = admin_client.get(preview).content.decode()
    assert DRAFT in html and "Criminalising sexual abuse" in html
    moldova.refresh_from_db()
    assert moldova.introduction == PUBLISHED and moldova.latest_revision is None  # a preview saves nothing


def test_the_migration_publishes_a_first_revision_of_each_existing_overview(admin_client, moldova):
    OverviewSectionFactory(overview=moldova, manifestation="online", situation="Grooming on games platforms.")
    migration = importlib.import_module("publications.migrations.0002_country_overview_drafts_and_revisions")
    migration.publish_first_revisions(apps, None)
    moldova.refresh_from_db()
    assert moldova.live and not moldova.has_unpublished_changes
    assert moldova.latest_revision is not None and moldova.live_revision == moldova.latest_revision
    restored = moldova.latest_revision.as_object()
    assert restored.introduction == PUBLISHED
    assert [s.situation for s in restored.sections.all()] == ["Grooming on games platforms."]
    assert [a.compliance for a in restored.assessments.all()] == [Compliance.PARTIALLY]
    assert str(moldova) == moldova.latest_revision.object_str
    assert ModelLogEntry.objects.for_instance(moldova).filter(action="wagtail.publish").count() == 1
    history = admin_client.get(admin_url("history", moldova.pk)).content.decode()
    assert "Published" in history and "Live version" in history


def test_the_demo_publishes_each_overview_once_and_puts_overviews_under_moderation(library):
    from wagtail.models import Workflow

    # Wagtail's migrations create the workflow and groups; a transactional test run earlier flushes them.
    Workflow.objects.get_or_create(name="Moderators approval", defaults={"active": True})
    for group in ("Editors", "Moderators"):
        Group.objects.get_or_create(name=group)
    for _code, name, _published in demo.COUNTRY_OVERVIEWS:
        PublicationPageFactory(parent=library, slug=f"country-overview-{slugify(name)}")
    for _code, name in demo.JOINT_OVERVIEWS:
        PublicationPageFactory(parent=library, slug=f"joint-country-overview-{slugify(name)}")
    demo._build_overviews()
    demo._build_overviews()  # a second run publishes nothing new
    overviews = CountryOverview.objects.all()
    assert overviews.count() == len(demo.COUNTRY_OVERVIEWS) + len(demo.JOINT_OVERVIEWS)
    for overview in overviews:
        assert overview.status_string == "live"
        assert overview.live_revision is not None and overview.live_revision == overview.latest_revision
        assert overview.revisions.count() == 1
    assert CountryOverview.get_default_workflow().name == "Moderators approval"
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    assert not editors.permissions.filter(codename="publish_countryoverview").exists()
    assert editors.permissions.filter(codename="change_countryoverview").exists()
    assert moderators.permissions.filter(codename="publish_countryoverview").exists()
