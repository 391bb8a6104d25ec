"""export_report YEAR DIR: the published report as static files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from report.export import export_report, find_report


class Command(BaseCommand):
    help = "Write the published report for YEAR (e.g. 2022-2023 or 2023) as static HTML + assets into DIR."

    def add_arguments(self, parser):
        parser.add_argument("year")
        parser.add_argument("directory", type=Path)

    def handle(self, *args, year, directory, **options):
        try:
            report = find_report(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        written = export_report(report=report, directory=directory, progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {directory}; open index.html."))
