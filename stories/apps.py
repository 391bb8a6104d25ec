from django.apps import AppConfig


class StoriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stories"
    verbose_name = "Stories and consent"

    def ready(self):
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published

        from core.permissions import ViewOnlyPolicy
        from stories.models import ConsentAuditEntry, StoryPage

        # The audit log is evidence: the services write it, and no admin view may add, edit or delete an entry.
        register_permission_policy(ConsentAuditEntry, ViewOnlyPolicy(ConsentAuditEntry))
        # Consent is checked on every path to publication, not only the editor's button (see story_publish_guard).
        page_published.connect(_guard_story, sender=StoryPage, dispatch_uid="story_consent_on_publish")


def _guard_story(sender, instance, revision=None, **kwargs) -> None:
    from stories.services import story_publish_guard

    story_publish_guard(story=instance, user=getattr(revision, "user", None))
