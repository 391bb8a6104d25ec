"""A member highlight is changed, published and read in the admin only by its organisation's editors and the
secretariat, on every Wagtail path: single and bulk actions, copy, move, lock, privacy, preview and revisions."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowTask

from network.factories import OrganisationFactory
from network.models import MEMBER_EDITORS_GROUP, SECRETARIAT_GROUP, MemberHighlightPage, NetworkIndexPage

EMPTY_RICH_TEXT = '{"blocks":[],"entityMap":{}}'
B_DRAFT_TEXT = "B's unpublished draft"


@pytest.fixture
def world(site, django_user_model):
    """Org A's editor holds the page rights member editors need for their own highlights (add, change and
    publish on the network index); B has a live highlight and a draft one with unpublished changes."""
    group, _ = Group.objects.get_or_create(name=MEMBER_EDITORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            codename__in=[
                "access_admin",
                "add_person",
                "change_person",
                "delete_person",
                "change_organisation",
            ]
        )
    )
    a, b = OrganisationFactory(name="Org A"), OrganisationFactory(name="Org B")
    index = site.root_page.add_child(instance=NetworkIndexPage(title="Network", slug="network"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    editor = django_user_model.objects.create_user("editor-a", password="x")
    editor.groups.add(group)
    a.editors.add(editor)
    highlight_a = index.add_child(
        instance=MemberHighlightPage(title="A story", slug="a-story", organisation=a)
    )
    highlight_b = index.add_child(
        instance=MemberHighlightPage(title="B story", slug="b-story", organisation=b)
    )
    highlight_b.body = f"<p>{B_DRAFT_TEXT}</p>"
    draft_revision = highlight_b.save_revision()
    draft_b = index.add_child(
        instance=MemberHighlightPage(title="B draft", slug="b-draft", organisation=b, live=False)
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)
    return {
        "a": a,
        "b": b,
        "index": index,
        "editor": editor,
        "highlight_a": highlight_a,
        "highlight_b": highlight_b,
        "draft_b": draft_b,
        "draft_revision": draft_revision,
        "client": client,
    }


@pytest.fixture
def editors_can_lock(world):
    """Lock rights on the index too, so only the organisation check can refuse the lock."""
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=MEMBER_EDITORS_GROUP),
        page=world["index"],
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="lock_page"),
    )


def _live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


# --- Acting on another organisation's highlight -----------------------------------------------------------------


def test_an_organisation_editor_cannot_unpublish_another_organisations_highlight(world):
    world["client"].post(f"/admin/pages/{world['highlight_b'].pk}/unpublish/")
    assert _live(world["highlight_b"])


def test_an_organisation_editor_cannot_bulk_unpublish_another_organisations_highlight(world):
    world["client"].post(f"/admin/bulk/wagtailcore/page/unpublish/?id={world['highlight_b'].pk}")
    assert _live(world["highlight_b"])


def test_an_organisation_editor_cannot_bulk_delete_another_organisations_highlight(world):
    world["client"].post(f"/admin/bulk/wagtailcore/page/delete/?id={world['highlight_b'].pk}")
    assert Page.objects.filter(pk=world["highlight_b"].pk).exists()


def test_an_organisation_editor_cannot_bulk_publish_another_organisations_draft_highlight(world):
    world["client"].post(f"/admin/bulk/wagtailcore/page/publish/?id={world['draft_b'].pk}")
    assert not _live(world["draft_b"])


def test_an_organisation_editor_cannot_copy_another_organisations_highlight(world):
    world["client"].post(
        f"/admin/pages/{world['highlight_b'].pk}/copy/",
        {
            "new_title": "B copy",
            "new_slug": "b-copy",
            "new_parent_page": world["index"].pk,
            "publish_copies": "on",
        },
    )
    assert not Page.objects.filter(slug="b-copy").exists()


def test_an_organisation_editor_cannot_lock_another_organisations_highlight(world, editors_can_lock):
    world["client"].post(f"/admin/pages/{world['highlight_b'].pk}/lock/")
    assert not Page.objects.get(pk=world["highlight_b"].pk).locked


def test_an_organisation_editor_cannot_restrict_who_sees_another_organisations_highlight(world):
    world["client"].post(
        f"/admin/pages/{world['highlight_b'].pk}/privacy/", {"restriction_type": "password", "password": "x"}
    )
    assert not world["highlight_b"].view_restrictions.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/{highlight_b.pk}/edit/",
        "/admin/pages/{highlight_b.pk}/delete/",
        "/admin/pages/{highlight_b.pk}/unpublish/",
        "/admin/pages/{highlight_b.pk}/copy/",
        "/admin/pages/{highlight_b.pk}/move/",
        "/admin/pages/{highlight_b.pk}/privacy/",
        "/admin/pages/{highlight_b.pk}/view_draft/",
        "/admin/pages/{highlight_b.pk}/edit/preview/",
        "/admin/pages/{highlight_b.pk}/history/",
        "/admin/pages/{highlight_b.pk}/revisions/{draft_revision.pk}/view/",
        "/admin/pages/{highlight_b.pk}/revisions/{draft_revision.pk}/revert/",
        "/admin/pages/{highlight_b.pk}/revisions/compare/live...{draft_revision.pk}/",
        "/admin/pages/{highlight_b.pk}/workflow_history/",
    ],
)
def test_an_organisation_editor_can_neither_open_nor_read_another_organisations_highlight_in_the_admin(
    world, url
):
    response = world["client"].get(url.format(**world))
    assert response.status_code != 200, response.status_code
    assert B_DRAFT_TEXT not in response.content.decode()


def test_every_page_permission_is_refused_on_another_organisations_highlight(world):
    # As Wagtail's views ask it: through a plain Page, not the specific highlight.
    permissions = Page.objects.get(pk=world["highlight_b"].pk).permissions_for_user(world["editor"])
    refused = {
        name: getattr(permissions, name)()
        for name in (
            "can_edit",
            "can_delete",
            "can_publish",
            "can_unpublish",
            "can_copy",
            "can_move",
            "can_lock",
            "can_unlock",
            "can_unschedule",
            "can_set_view_restrictions",
            "can_view_revisions",
            "can_submit_for_moderation",
            "can_add_subpage",
            "can_publish_subpage",
            "can_reorder_children",
        )
    }
    assert not any(refused.values()), refused
    assert not permissions.can_copy_to(world["index"])
    assert not permissions.can_move_to(world["index"])


# --- Attributing a highlight to another organisation ------------------------------------------------------------


def test_an_organisation_editor_cannot_publish_a_highlight_in_another_organisations_name(world):
    response = world["client"].post(
        f"/admin/pages/add/network/memberhighlightpage/{world['index'].pk}/",
        {
            "title": "B endorses X",
            "slug": "fake",
            "organisation": world["b"].pk,
            "body": EMPTY_RICH_TEXT,
            "action-publish": "publish",
        },
    )
    assert not MemberHighlightPage.objects.filter(slug="fake").exists()
    assert "Choose one of your own organisations" in response.content.decode()


def test_an_organisation_editor_cannot_reassign_their_highlight_to_another_organisation(world):
    highlight = world["highlight_a"]
    response = world["client"].post(
        f"/admin/pages/{highlight.pk}/edit/",
        {
            "title": highlight.title,
            "slug": highlight.slug,
            "organisation": world["b"].pk,
            "body": EMPTY_RICH_TEXT,
            "action-publish": "publish",
        },
    )
    assert MemberHighlightPage.objects.get(pk=highlight.pk).organisation == world["a"]
    assert "Choose one of your own organisations" in response.content.decode()


def test_the_highlight_form_offers_an_organisation_editor_only_their_own_organisations(world):
    html = world["client"].get(f"/admin/pages/add/network/memberhighlightpage/{world['index'].pk}/").content
    assert "Org A" in html.decode() and "Org B" not in html.decode()


def test_the_highlight_form_offers_the_secretariat_every_organisation(world, django_user_model):
    staff = django_user_model.objects.create_user("secretariat", password="x")
    staff.groups.add(
        *Group.objects.filter(name=MEMBER_EDITORS_GROUP), Group.objects.create(name=SECRETARIAT_GROUP)
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    html = client.get(f"/admin/pages/add/network/memberhighlightpage/{world['index'].pk}/").content.decode()
    assert "Org A" in html and "Org B" in html


# --- Their own highlights stay theirs to run --------------------------------------------------------------------


def test_an_organisation_editor_publishes_a_highlight_in_their_own_organisations_name(world):
    response = world["client"].post(
        f"/admin/pages/add/network/memberhighlightpage/{world['index'].pk}/",
        {
            "title": "Our year",
            "slug": "our-year",
            "organisation": world["a"].pk,
            "body": EMPTY_RICH_TEXT,
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302
    assert MemberHighlightPage.objects.get(slug="our-year").live


def test_an_organisation_editor_edits_unpublishes_and_reads_the_history_of_their_own_highlight(world):
    client, highlight = world["client"], world["highlight_a"]
    assert client.get(f"/admin/pages/{highlight.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{highlight.pk}/history/").status_code == 200
    client.post(f"/admin/pages/{highlight.pk}/unpublish/")
    assert not _live(highlight)
    client.post(f"/admin/bulk/wagtailcore/page/publish/?id={highlight.pk}")
    assert _live(highlight)


def test_the_secretariat_acts_on_every_organisations_highlight(world, django_user_model):
    staff = django_user_model.objects.create_user("secretariat", password="x")
    staff.groups.add(
        *Group.objects.filter(name=MEMBER_EDITORS_GROUP), Group.objects.create(name=SECRETARIAT_GROUP)
    )
    permissions = world["highlight_b"].permissions_for_user(staff)
    assert permissions.can_edit() and permissions.can_unpublish() and permissions.can_view_revisions()


# Another organisation's drafts stay out of every list Wagtail builds -------------------------------------------


@pytest.fixture
def logged_and_in_moderation(world, django_user_model):
    """B's draft has a history and sits in the default workflow, as it would after a week of editing."""
    from wagtail.log_actions import log

    root = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    for page in (world["draft_b"], world["highlight_a"]):
        log(instance=page, action="wagtail.edit", user=root)
    # A workflow of its own: a transactional test run before this one may have flushed Wagtail's default.
    workflow = Workflow.objects.create(name="Highlight review")
    WorkflowTask.objects.create(
        workflow=workflow, task=GroupApprovalTask.objects.create(name="Secretariat approval"), sort_order=0
    )
    for page in (world["draft_b"], world["highlight_a"]):
        page.save_revision(user=root)
        workflow.start(page, root)
    return root


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/site-history/",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/workflow/",
        "/admin/reports/workflow/?export=csv",
        "/admin/reports/workflow_tasks/",
        "/admin/choose-page/search/?q=draft",
    ],
)
def test_another_organisations_draft_is_named_in_no_report_or_chooser(world, logged_and_in_moderation, url):
    response = world["client"].get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"B draft" not in body

    secretariat = Client(HTTP_HOST="localhost")
    secretariat.force_login(logged_and_in_moderation)
    full = secretariat.get(url)
    full_body = b"".join(full.streaming_content) if full.streaming else full.content
    assert b"B draft" in full_body  # the report does list it, to whoever may see it


def test_the_site_history_still_lists_the_editors_own_highlight(world, logged_and_in_moderation):
    html = world["client"].get("/admin/reports/site-history/").content.decode()
    assert "A story" in html


@pytest.mark.parametrize("action", ["delete", "publish", "unpublish", "move"])
def test_a_bulk_action_confirmation_does_not_name_pages_the_editor_may_not_act_on(world, action):
    url = f"/admin/bulk/wagtailcore/page/{action}/?id={world['draft_b'].pk}&id={world['highlight_a'].pk}"
    html = world["client"].get(url).content.decode()
    assert "B draft" not in html
    assert "1 selected item left out" in html


def test_the_usage_listing_of_another_organisations_draft_is_refused(world):
    response = world["client"].get(f"/admin/pages/{world['draft_b'].pk}/usage/")
    assert response.status_code in (302, 403)
    assert "B draft" not in response.content.decode()


def test_the_explorer_lists_only_the_editors_own_highlights(world):
    html = world["client"].get(f"/admin/pages/{world['index'].pk}/").content.decode()
    assert "A story" in html
    assert "B draft" not in html and "B story" not in html
