"""Background tasks of donations: the scheduled reconciliation with PayPal and the retention sweep."""

from datetime import date, timedelta

from django_tasks import task


@task()
def donations_reconcile_recent(*, days: int = 3, repair: bool = True) -> dict:
    """Compare the last few days with PayPal's transaction search (schedule daily); returns the counts."""
    from donations.services import donations_reconcile, donors_erase_expired

    report = donations_reconcile(since=date.today() - timedelta(days=days), repair=repair)
    erased = donors_erase_expired()
    return {
        "checked": report.checked,
        "missing": len(report.missing),
        "mismatched": len(report.mismatched),
        "unknown_here": len(report.unknown_here),
        "repaired": len(report.repaired),
        "donors_erased": erased,
    }
