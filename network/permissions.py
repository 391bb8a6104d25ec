"""Who may change which organisation: the secretariat all of them, an organisation's editors only their own."""

from functools import cached_property

from django.db.models import Q
from wagtail.models import PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from network.models import SECRETARIAT_GROUP, MemberHighlightPage, Organisation


def is_secretariat(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists())


def can_edit_organisation(user, organisation) -> bool:
    if organisation is None:
        return is_secretariat(user)
    return is_secretariat(user) or organisation.editors.filter(pk=user.pk).exists()


class OrganisationScopedPolicy(ModelPermissionPolicy):
    """Model permissions from groups, narrowed per instance to the user's own organisations.

    ``organisation_path`` is the lookup from the model to its Organisation ("" for Organisation itself).
    ``secretariat_actions`` are refused to everyone outside the secretariat, whatever their model permissions."""

    def __init__(self, model, organisation_path: str, *, secretariat_actions: frozenset[str] = frozenset()):
        super().__init__(model)
        self.organisation_path = organisation_path
        self.secretariat_actions = secretariat_actions

    def _own(self, user) -> Q:
        field = f"{self.organisation_path}__editors" if self.organisation_path else "editors"
        return Q(**{field: user})

    def _organisation_of(self, instance):
        if not self.organisation_path:
            return instance
        return getattr(instance, self.organisation_path, None)

    def user_has_permission(self, user, action):
        if action in self.secretariat_actions and not is_secretariat(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        # Every action on an existing record (view, change, delete…) is limited to the user's own organisations.
        return action == "add" or can_edit_organisation(user, self._organisation_of(instance))

    def instances_user_has_any_permission_for(self, user, actions):
        qs = super().instances_user_has_any_permission_for(user, actions)
        return qs if is_secretariat(user) else qs.filter(self._own(user)).distinct()

    def instances_user_has_permission_for(self, user, action):
        qs = super().instances_user_has_permission_for(user, action)
        return qs if is_secretariat(user) else qs.filter(self._own(user)).distinct()


def without_foreign_highlights(user, pages):
    """``pages`` less the member highlights of organisations ``user`` may not edit (all of them kept for the
    secretariat). Their titles may be unpublished drafts, which Wagtail lists by their draft title."""
    if is_secretariat(user):  # an inactive user is never the secretariat
        return pages
    foreign = MemberHighlightPage.objects.exclude(organisation__editors=user).values("pk")
    return pages.exclude(pk__in=foreign)


class NetworkPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, less the member highlights of organisations the user may not edit.

    Wagtail asks this policy which pages a user may see in the site history report and its exports, the workflow
    reports, the page chooser, the admin API and the dashboard, so another organisation's drafts appear in none of
    them. Registered for every page model in ``NetworkConfig.ready``."""

    def instances_user_has_any_permission_for(self, user, actions):
        return without_foreign_highlights(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return without_foreign_highlights(user, super().explorable_instances(user))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        page = instance.specific_deferred
        return not isinstance(page, MemberHighlightPage) or can_edit_organisation(user, page.organisation)


def organisations_for(user):
    return Organisation.objects.editable_by(user)


class MemberHighlightPermissionTester(PagePermissionTester):
    """Page rights (from the network index) narrowed to the highlights of the user's own organisations.

    Every action on a highlight of an organisation the user may not edit is refused: edit, delete, publish,
    unpublish, copy, move, lock, view restrictions, moderation and revisions (the same checks guard preview, the
    draft view and revision comparison). Wagtail's page views, bulk actions, action menu and listing buttons all
    ask this tester (``MemberHighlightPage.permissions_for_user``), so no path needs a hook of its own."""

    @cached_property
    def for_own_organisation(self) -> bool:
        return can_edit_organisation(self.user, getattr(self.page, "organisation", None))

    def can_add_subpage(self):
        return self.for_own_organisation and super().can_add_subpage()

    def can_edit(self):
        return self.for_own_organisation and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self.for_own_organisation and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self):
        return self.for_own_organisation and super().can_unpublish()

    def can_publish(self):
        return self.for_own_organisation and super().can_publish()

    def can_submit_for_moderation(self):
        return self.for_own_organisation and super().can_submit_for_moderation()

    def can_set_view_restrictions(self):
        return self.for_own_organisation and super().can_set_view_restrictions()

    def can_unschedule(self):
        return self.for_own_organisation and super().can_unschedule()

    def can_lock(self):
        return self.for_own_organisation and super().can_lock()

    def can_unlock(self):
        return self.for_own_organisation and super().can_unlock()

    def can_publish_subpage(self):
        return self.for_own_organisation and super().can_publish_subpage()

    def can_reorder_children(self):
        return self.for_own_organisation and super().can_reorder_children()

    def can_move(self):
        return self.for_own_organisation and super().can_move()

    def can_copy(self):
        return self.for_own_organisation and super().can_copy()

    def can_move_to(self, destination):
        return self.for_own_organisation and super().can_move_to(destination)

    def can_copy_to(self, destination, recursive=False):
        return self.for_own_organisation and super().can_copy_to(destination, recursive=recursive)

    def can_view_revisions(self):
        return self.for_own_organisation and super().can_view_revisions()
