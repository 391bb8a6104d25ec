"""import_people FILE [--write]: people of the network's organisations, checked first with a progress bar, all or
nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from network.services import people_import


class Command(BaseCommand):
    help = "Check a people CSV/XLSX (name, role, organisation, region, may_be_quoted, email); --write imports it."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The people CSV or XLSX.")
        parser.add_argument(
            "--write", action="store_true", help="Import when every row is valid (default: check only)."
        )

    def handle(self, *args, file, write, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        with tqdm(desc="rows", unit=" rows", disable=options["verbosity"] < 1) as bar:
            report = people_import(
                filename=file.name, content=file.read_bytes(), write=write, progress=lambda n: bar.update(1)
            )
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) in {report.rows} rows; nothing was written.")
        verb = "Imported" if report.written else "Dry run: all rows valid; add --write to import"
        self.stdout.write(self.style.SUCCESS(f"{verb} ({report.rows} rows)."))
