"""reconcile_donations --since DATE [--until DATE] [--repair]: compare recorded payments with PayPal's."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from donations.paypal import PayPalError
from donations.reconcile import donations_reconcile


class Command(BaseCommand):
    help = (
        "Report gifts missing or different between Yearbook and PayPal, and PayPal's rows that are not gifts "
        "(refunds, chargebacks, conversions, withdrawals); --repair records PayPal's version of each gift."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument(
            "--until", help="Last day, YYYY-MM-DD (default: now). Any length: searched 31 days at a time."
        )
        parser.add_argument(
            "--repair", action="store_true", help="Record PayPal's version of each differing gift."
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
            if exc.retryable:
                raise CommandError(f"PayPal could not be reached: {exc}") from exc
            raise CommandError(f"PayPal refused the transaction search: {exc}") from exc
        for label, lines in [
            ("Missing here", report.missing),
            ("Mismatched", report.mismatched),
            ("Recorded here, not at PayPal", report.unknown_here),
            ("Not a donation", report.not_donations),
            ("Not from Yearbook's form", report.not_ours),
            ("Not listed by PayPal yet (it lists within three hours)", report.not_listed_yet),
            ("Rebuilt from PayPal (this database had lost the gift)", report.rebuilt),
            ("Could not repair", report.errors),
        ]:
            for line in lines:
                self.stdout.write(f"{label}: {line}")
        totals = ", ".join(f"{v} {c}" for c, v in sorted(report.paypal_totals.items())) or "nothing"
        self.stdout.write(f"PayPal totals kept (gifts less refunds): {totals}")
        if report.repaired:
            self.stdout.write(f"Repaired {len(report.repaired)}.")
        unresolved = report.unresolved
        if not unresolved and not report.errors:
            self.stdout.write(self.style.SUCCESS("Everything matches."))
        elif repair:
            raise CommandError(
                f"{len(unresolved) + len(report.errors)} differences need a person (listed above)."
            )
        else:
            raise CommandError("Differences found; run again with --repair to record PayPal's version.")
