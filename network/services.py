"""Writes for the network: the export of organisations in the columns the import reads (``network.imports``)."""

from __future__ import annotations

from collections.abc import Iterator

from network.import_formats import ORGANISATION_FIELDS, PEOPLE_FIELDS
from network.models import Organisation

COLUMNS = ORGANISATION_FIELDS
PEOPLE_COLUMNS = PEOPLE_FIELDS


def organisations_export_rows() -> Iterator[list[str]]:
    yield COLUMNS
    for o in Organisation.objects.select_related("region").prefetch_related("focus_areas", "aliases"):
        yield [
            o.name,
            o.short_name,
            o.kind,
            o.country.code,
            o.city,
            o.region.name if o.region else "",
            str(o.founded_year or ""),
            str(o.joined_on or ""),
            str(o.left_on or ""),
            o.website,
            "; ".join(f.name for f in o.focus_areas.all()),
            "; ".join(a.name for a in o.aliases.all()),
            o.description,
            o.slug,
        ]
