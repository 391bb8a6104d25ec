from django.apps import AppConfig


class StoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stories"
    verbose_name = "Stories and consent"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from core.permissions import ViewOnlyPolicy
        from stories.models import ConsentAuditEntry

        # The audit log is evidence: the services write it, and no admin view may add, edit or delete an entry.
        register_permission_policy(ConsentAuditEntry, ViewOnlyPolicy(ConsentAuditEntry))
