"""reconcile_donations --since DATE [--until DATE] [--repair]: compare recorded payments with PayPal's."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from donations.paypal import PayPalError
from donations.services import donations_reconcile


class Command(BaseCommand):
    help = (
        "Report payments missing or different between Yearbook and PayPal; --repair records PayPal's version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--until", help="Last day, YYYY-MM-DD (default: now).")
        parser.add_argument(
            "--repair", action="store_true", help="Record PayPal's version of each difference (audited)."
        )

    def handle(self, *args, since, until, repair, **options):
        try:
            start = date.fromisoformat(since)
            end = date.fromisoformat(until) if until else None
        except ValueError as exc:
            raise CommandError(f"Dates are YYYY-MM-DD: {exc}") from exc
        if end is not None and end < start:
            raise CommandError(f"--until {end} is before --since {start}: nothing lies between them.")
        try:
            report = donations_reconcile(since=start, until=end, repair=repair, progress=self.stdout.write)
        except PayPalError as exc:
            raise CommandError(f"PayPal could not be reached: {exc}") from exc
        for label, lines in [
            ("Missing here", report.missing),
            ("Mismatched", report.mismatched),
            ("Recorded here, not at PayPal", report.unknown_here),
        ]:
            for line in lines:
                self.stdout.write(f"{label}: {line}")
        totals = ", ".join(f"{v} {c}" for c, v in sorted(report.paypal_totals.items())) or "nothing"
        self.stdout.write(f"PayPal totals: {totals}")
        if report.clean:
            self.stdout.write(self.style.SUCCESS("Everything matches."))
        elif repair:
            self.stdout.write(self.style.WARNING(f"Repaired {len(report.repaired)}."))
        else:
            raise CommandError("Differences found; run again with --repair to record PayPal's version.")
