"""Year-over-year figures for channels, computed from observations.

Definitions (``yoy_compute``):
- Audience measures (followers, subscribers) are stocks: the latest value on or before the end of the period
  is compared with the latest value on or before the end of the previous period (one year earlier).
- Every other measure (visits, page views, mentions, listens…) is a flow: the sum over the twelve months
  ending on ``period_end`` is compared with the sum over the twelve months before.
Rounding: the change is (current − previous) / previous × 100, rounded half-up to two decimal places; it is
shown without trailing zeros (27.00 → "+27%", 12.50 → "+12.5%").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import MINYEAR, date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.urls import reverse

from comms.audience import NoKnownTotal, counted_series, format_day, has_flows, stock_on
from comms.models import STOCK_MEASURES, Channel, Measure, Observation, PodcastEpisodePage
from core.formatting import format_number, format_percent
from core.periods import previous_year
from core.statistics import Figure, Listing, ListingItem, Series, StatisticError, registry

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class YearOnYear:
    channel: Channel
    measure: str
    period_end: date
    previous_end: date
    current: Decimal
    previous: Decimal
    change: Decimal  # percent, two decimal places
    stock: bool
    how: tuple[str, str] = ("", "")  # how each total was found, when counted from flows rather than recorded

    @property
    def change_text(self) -> str:
        return format_percent(self.change)


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise StatisticError(f"period_end {value!r} is not a date (YYYY-MM-DD).") from None


def yoy_compute(*, channel: str, measure: str, period_end: date | str) -> YearOnYear:
    period_end = _as_date(period_end)
    if period_end.year < MINYEAR + 2:  # the previous period starts a year before the previous end
        raise StatisticError(
            f"period_end {period_end.isoformat()} is too early: a year-over-year change needs the two years "
            "before it."
        )
    found = Channel.objects.filter(slug=channel).first()
    if found is None:
        raise StatisticError(f"There is no channel {channel!r}.")
    if measure not in Measure.values:
        raise StatisticError(f"There is no measure {measure!r}.")
    previous_end = previous_year(period_end)
    observations = Observation.objects.filter(channel=found, measure=measure)
    stock = measure in STOCK_MEASURES
    how = ("", "")
    if stock:
        values = []
        for end in (period_end, previous_end):
            try:
                value = stock_on(found, measure, end, since=previous_year(end))
            except NoKnownTotal as missing:
                raise StatisticError(str(missing)) from None
            if value is None:
                raise StatisticError(f"No {measure} recorded for {found} in the year to {format_day(end)}.")
            values.append(value)
        current, previous = (v.value for v in values)
        if any("recorded on" not in v.how for v in values):
            how = (values[0].how, values[1].how)
    else:
        before_start = previous_year(previous_end)
        current = observations.filter(date__gt=previous_end, date__lte=period_end).aggregate(s=Sum("value"))[
            "s"
        ]
        previous = observations.filter(date__gt=before_start, date__lte=previous_end).aggregate(
            s=Sum("value")
        )["s"]
        if current is None or previous is None:
            raise StatisticError(
                f"No {measure} recorded for {found} in both years to {format_day(period_end)}."
            )
    if previous == 0:
        raise StatisticError(f"{found} {measure} was zero the year before; a change cannot be computed.")
    change = ((current - previous) / previous * 100).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return YearOnYear(found, measure, period_end, previous_end, current, previous, change, stock, how)


def series_label(channel_name: str, measure: str) -> str:
    """The series name, e.g. LinkedIn followers; the measure is not repeated when the channel is named after it."""
    measure_label = Measure(measure).label.lower() if measure in Measure.values else measure.replace("_", " ")
    if channel_name.lower().endswith(measure_label):
        return channel_name
    return f"{channel_name} {measure_label}"


def yoy_derivation(yoy: YearOnYear) -> str:
    label = series_label(yoy.channel.name, yoy.measure)
    if yoy.stock and yoy.how[0]:
        return (
            f"{label} {format_day(yoy.period_end)}: {format_number(yoy.current)} ({yoy.how[0]}); "
            f"{format_day(yoy.previous_end)}: {format_number(yoy.previous)} ({yoy.how[1]}); change "
            f"{yoy.change_text} (end-of-period totals counted from daily flows, rounded to two decimals)"
        )
    if yoy.stock:
        return (
            f"{label} {format_day(yoy.period_end)}: {format_number(yoy.current)}; "
            f"{format_day(yoy.previous_end)}: {format_number(yoy.previous)}; change {yoy.change_text} "
            "(end-of-period values, rounded to two decimals)"
        )
    current_start = yoy.previous_end + timedelta(days=1)
    previous_start = previous_year(yoy.previous_end) + timedelta(days=1)
    return (
        f"{label} {format_day(current_start)}–{format_day(yoy.period_end)}: {format_number(yoy.current)}; "
        f"{format_day(previous_start)}–{format_day(yoy.previous_end)}: {format_number(yoy.previous)}; "
        f"change {yoy.change_text} (sums over each twelve months, rounded to two decimals)"
    )


@registry.register("comms.yoy_change", label="Year-over-year change of a channel measure", unit="percent")
def yoy_change(channel: str, measure: str, period_end: date) -> Figure:
    yoy = yoy_compute(channel=channel, measure=measure, period_end=period_end)
    url = (
        reverse("comms:figures")
        + f"?channel={yoy.channel.slug}&measure={measure}&period_end={yoy.period_end}"
    )
    return Figure(value=yoy.change, derivation=yoy_derivation(yoy), unit="percent", records_url=url)


@registry.series("comms.over_year", label="A channel measure over the year")
def over_year(channel: str, measure: str, period_end: date) -> Series:
    """Every observation of the measure in the twelve months to ``period_end``, day by day."""
    found = Channel.objects.filter(slug=channel).first()
    if found is None:
        raise StatisticError(f"There is no channel {channel!r}.")
    start = previous_year(period_end)
    points = tuple(
        Observation.objects.of(channel, measure)
        .filter(date__gt=start, date__lte=period_end)
        .order_by("date")
        .values_list("date", "value")
    )
    how = "as recorded each day"
    if not points and has_flows(found, measure):
        try:
            points = counted_series(found, measure, start, period_end)
        except NoKnownTotal as missing:
            raise StatisticError(str(missing)) from None
        how = "counted each day from a known total and the daily flows"
    if not points:
        raise StatisticError(f"No {measure} recorded for {found} in the year to {format_day(period_end)}.")
    return Series(
        points,
        f"{series_label(found.name, measure)} {how} from {format_day(points[0][0])} to "
        f"{format_day(points[-1][0])} ({len(points)} observations).",
        records_url=reverse("comms:figures")
        + f"?channel={channel}&measure={measure}&period_end={period_end}",
    )


def _episodes(start: date, end: date, series: str):
    episodes = PodcastEpisodePage.objects.live().public().filter(publication_date__range=(start, end))
    if series:  # a series title, e.g. "She Leads"
        episodes = episodes.filter(series__title__iexact=series)
    return episodes.order_by("publication_date").defer_streamfields()


@registry.register("comms.episodes", label="Podcast episodes released")
def episodes(start: date, end: date, series: str = "") -> Figure:
    titles = tuple(_episodes(start, end, series).values_list("title", flat=True))
    what = f"episodes of {series}" if series else "podcast episodes"
    return Figure(
        len(titles), f"{len(titles)} {what} published {start:%d %b %Y}–{end:%d %b %Y}.", items=titles
    )


@registry.listing("comms.episodes_released", label="Podcast episodes")
def episodes_released(start: date, end: date, kind: str = "", request=None) -> Listing:
    return Listing(
        tuple(
            ListingItem(e.title, e.get_url(request) or "", e.publication_date.strftime("%-d %B %Y"))
            for e in _episodes(start, end, kind).select_related("series")
        ),
        f"Podcast episodes published {start:%d %b %Y}–{end:%d %b %Y}" + (f" in {kind}." if kind else "."),
    )
