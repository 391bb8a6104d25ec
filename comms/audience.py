"""Audience totals (stocks) on a day, whether recorded or counted on from a known total with daily flows.

LinkedIn, Meta and X export only the follows of each day, never the follower count. A count on day D is then a
known total at T (a baseline entered once, or a recorded total from an export that carries one) plus the net
follows in (T, D], or, when the only known total is later, that total minus the net follows in (D, T]. The
derivation says which, so a reader can check it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Sum, Value, When

from comms.models import FLOWS_INTO_STOCK, AudienceBaseline, Channel, Measure, Observation
from core.formatting import format_number


def format_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class StockValue:
    value: Decimal
    how: str  # how the value was found, for the derivation


class NoKnownTotal(LookupError):
    """Flows are recorded but no total to count them from; the message says what to enter."""


def _net_flows(channel: Channel, measure: str, after: date, through: date) -> tuple[Decimal, int]:
    """(sum of signed flows in (after, through], number of days with a flow recorded)."""
    flows = FLOWS_INTO_STOCK[measure]
    rows = Observation.objects.filter(
        channel=channel, measure__in=[m for m, _ in flows], date__gt=after, date__lte=through
    )
    signed = Case(
        *[When(measure=m, then=F("value") * Value(sign)) for m, sign in flows],
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    found = rows.aggregate(net=Sum(signed))
    return found["net"] or Decimal(0), rows.values("date").distinct().count()


def has_flows(channel: Channel, measure: str) -> bool:
    flows = FLOWS_INTO_STOCK.get(measure)
    return (
        bool(flows)
        and Observation.objects.filter(channel=channel, measure__in=[m for m, _ in flows]).exists()
    )


def _anchors(channel: Channel, measure: str, day: date) -> tuple[tuple | None, tuple | None]:
    """The known totals nearest to ``day``: (the latest on or before it, the earliest after it), each as
    (date, value, what it is)."""
    known = [
        (AudienceBaseline.objects.filter(channel=channel, measure=measure), "a known total"),
        (Observation.objects.filter(channel=channel, measure=measure), "recorded"),
    ]

    def nearest(condition: dict, order: str) -> list[tuple]:
        return [
            (*row, what)
            for rows, what in known
            for row in rows.filter(**condition).order_by(order).values_list("date", "value")[:1]
        ]

    before = nearest({"date__lte": day}, "-date")
    after = nearest({"date__gt": day}, "date")
    return max(before, default=None, key=lambda a: a[0]), min(after, default=None, key=lambda a: a[0])


def counted_stock(channel: Channel, measure: str, day: date) -> StockValue:
    """The total on ``day`` counted from the nearest known total and the flows between; raises NoKnownTotal."""
    before, after = _anchors(channel, measure, day)
    flow_label = Measure(FLOWS_INTO_STOCK[measure][0][0]).label.lower()
    if before is not None:
        anchor_day, anchor_value, what = before
        net, days = _net_flows(channel, measure, anchor_day, day)
        value = anchor_value + net
        span = (day - anchor_day).days
        how = (
            f"{format_number(anchor_value)} on {format_day(anchor_day)} ({what}) + {format_number(net)} net "
            f"{flow_label} to {format_day(day)}"
        )
    elif after is not None:
        anchor_day, anchor_value, what = after
        net, days = _net_flows(channel, measure, day, anchor_day)
        value = anchor_value - net
        span = (anchor_day - day).days
        how = (
            f"{format_number(anchor_value)} on {format_day(anchor_day)} ({what}) − {format_number(net)} net "
            f"{flow_label} after {format_day(day)}"
        )
    else:
        raise NoKnownTotal(
            f"{channel} records only daily {flow_label}, and no total to count them from: enter the "
            f"{Measure(measure).label.lower()} on one day under Communications › Audience totals."
        )
    if span and days < span:
        how += f" ({days} of {span} days have counts)"
    return StockValue(value=value, how=how)


def stock_on(channel: Channel, measure: str, day: date, *, since: date) -> StockValue | None:
    """The total on ``day``: the latest recorded in (``since``, ``day``], else counted from flows; None when
    neither exists. Raises NoKnownTotal when flows exist without a total to count from."""
    recorded = (
        Observation.objects.filter(channel=channel, measure=measure, date__lte=day, date__gt=since)
        .order_by("-date")
        .values_list("date", "value")
        .first()
    )
    if recorded is not None:
        return StockValue(
            value=recorded[1], how=f"{format_number(recorded[1])} recorded on {format_day(recorded[0])}"
        )
    if not has_flows(channel, measure):
        return None
    return counted_stock(channel, measure, day)


def counted_series(
    channel: Channel, measure: str, start: date, end: date
) -> tuple[tuple[date, Decimal], ...]:
    """(day, total) for each day in (start, end] with a flow recorded, counted on from the total on ``start``."""
    total = counted_stock(channel, measure, start).value
    flows = dict(FLOWS_INTO_STOCK[measure])
    by_day: dict[date, Decimal] = {}
    for day, flow, value in (
        Observation.objects.filter(channel=channel, measure__in=list(flows), date__gt=start, date__lte=end)
        .order_by("date")
        .values_list("date", "measure", "value")
    ):
        by_day[day] = by_day.get(day, Decimal(0)) + value * flows[flow]
    points = []
    for day in sorted(by_day):
        total += by_day[day]
        points.append((day, total))
    return tuple(points)
