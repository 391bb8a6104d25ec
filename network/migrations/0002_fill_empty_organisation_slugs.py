"""Give a slug to the organisation the old importer saved without one (it broke /network/ and later imports)."""

from django.db import migrations
from django.utils.text import slugify


def fill_empty_slugs(apps, schema_editor):
    Organisation = apps.get_model("network", "Organisation")
    taken = set(Organisation.objects.exclude(slug="").values_list("slug", flat=True))
    for organisation in Organisation.objects.filter(slug=""):
        base = slugify(organisation.name)[:190].strip("-") or "organisation"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        organisation.slug = slug
        organisation.save(update_fields=["slug"])
        taken.add(slug)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(fill_empty_slugs, migrations.RunPython.noop)]
