"""Attention over time: matched items per day, per organisation and source kind or collection, as counts and
shares of everything collected (Media Cloud's method), and the mention observations that feed comms figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from monitoring.models import Item, MatchStatus, SourceKind

COUNTED = (MatchStatus.PENDING, MatchStatus.CONFIRMED)  # everything a reviewer has not rejected

# Which comms channel each kind of source feeds: the press and broadcasters are traditional media; blogs and
# platforms are social media (the report's "traditional vs social" split).
CHANNEL_KINDS = {
    "traditional_media": (SourceKind.TRADITIONAL_NEWS, SourceKind.BROADCAST),
    "social_mentions": (SourceKind.BLOG, SourceKind.SOCIAL_PLATFORM),
}
MONITORING_SOURCE = "monitoring"


@dataclass(frozen=True)
class DailyAttention:
    day: date
    group: str
    matched: int
    total: int

    @property
    def share(self) -> Decimal:
        """Matched items as a percentage of all items collected that day in the group."""
        if not self.total:
            return Decimal(0)
        return (Decimal(self.matched) * 100 / self.total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _mention_filter(organisation=None, statuses=COUNTED) -> Q:
    condition = Q(matches__status__in=statuses)
    if organisation is not None:
        condition &= Q(matches__organisation=organisation)
    return condition


def daily_attention(
    *, start: date, end: date, organisation=None, by: str = "kind", statuses=COUNTED
) -> list[DailyAttention]:
    """One row per day and group (source kind, or collection slug) with matched and total original items."""
    group_field = {"kind": "source__kind", "collection": "source__collections__slug"}[by]
    rows = (
        Item.objects.originals()
        .filter(published_at__date__gte=start, published_at__date__lte=end)
        .annotate(day=TruncDate("published_at"))
        .values("day", group_field)
        .annotate(
            total=Count("id", distinct=True),
            matched=Count("id", filter=_mention_filter(organisation, statuses), distinct=True),
        )
        .order_by("day", group_field)
    )
    return [DailyAttention(r["day"], r[group_field] or "", r["matched"], r["total"]) for r in rows]


def matched_counts_by_day(*, kinds, organisation=None, statuses=COUNTED) -> dict[date, int]:
    """Original items from sources of `kinds` with at least one counted mention, per publication day."""
    rows = (
        Item.objects.originals()
        .filter(source__kind__in=kinds)
        .filter(_mention_filter(organisation, statuses))
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(n=Count("id", distinct=True))
        .order_by("day")
    )
    return {r["day"]: r["n"] for r in rows}


@dataclass(frozen=True)
class PeriodChange:
    current: int
    previous: int

    @property
    def change(self) -> Decimal | None:
        if not self.previous:
            return None
        change = Decimal(self.current - self.previous) * 100 / self.previous
        return change.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def period_change(*, kinds, period_end: date, organisation=None) -> PeriodChange:
    """Matched items in the year ending on `period_end` against the year before: calendar years, as the
    report's year-over-year figures count them (a year to 31 July 2024 holds 366 days)."""
    from core.periods import previous_year

    counts = matched_counts_by_day(kinds=kinds, organisation=organisation)
    start = previous_year(period_end)
    before = previous_year(start)
    current = sum(n for d, n in counts.items() if start < d <= period_end)
    previous = sum(n for d, n in counts.items() if before < d <= start)
    return PeriodChange(current, previous)


def monthly_series(*, kinds, organisation=None, start: date, end: date) -> list[tuple[date, int]]:
    """Matched items per month (first day of the month), for charts."""
    months: dict[date, int] = defaultdict(int)
    for day, n in matched_counts_by_day(kinds=kinds, organisation=organisation).items():
        if start <= day <= end:
            months[day.replace(day=1)] += n
    cursor, series = start.replace(day=1), []
    while cursor <= end:
        series.append((cursor, months.get(cursor, 0)))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return series


@transaction.atomic
def comms_mentions_update(*, statuses=COUNTED) -> int:
    """Replace the mention observations of the two media channels with daily counts of matched items.

    The observations carry the comms ImportSource "monitoring", so a figure's records say where they come from.
    """
    from comms.models import Channel, ChannelKind, ImportBatch, ImportSource, Measure, Observation

    source, _ = ImportSource.objects.update_or_create(
        name=MONITORING_SOURCE,
        defaults={
            "label": "Media monitoring: items naming the network (not rejected in review)",
            "channel_column": "channel",
            "date_column": "published",
            "date_format": "%Y-%m-%d",
            "columns": {"matched items": Measure.MENTIONS},
        },
    )
    rows = []
    for slug, kinds in CHANNEL_KINDS.items():
        channel, _ = Channel.objects.get_or_create(
            slug=slug, defaults={"name": ChannelKind(slug).label, "kind": slug}
        )
        counts = matched_counts_by_day(kinds=kinds, statuses=statuses)
        rows.extend(
            Observation(channel=channel, measure=Measure.MENTIONS, date=day, value=n, source=source)
            for day, n in counts.items()
        )
    batch, _ = ImportBatch.objects.get_or_create(source=source, filename="monitoring: matched items per day")
    existing = Observation.objects.filter(channel__slug__in=CHANNEL_KINDS, measure=Measure.MENTIONS)
    current = {(o.channel_id, o.date): o.value for o in existing}
    wanted = {(o.channel_id, o.date): Decimal(o.value) for o in rows}
    if current == wanted:  # nothing changed: leave the rows (and the demo's idempotency) alone
        return len(rows)
    existing.delete()
    for observation in rows:
        observation.batch = batch
    Observation.objects.bulk_create(rows, batch_size=2000)
    batch.row_count = batch.observation_count = len(rows)
    batch.save(update_fields=["row_count", "observation_count"])
    return len(rows)
