"""Who may change which organisation: the secretariat all of them, an organisation's editors only their own."""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from network.models import SECRETARIAT_GROUP, Organisation


def is_secretariat(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists())


def can_edit_organisation(user, organisation) -> bool:
    if organisation is None:
        return is_secretariat(user)
    return is_secretariat(user) or organisation.editors.filter(pk=user.pk).exists()


class OrganisationScopedPolicy(ModelPermissionPolicy):
    """Model permissions from groups, narrowed per instance to the user's own organisations.

    ``organisation_path`` is the lookup from the model to its Organisation ("" for Organisation itself)."""

    def __init__(self, model, organisation_path: str):
        super().__init__(model)
        self.organisation_path = organisation_path

    def _own(self, user) -> Q:
        field = f"{self.organisation_path}__editors" if self.organisation_path else "editors"
        return Q(**{field: user})

    def _organisation_of(self, instance):
        if not self.organisation_path:
            return instance
        return getattr(instance, self.organisation_path, None)

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


def organisations_for(user):
    return Organisation.objects.editable_by(user)
