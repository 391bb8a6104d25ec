"""Donation figures for the report registry; they compute only when the organisation publishes them."""

from datetime import date

from wagtail.models import Site

from core.statistics import Figure, StatisticError, registry
from donations.models import Donation, DonationSettings


def _published() -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or not DonationSettings.for_site(site).publish_statistics:
        raise StatisticError(
            "Donation figures are not published. Switch on “Publish statistics” in Settings › Donation settings."
        )


def _payments(start: date, end: date):
    return Donation.objects.counted().filter(received_at__date__gte=start, received_at__date__lte=end)


@registry.register("donations.donors", label="Donors")
def donors(start: date, end: date) -> Figure:
    _published()
    n = _payments(start, end).values("donor").distinct().count()
    return Figure(
        n, f"People who gave at least once between {start:%d %b %Y} and {end:%d %b %Y} (refunds excluded)."
    )


@registry.register("donations.monthly_donors", label="Monthly donors")
def monthly_donors(start: date, end: date) -> Figure:
    _published()
    n = _payments(start, end).filter(subscription__isnull=False).values("donor").distinct().count()
    return Figure(
        n, f"People whose monthly gift was paid at least once between {start:%d %b %Y} and {end:%d %b %Y}."
    )


@registry.register("donations.amount", label="Amount donated", unit="currency")
def amount(start: date, end: date, currency: str) -> Figure:
    _published()
    totals = _payments(start, end).totals_by_currency()
    value = totals.get(currency.upper(), 0)
    return Figure(
        value,
        f"Sum of {currency.upper()} payments PayPal confirmed between {start:%d %b %Y} and {end:%d %b %Y}, "
        "refunds and reversals excluded; other currencies are counted separately, not converted.",
        unit="currency",
    )
