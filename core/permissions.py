"""Permission policies shared by the apps."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

WRITE_ACTIONS = frozenset({"add", "change", "delete", "lock", "unlock", "publish", "unpublish"})


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Records only code writes (audit logs): anyone with the view permission may list and inspect them, and
    nobody, superusers included, may add, change or delete one through the admin."""

    def user_has_permission(self, user, action):
        return action not in WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        readable = [a for a in actions if a not in WRITE_ACTIONS]
        if not readable:  # the base class would still list every superuser, whom user_has_permission refuses
            return get_user_model().objects.none()
        return super().users_with_any_permission(readable)
