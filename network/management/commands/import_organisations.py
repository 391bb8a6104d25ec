"""import_organisations FILE [--write]: dry run by default, with a progress bar and per-row problems."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from network.services import organisations_import


class Command(BaseCommand):
    help = (
        "Check an organisations CSV/XLSX; with --write, import it when every row is valid (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The organisations CSV or XLSX.")
        parser.add_argument(
            "--write", action="store_true", help="Import when every row is valid (default: check only)."
        )

    def handle(self, *args, file, write, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        with tqdm(desc="rows", unit=" rows", disable=options["verbosity"] < 1) as bar:
            report = organisations_import(
                filename=file.name, content=file.read_bytes(), write=write, progress=lambda n: bar.update(1)
            )
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) in {report.rows} rows; nothing was written.")
        if report.written:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported {report.created} new and {report.updated} updated organisations."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Dry run: all {report.rows} rows are valid. Add --write to import.")
            )
