"""import_observations FILE --source NAME [--dry-run]: load a platform export into observations."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from comms.services import ImportRejected, observations_import


class Command(BaseCommand):
    help = "Import a CSV or XLSX platform export as observations (all-or-nothing, idempotent per day)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX export (a date column and a value column).")
        parser.add_argument("--source", required=True, help="The ImportSource name, e.g. linkedin-followers.")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")

    def handle(self, *args, file, source, dry_run, **options):
        if Path(file).is_dir():
            raise CommandError(f"{file} is a directory; give the path of a .csv or .xlsx file.")
        with tqdm(desc="Writing rows", unit="row", disable=options["verbosity"] < 1) as bar:
            try:
                result = observations_import(
                    path=file, source_name=source, dry_run=dry_run, progress=bar.update
                )
            except ImportRejected as rejected:
                raise CommandError("Nothing was imported:\n" + "\n".join(rejected.errors)) from None
            except FileNotFoundError:
                raise CommandError(f"No such file: {file}") from None
            except OSError as error:  # e.g. not readable, or a directory named like a file
                raise CommandError(f"{file} cannot be read: {error.strerror or error}.") from None
        if dry_run:
            self.stdout.write(f"{result.rows} rows are valid; nothing written (dry run).")
        else:
            self.stdout.write(f"Imported {result.rows} rows as {result.observations} observations.")
