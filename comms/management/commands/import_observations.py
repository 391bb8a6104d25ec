"""import_observations FILE [--format NAME | --source NAME] [--channel SLUG] [--write]: a platform export in."""

from comms.import_formats import KIND
from comms.services import observations_import
from core.imports.command import ImportCommand
from core.imports.numbers import NumberFormat


class Command(ImportCommand):
    help = (
        "Check a platform export (LinkedIn, Meta, GA4, Matomo, Plausible, X…) as downloaded; with --write, "
        "import it as observations (all or nothing, idempotent per day)."
    )
    kind = KIND
    noun = "observations"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--source", default="", help="A custom import source's name instead of a format.")
        parser.add_argument("--channel", default="", help="The channel's slug, when several are of its kind.")
        parser.add_argument(
            "--number-format",
            default="",
            choices=["", *NumberFormat.values],
            help="How the file writes numbers: point (1,234.5), comma (1.234,5) or auto.",
        )

    def run_import(self, *, path, export_format, write, progress, options):
        return observations_import(
            filename=path.name,
            content=path,
            export_format=export_format,
            source_name=options["source"],
            channel=options["channel"],
            number_format=options["number_format"],
            write=write,
            progress=progress,
        )
