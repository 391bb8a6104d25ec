"""The platform exports that feed channel observations, as the platforms write them.

A measure column's key is its measure, so a row's cells say what they measure; ``options["channel_kind"]`` says which kind of channel
the rows belong to (the import takes the one channel of that kind, or the one it is told). Follower exports hold
daily new (and lost) follows, never the total: they are flows (``new_followers``), counted into a total from a
known one (comms/audience.py)."""

from comms.models import ChannelKind, Measure
from core.imports.formats import ExportFormat, formats
from core.imports.numbers import NumberFormat
from core.imports.tables import Column, optional

KIND = "observations"
DATE = "date"


def _date(*names: str) -> Column:
    return Column(DATE, names)


LINKEDIN_FOLLOWERS = formats.register(
    ExportFormat(
        name="linkedin-followers",
        label="LinkedIn Page followers export (.xls or .xlsx)",
        kind=KIND,
        sheets=("New followers",),
        columns=(
            _date("Date"),
            # "Total followers" is the day's new followers: sponsored + organic + auto-invited.
            Column(Measure.NEW_FOLLOWERS, ("Total followers",)),
        ),
        date_formats=("%m/%d/%Y",),
        documentation="https://www.linkedin.com/help/linkedin/answer/a547883",
        options={"channel_kind": ChannelKind.LINKEDIN},
    )
)

LINKEDIN_VISITORS = formats.register(
    ExportFormat(
        name="linkedin-visitors",
        label="LinkedIn Page visitors export (.xls or .xlsx)",
        kind=KIND,
        sheets=("Visitor metrics",),
        columns=(
            _date("Date"),
            Column(Measure.PAGE_VIEWS, ("Total page views (total)",)),
            optional(Measure.VISITS, "Total unique visitors (total)"),
        ),
        date_formats=("%m/%d/%Y",),
        documentation="https://www.linkedin.com/help/linkedin/answer/a547883",
        options={"channel_kind": ChannelKind.LINKEDIN},
    )
)

LINKEDIN_UPDATES = formats.register(
    ExportFormat(
        name="linkedin-updates",
        label="LinkedIn Page content (updates) export (.xls or .xlsx)",
        kind=KIND,
        sheets=("Metrics",),
        columns=(_date("Date"), Column(Measure.IMPRESSIONS, ("Impressions (total)",))),
        date_formats=("%m/%d/%Y",),
        documentation="https://www.linkedin.com/help/linkedin/answer/a547883",
        options={"channel_kind": ChannelKind.LINKEDIN},
    )
)

# Meta Business Suite writes one metric per file: a "sep=," line, the metric's name, then Date and Primary.
META_METRICS = {
    "follows": Measure.NEW_FOLLOWERS,
    "new follows": Measure.NEW_FOLLOWERS,
    "new followers": Measure.NEW_FOLLOWERS,
    "unfollows": Measure.LOST_FOLLOWERS,
    "page visits": Measure.VISITS,
    "visits": Measure.VISITS,
    "profile visits": Measure.VISITS,
    "views": Measure.IMPRESSIONS,
    "impressions": Measure.IMPRESSIONS,
}
META = formats.register(
    ExportFormat(
        name="meta-business-suite",
        label="Meta Business Suite insights export, Facebook or Instagram (CSV, or a zip of them)",
        kind=KIND,
        columns=(_date("Date"), Column("primary", ("Primary",))),
        date_formats=("iso",),
        documentation="https://www.facebook.com/business/help/1891117024484431",
        options={
            "metric_line": {"facebook": ChannelKind.FACEBOOK, "instagram": ChannelKind.INSTAGRAM},
            "metrics": META_METRICS,
        },
    )
)

GA4 = formats.register(
    ExportFormat(
        name="google-analytics-4",
        label="Google Analytics 4 report or Explore export (CSV)",
        kind=KIND,
        columns=(
            _date("Date"),
            optional(Measure.VISITS, "Sessions"),
            optional(Measure.PAGE_VIEWS, "Views", "Screen page views"),
        ),
        date_formats=("%Y%m%d", "%Y-%m-%d"),
        documentation="https://support.google.com/analytics/answer/9317657",
        options={"channel_kind": ChannelKind.WEBSITE, "needs_one_of": (Measure.VISITS, Measure.PAGE_VIEWS)},
    )
)

MATOMO = formats.register(
    ExportFormat(
        name="matomo",
        label="Matomo visits export (TSV or CSV, UTF-16 as Matomo writes it)",
        kind=KIND,
        columns=(
            _date("label", "Date"),
            optional(Measure.VISITS, "nb_visits", "Visits"),
            optional(Measure.PAGE_VIEWS, "nb_pageviews", "Pageviews"),
        ),
        date_formats=("%Y-%m-%d",),
        documentation="https://developer.matomo.org/api-reference/reporting-api",
        options={"channel_kind": ChannelKind.WEBSITE, "needs_one_of": (Measure.VISITS, Measure.PAGE_VIEWS)},
    )
)

PLAUSIBLE = formats.register(
    ExportFormat(
        name="plausible",
        label="Plausible Analytics export (the zip, or its visitors.csv)",
        kind=KIND,
        sheets=("visitors.csv",),
        columns=(
            _date("date"),
            Column(Measure.VISITS, ("visits",)),
            optional(Measure.PAGE_VIEWS, "pageviews"),
            Column("visitors", ("visitors",), required=False),
        ),
        date_formats=("%Y-%m-%d",),
        documentation="https://plausible.io/docs/export-stats",
        options={"channel_kind": ChannelKind.WEBSITE},
    )
)

X_ANALYTICS = formats.register(
    ExportFormat(
        name="x-account-analytics",
        label="X (Twitter) account analytics export (CSV)",
        kind=KIND,
        columns=(
            _date("Date"),
            Column(Measure.NEW_FOLLOWERS, ("New follows",)),
            optional(Measure.LOST_FOLLOWERS, "Unfollows"),
            optional(Measure.IMPRESSIONS, "Impressions"),
            optional(Measure.VISITS, "Profile visits"),
        ),
        date_formats=("%a, %b %d, %Y", "%Y-%m-%d"),
        documentation="https://help.x.com/en/managing-your-account/using-the-post-activity-dashboard",
        options={"channel_kind": ChannelKind.X},
    )
)

YEARBOOK = formats.register(
    ExportFormat(
        name="yearbook-observations",
        label="Yearbook observations sheet (channel, date and one column per measure)",
        kind=KIND,
        columns=(
            _date("date"),
            Column("channel", ("channel",)),
            *(optional(m.value, m.value, m.label) for m in Measure),
        ),
        number_format=NumberFormat.POINT,
        date_formats=("%Y-%m-%d",),
        options={"needs_one_of": tuple(m.value for m in Measure)},
    )
)
