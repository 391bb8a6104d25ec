"""One base class for every import command: a file, ``--format`` (recognised when not given), a dry run unless
``--write``, a progress bar, and the same account of what happened. A command that imports nothing fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.imports.formats import formats
from core.imports.report import ImportReport

SHOWN = 20


class ImportCommand(BaseCommand):
    """Subclasses set ``kind`` (the export formats offered) and ``noun``, and implement ``run_import``."""

    kind = ""
    noun = "rows"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The export as downloaded (CSV, TSV, XLS, XLSX or ZIP).")
        names = [name for name, _label in formats.choices(self.kind)]
        parser.add_argument(
            "--format",
            default="",
            help=f"The platform export; recognised from the file when not given. One of: {', '.join(names)}.",
        )
        parser.add_argument(
            "--write", action="store_true", help="Import when the file is valid (default: check only)."
        )

    def run_import(
        self, *, path: Path, export_format: str, write: bool, progress: Callable[[int], None], options: dict
    ) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, file: Path, format: str, write: bool, **options):
        if file.is_dir():
            raise CommandError(f"{file} is a directory; give the path of the exported file.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with tqdm(desc="rows", unit=" rows", disable=options["verbosity"] < 1) as bar:
            report = self.run_import(
                path=file, export_format=format, write=write, progress=bar.update, options=options
            )
        self.report(report)

    def report(self, report: ImportReport) -> None:
        if report.format_label:
            self.stdout.write(f"Format: {report.format_label}.")
        for note in report.notes:
            self.stdout.write(f"  {note}")
        if not report.skipped_count:
            self.stdout.write("Skipped 0 rows.")
        else:
            self.stdout.write(f"Skipped {report.skipped_count} row(s):")
            for line in report.skipped[:SHOWN]:
                self.stdout.write(f"  {line}")
            if report.skipped_count > SHOWN:
                self.stdout.write(f"  … and {report.skipped_count - SHOWN} more.")
        if report.errors:
            listed = "\n".join(report.errors[:SHOWN])
            more = f"\n… and {len(report.errors) - SHOWN} more." if len(report.errors) > SHOWN else ""
            raise CommandError(f"Nothing was written; {len(report.errors)} problem(s):\n{listed}{more}")
        for change in report.changes[:SHOWN] if not report.written else ():
            self.stdout.write(f"  {change}")
        if not report.imported:
            raise CommandError(
                f"Nothing was imported: the file has {report.rows} data row(s) and "
                f"{report.skipped_count} were skipped."
            )
        counts = f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged {self.noun}"
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"Imported: {counts}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Dry run, nothing written: {counts}. Add --write to import.")
            )
