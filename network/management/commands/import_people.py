"""import_people FILE [--format F] [--write]: people of the network's organisations, a dry run by default listing
what each row would change; all or nothing."""

from core.imports.command import ImportCommand
from network.imports import people_import


class Command(ImportCommand):
    help = (
        "Check a people file (Yearbook's columns: name, role, organisation, region, may_be_quoted, email; or a "
        "CiviCRM export of Individuals); with --write, import it when every row is valid."
    )
    kind = "contacts"
    noun = "people"

    def run_import(self, *, path, export_format, write, progress, options):
        return people_import(
            filename=path.name,
            content=path.read_bytes(),
            write=write,
            progress=progress,
            export_format=export_format,
        )
