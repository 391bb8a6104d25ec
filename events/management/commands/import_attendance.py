"""import_attendance EVENT_SLUG FILE [--write]: check (and with --write, import) an attendance list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import EventPage
from events.services import attendance_import


class Command(BaseCommand):
    help = "Check an attendance CSV/XLSX against an event; --write imports it when every row is valid."

    def add_arguments(self, parser):
        parser.add_argument("event", help="The event page's slug, e.g. global-boys-summit-2023.")
        parser.add_argument("file", type=Path, help="The attendance CSV or XLSX.")
        parser.add_argument(
            "--write", action="store_true", help="Import when every row is valid (default: check only)."
        )

    def handle(self, *args, event, file, write, **options):
        page = EventPage.objects.filter(slug=event).first()
        if page is None:
            raise CommandError(f"No event with the slug {event!r}.")
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        report = attendance_import(
            event=page, filename=file.name, content=file.read_bytes(), dry_run=not write
        )
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) in {report.rows} rows; nothing was written.")
        verb = "Imported" if report.written else "Dry run: would import"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.created} participants into {page.title}."))
