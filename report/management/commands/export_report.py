"""export_report YEAR DIR: the published report as static files."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from report.export import export_report, find_report


class Command(BaseCommand):
    help = "Write the published report for YEAR (e.g. 2022-2023 or 2023) as static HTML + assets into DIR."

    def add_arguments(self, parser):
        parser.add_argument("year", help="The reporting year, e.g. 2022-2023 or 2023.")
        parser.add_argument("directory", help="Where to write the site (created if missing).")

    def handle(self, *args, year, directory, **options):
        try:
            report = find_report(year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # Checked before rendering anything, so a bad target fails at once and names the reason.
        if not directory.strip():  # Path("") would be the current directory
            raise CommandError("Give the directory to write into.")
        directory = Path(directory)
        if report.get_view_restrictions().exists():
            raise CommandError(f"{report.title} is private: a static copy would be readable by anyone.")
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory.")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {directory}: {exc.strerror}.") from exc
        if not os.access(directory, os.W_OK):
            raise CommandError(f"Cannot write to {directory}: permission denied.")
        try:
            written = export_report(report=report, directory=directory, progress=self.stdout.write)
        # A chapter that does not answer 200 (RuntimeError); the PDF missing from media (OSError).
        except (RuntimeError, OSError) as exc:
            raise CommandError(f"The export stopped: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {directory}; open index.html."))
