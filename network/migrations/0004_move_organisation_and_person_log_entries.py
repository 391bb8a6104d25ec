"""Move the history of organisations and people from Wagtail's ModelLogEntry to NetworkLogEntry, where the site
history report scopes it to a member editor's own organisations (and where their history views now read it)."""

from django.db import migrations

MOVED_MODELS = ("organisation", "person")
FIELDS = (
    "content_type_id",
    "label",
    "action",
    "data",
    "timestamp",
    "uuid",
    "user_id",
    "revision_id",
    "content_changed",
    "deleted",
    "object_id",
)


def _move(source, target, content_types):
    entries = source.objects.filter(content_type__in=content_types).order_by("timestamp", "id")
    target.objects.bulk_create(
        [target(**{field: getattr(entry, field) for field in FIELDS}) for entry in entries.iterator()],
        batch_size=500,
    )
    entries.delete()


def _content_types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="network", model__in=MOVED_MODELS)


def to_network_log(apps, schema_editor):
    _move(
        apps.get_model("wagtailcore", "ModelLogEntry"),
        apps.get_model("network", "NetworkLogEntry"),
        _content_types(apps),
    )


def to_model_log(apps, schema_editor):
    _move(
        apps.get_model("network", "NetworkLogEntry"),
        apps.get_model("wagtailcore", "ModelLogEntry"),
        _content_types(apps),
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0003_network_log_entry")]

    operations = [migrations.RunPython(to_network_log, to_model_log)]
