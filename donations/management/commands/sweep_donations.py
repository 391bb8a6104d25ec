"""sweep_donations: close gifts that never reached PayPal and capture approved orders left uncaptured."""

from django.core.management.base import BaseCommand

from donations.services import donation_intents_sweep


class Command(BaseCommand):
    help = (
        "Close donation intents abandoned before PayPal was called and capture approved orders whose capture "
        "failed (run hourly: PayPal holds an approved order for three hours)."
    )

    def handle(self, *args, **options):
        report = donation_intents_sweep()
        self.stdout.write(
            f"Closed {len(report.closed)} never sent to PayPal; captured {len(report.captured)}; "
            f"{len(report.declined)} declined; {len(report.expired)} expired; {report.waiting} awaiting approval."
        )
