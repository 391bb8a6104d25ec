"""import_organisations FILE [--format F] [--kind K] [--write]: a dry run by default listing what each row would
change; with --write, the import when every row is valid (all or nothing)."""

from core.imports.command import ImportCommand
from network.imports import organisations_import
from network.models import OrganisationKind


class Command(ImportCommand):
    help = (
        "Check an organisations file (Yearbook's columns or a CiviCRM contact export); with --write, import it "
        "when every row is valid."
    )
    kind = "contacts"
    noun = "organisations"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--kind",
            default="",
            help="The kind of the new organisations whose row names none: "
            f"{', '.join(OrganisationKind.values)}. Without it such a row is an error.",
        )

    def run_import(self, *, path, export_format, write, progress, options):
        return organisations_import(
            filename=path.name,
            content=path.read_bytes(),
            write=write,
            progress=progress,
            kind=options["kind"],
            export_format=export_format,
        )
