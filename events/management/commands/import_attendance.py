"""import_attendance EVENT_SLUG FILE [--format NAME] [--write]: check (and with --write, import) an attendance list
as a platform exported it (Zoom, Eventbrite, Google Forms or Yearbook's own columns)."""

from pathlib import Path

from django.core.management.base import CommandError

from core.imports.command import ImportCommand
from core.imports.report import ImportReport
from events.attendance import attendance_import
from events.import_formats import KIND
from events.models import EventPage


class Command(ImportCommand):
    help = (
        "Merge an attendance list (CSV, XLSX or ZIP as downloaded) into an event by email; --write imports it "
        "when every row is valid."
    )
    kind = KIND
    noun = "participants"

    def add_arguments(self, parser):
        parser.add_argument("event", help="The event page's slug, e.g. global-boys-summit-2023.")
        super().add_arguments(parser)

    def run_import(
        self, *, path: Path, export_format: str, write: bool, progress, options: dict
    ) -> ImportReport:
        page = EventPage.objects.filter(slug=options["event"]).first()
        if page is None:
            raise CommandError(f"No event with the slug {options['event']!r}.")
        return attendance_import(
            event=page,
            filename=path.name,
            content=path,
            export_format=export_format,
            write=write,
            progress=progress,
        )
