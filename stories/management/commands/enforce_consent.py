"""Take down every quote and story whose consent expired or was withdrawn (schedule it daily)."""

from django.core.management.base import BaseCommand

from stories.services import consent_enforce


class Command(BaseCommand):
    help = "Unpublish stories and hide quotes whose consent is no longer valid; each action is audited."

    def handle(self, *args, **options):
        count = consent_enforce()
        self.stdout.write(f"Took down {count} item(s) without valid consent.")
