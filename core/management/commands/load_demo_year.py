"""Build (or bring up to date) the demo year 2022-2023 from the explicit data in each app's demo module."""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DemoContext, demo_steps


class Command(BaseCommand):
    help = (
        "Build the demo year from each app's demo module. Safe to run again: it converges, never duplicates."
    )

    def handle(self, *args, **options):
        steps = demo_steps()
        context = DemoContext(log=lambda message: self.stdout.write(f"    {message}"))
        with transaction.atomic():
            for number, step in enumerate(steps, start=1):
                self.stdout.write(f"[{number}/{len(steps)}] {step.name}")
                step.function(context)
        self.stdout.write(
            self.style.SUCCESS(f"Demo year {context.year_label} is ready ({len(steps)} steps).")
        )
