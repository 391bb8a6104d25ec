"""Permission policies shared by the apps."""

from wagtail.permission_policies import ModelPermissionPolicy

WRITE_ACTIONS = frozenset({"add", "change", "delete", "lock", "unlock", "publish", "unpublish"})


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Records only code writes (audit logs): anyone with the view permission may list and inspect them, and
    nobody, superusers included, may add, change or delete one through the admin."""

    def user_has_permission(self, user, action):
        return action not in WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in WRITE_ACTIONS])
