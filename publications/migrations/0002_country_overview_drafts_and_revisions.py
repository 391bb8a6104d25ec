"""Country overviews get drafts, revisions, locking and moderation (Wagtail's snippet mixins); every existing
overview stays live and gets a first published revision, so its history starts here."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django_countries import countries
from modelcluster.models import get_serializable_data_for_fields

# OverviewKind's labels when this migration was written (for the revision's and the history's label).
KIND_LABELS = {
    "country": "Country overview",
    "joint": "Joint country overview (with the Lanzarote Committee Secretariat)",
}


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    # A fresh database has no content types until post_migrate: create it now, as Django would.
    return ContentType.objects.get_or_create(app_label="publications", model=model)[0]


def publish_first_revisions(apps, schema_editor):
    """Every overview that exists is live (the `live` default) with a first, published revision holding what it
    says now, so its history starts here and a later draft can be compared with it and reverted to it. The
    revision's content is what ``CountryOverview.serializable_data()`` gives: its fields and, as lists, its
    sections and assessments."""
    CountryOverview = apps.get_model("publications", "CountryOverview")
    Revision = apps.get_model("wagtailcore", "Revision")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = _content_type(apps, "countryoverview")
    now = timezone.now()
    for overview in CountryOverview.objects.filter(latest_revision__isnull=True).order_by("pk"):
        label = f"{countries.name(overview.country)} {overview.year} ({KIND_LABELS.get(overview.kind, overview.kind)})"
        content = get_serializable_data_for_fields(overview)
        content["sections"] = [
            get_serializable_data_for_fields(s) for s in overview.sections.order_by("sort_order", "pk")
        ]
        content["assessments"] = [
            get_serializable_data_for_fields(a) for a in overview.assessments.order_by("sort_order", "pk")
        ]
        revision = Revision.objects.create(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(overview.pk),
            created_at=now,
            object_str=label,
            content=content,
        )
        overview.live = True
        overview.has_unpublished_changes = False
        overview.latest_revision = revision
        overview.live_revision = revision
        overview.first_published_at = overview.first_published_at or now
        overview.last_published_at = now
        overview.save(
            update_fields=[
                "live",
                "has_unpublished_changes",
                "latest_revision",
                "live_revision",
                "first_published_at",
                "last_published_at",
            ]
        )
        ModelLogEntry.objects.create(
            content_type=content_type,
            object_id=str(overview.pk),
            label=label,
            action="wagtail.publish",
            data={},
            timestamp=now,
            revision=revision,
            content_changed=True,
        )


def forget_revisions(apps, schema_editor):
    """Going back to overviews without revisions: their revisions and the history entries pointing at them go."""
    Revision = apps.get_model("wagtailcore", "Revision")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    content_type = _content_type(apps, "countryoverview")
    revisions = Revision.objects.filter(base_content_type=content_type)
    ModelLogEntry.objects.filter(revision__in=revisions).delete()
    revisions.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="countryoverview",
            name="expire_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="expiry date/time"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="expired",
            field=models.BooleanField(default=False, editable=False, verbose_name="expired"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="first published at"
            ),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="go_live_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="go live date/time"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="has_unpublished_changes",
            field=models.BooleanField(default=False, editable=False, verbose_name="has unpublished changes"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="last_published_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last published at"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="latest_revision",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.revision",
                verbose_name="latest revision",
            ),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="live",
            field=models.BooleanField(default=True, editable=False, verbose_name="live"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="live_revision",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.revision",
                verbose_name="live revision",
            ),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="locked",
            field=models.BooleanField(default=False, editable=False, verbose_name="locked"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="locked_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="locked at"),
        ),
        migrations.AddField(
            model_name="countryoverview",
            name="locked_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="locked_%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="locked by",
            ),
        ),
        migrations.RunPython(publish_first_revisions, forget_revisions, elidable=False),
    ]
