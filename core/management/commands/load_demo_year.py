"""Build (or bring up to date) the demo's reporting years (core.demo.DEMO_YEARS) from the explicit data in each
app's demo module."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DemoContext, demo_steps
from core.sites import host_and_port


class Command(BaseCommand):
    help = (
        "Build the demo years from each app's demo module. Safe to run again: it converges, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default="http://localhost",
            help="Where the demo will be served, e.g. http://127.0.0.1:8000 (used in canonical links, feeds, PDF).",
        )

    def handle(self, *args, **options):
        steps = demo_steps()
        try:
            host_and_port(options["site_url"])  # a bad address stops here, before any write
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        context = DemoContext(
            log=lambda message: self.stdout.write(f"    {message}"), site_url=options["site_url"]
        )
        with transaction.atomic():
            for number, step in enumerate(steps, start=1):
                self.stdout.write(f"[{number}/{len(steps)}] {step.name}")
                step.function(context)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo years {', '.join(year.label for year in context.years)} are ready ({len(steps)} steps)."
            )
        )
