from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from events import import_formats  # noqa: F401 (registers the attendance export formats)
        from events.models import ActionPointUpdate
        from events.permissions import ActionPointUpdatePolicy

        # Enforced by every admin view of updates: an organisation's editors follow only their own points.
        register_permission_policy(ActionPointUpdate, ActionPointUpdatePolicy(ActionPointUpdate))
