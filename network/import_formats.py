"""The network's export formats (kind "contacts"): Yearbook's own columns for organisations and people, and
CiviCRM's contact export of Organization and of Individual contacts, each read by the importer of what it holds."""

from core.imports.formats import ExportFormat, formats
from core.imports.tables import Column

KIND = "contacts"
ORGANISATIONS = "organisations"
PEOPLE = "people"

# The columns of Yearbook's own organisation file, as the export writes them and the import reads them.
ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "kind",
    "country",
    "city",
    "region",
    "founded_year",
    "joined_on",
    "left_on",
    "website",
    "focus_areas",
    "aliases",
    "description",
    "slug",
]
PEOPLE_FIELDS = ["name", "role", "organisation", "region", "may_be_quoted", "email"]

CIVICRM_DOCUMENTATION = (
    "CiviCRM User Guide, exporting contacts (a search's Actions → Export contacts → 'Export PRIMARY fields' or "
    "chosen fields): a CSV in UTF-8 whose headers are the fields' titles in civicrm-core's schema "
    "(xml/schema/Contact/*.xml), with countries by name"
)


def _own(field: str, *, required: bool = False) -> Column:
    # "short_name", "Short name" and "short name" alike: people retype headers.
    return Column(field, (field, field.replace("_", " ")), required=required)


YEARBOOK_ORGANISATIONS = formats.register(
    ExportFormat(
        name="yearbook-organisations",
        label="Yearbook organisations (the columns of the export)",
        kind=KIND,
        columns=tuple(_own(f, required=f == "name") for f in ORGANISATION_FIELDS),
        documentation="docs/network.md",
        options={"holds": ORGANISATIONS},
    )
)
YEARBOOK_PEOPLE = formats.register(
    ExportFormat(
        name="yearbook-people",
        label="Yearbook people",
        kind=KIND,
        columns=tuple(_own(f, required=f in ("name", "organisation")) for f in PEOPLE_FIELDS),
        documentation="docs/network.md",
        options={"holds": PEOPLE, "unknown_organisation": "error"},
    )
)
CIVICRM_ORGANISATIONS = formats.register(
    ExportFormat(
        name="civicrm-organisations",
        label="CiviCRM contact export (Organization contacts)",
        kind=KIND,
        columns=(
            Column("name", ("Organization Name",)),
            Column("contact_type", ("Contact Type",), required=False),
            # CiviCRM titled the field "Nick Name" before 4.7 and "Nickname" since.
            Column("short_name", ("Nick Name", "Nickname"), required=False),
            Column("legal_name", ("Legal Name",), required=False),
            Column("city", ("City",), required=False),
            Column("country", ("Country",), required=False),
            Column("website", ("Website",), required=False),
        ),
        documentation=CIVICRM_DOCUMENTATION,
        options={"holds": ORGANISATIONS, "contact_type": "Organization"},
    )
)
CIVICRM_INDIVIDUALS = formats.register(
    ExportFormat(
        name="civicrm-individuals",
        label="CiviCRM contact export (Individual contacts)",
        kind=KIND,
        columns=(
            Column("organisation", ("Current Employer",)),
            Column("contact_type", ("Contact Type",), required=False),
            Column("first_name", ("First Name",), required=False),
            Column("last_name", ("Last Name",), required=False),
            Column("display_name", ("Display Name",), required=False),
            Column("role", ("Job Title",), required=False),
            Column("email", ("Email",), required=False),
        ),
        documentation=CIVICRM_DOCUMENTATION,
        # A CRM holds everyone's contacts: people of organisations outside the network are skipped, not errors.
        options={"holds": PEOPLE, "contact_type": "Individual", "unknown_organisation": "skip"},
    )
)


def of_holding(holds: str) -> list[ExportFormat]:
    """The formats whose files hold organisations, or people."""
    return [f for f in formats.of_kind(KIND) if f.options.get("holds") == holds]
