"""Background tasks of donations: the sweep of unfinished gifts, reconciliation with PayPal, the retention sweep."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from donations.reconcile import donations_reconcile
from donations.services import donation_intents_sweep, donors_erase_expired


@task()
def donations_sweep() -> dict:
    """Close gifts that never reached PayPal and capture approved orders left uncaptured (schedule hourly:
    PayPal holds an approved order for three hours)."""
    report = donation_intents_sweep()
    return {
        "closed": len(report.closed),
        "captured": len(report.captured),
        "declined": len(report.declined),
        "expired": len(report.expired),
        "waiting": report.waiting,
    }


@task()
def donations_reconcile_recent(*, days: int = 3, repair: bool = True) -> dict:
    """Sweep, compare the last few days with PayPal's transaction search, erase expired donors (schedule daily).

    Each step runs whatever the one before did: PayPal being down never stops donors' erasure."""
    result: dict = {}
    try:
        result.update(donations_sweep.call())
    finally:
        try:
            report = donations_reconcile(since=timezone.localdate() - timedelta(days=days), repair=repair)
            result.update(
                checked=report.checked,
                missing=len(report.missing),
                mismatched=len(report.mismatched),
                unknown_here=len(report.unknown_here),
                not_donations=len(report.not_donations),
                repaired=len(report.repaired),
                unresolved=len(report.unresolved),
            )
        finally:
            result["donors_erased"] = donors_erase_expired()
    return result
