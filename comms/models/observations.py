"""Outreach channels, the shapes of platform exports, and the dated observations imported from them."""

import json
import re
from datetime import UTC, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from core.imports.numbers import NumberFormat


class ChannelKind(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    YOUTUBE = "youtube", "YouTube"
    WEBSITE = "website", "Website"
    NEWSLETTER = "newsletter", "Newsletter"
    TRADITIONAL_MEDIA = "traditional_media", "Traditional media"
    SOCIAL_MENTIONS = "social_mentions", "Social media mentions"


class Measure(models.TextChoices):
    FOLLOWERS = "followers", "Followers"
    SUBSCRIBERS = "subscribers", "Subscribers"
    VISITS = "visits", "Visits"
    PAGE_VIEWS = "page_views", "Page views"
    MENTIONS = "mentions", "Mentions"
    LISTENS = "listens", "Listens"
    IMPRESSIONS = "impressions", "Impressions"
    NEW_FOLLOWERS = "new_followers", "New followers"
    LOST_FOLLOWERS = "lost_followers", "Lost followers"


# Audience measures are stocks (compare end-of-period values); the rest are flows (compare sums over a period).
STOCK_MEASURES = frozenset({Measure.FOLLOWERS, Measure.SUBSCRIBERS})
# Flows that move a stock, with their sign. Platforms export daily new (and lost) follows, never the total: the
# total on a day is a known total (a baseline, or a stock observation) plus the flows since (comms/audience.py).
FLOWS_INTO_STOCK = {
    Measure.FOLLOWERS: ((Measure.NEW_FOLLOWERS, 1), (Measure.LOST_FOLLOWERS, -1)),
}


class Channel(models.Model):
    """Somewhere the network speaks or is spoken of: a social account, the website, the press."""

    slug = models.SlugField(unique=True, help_text="Used in statistics and the API, e.g. linkedin.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=ChannelKind.choices)
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="The organisation that runs the channel (text until linked)."
    )
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportSource(models.Model):
    """The shape of one platform export, kept as data: which columns hold the date and which measures."""

    name = models.SlugField(unique=True, help_text="Given to import_observations --source.")
    label = models.CharField(max_length=200)
    channel = models.ForeignKey(
        Channel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_sources",
        help_text="The channel every row belongs to; leave empty when the file has a channel column.",
    )
    channel_column = models.CharField(max_length=100, blank=True, help_text="Column holding a channel slug.")
    date_column = models.CharField(max_length=100)
    date_format = models.CharField(max_length=40, default="%Y-%m-%d", help_text="strptime format.")
    columns = models.JSONField(
        help_text='Column header → measure, e.g. {"Page views": "page_views"}; headers are matched without '
        "regard to case, and a file needs only one of them."
    )
    number_format = models.CharField(
        max_length=10,
        choices=NumberFormat.choices,
        default=NumberFormat.POINT,
        help_text="How the file writes its numbers; “work it out” asks when a number reads two ways.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel__isnull=True, channel_column=""), name="comms_source_has_channel"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        errors = self.configuration_errors()
        if not self.channel_id and not self.channel_column:
            errors[NON_FIELD_ERRORS] = "Give either a channel or a channel column."
        if errors:
            raise ValidationError(errors)

    def configuration_errors(self) -> dict[str, str]:
        """Field → why this source cannot read an export; the importer checks the same before reading a row."""
        errors = {}
        if problem := date_format_problem(self.date_format):
            errors["date_format"] = problem
        if problem := columns_problem(self.columns):
            errors["columns"] = problem
        return errors


# The directives datetime.strptime understands, each with the part of a date or time it reads.
DATE_DIRECTIVES = {
    "Y": "year",
    "y": "year",
    "G": "ISO year",
    "m": "month",
    "b": "month",
    "B": "month",
    "d": "day",
    "j": "day",
    "a": "weekday",
    "A": "weekday",
    "w": "weekday",
    "u": "weekday",
    "U": "week",
    "W": "week",
    "V": "ISO week",
    "H": "hour",
    "I": "hour",
    "p": "AM/PM",
    "M": "minute",
    "S": "second",
    "f": "microsecond",
    "z": "time zone",
    "Z": "time zone",
    "c": "date and time",
    "x": "date",
    "X": "time",
}
# Day after the 12th and an afternoon hour, so a swapped day and month or a 12-hour clock cannot pass unnoticed.
SAMPLE_MOMENT = datetime(2023, 7, 31, 13, 45, 30, tzinfo=UTC)
COLUMNS_SHAPE = 'a JSON object mapping each column header to a measure, e.g. {"Total followers": "followers"}'


def date_format_problem(date_format: str) -> str | None:
    """Why a strptime format cannot read an export's dates, or None if it reads them."""
    if not date_format:
        return "Give a date format, e.g. %Y-%m-%d or %d/%m/%Y."
    seen: dict[str, str] = {}
    for match in re.finditer(r"%(.?)", date_format, flags=re.DOTALL):
        directive = match[1]
        if directive == "%":
            continue
        if directive == "":
            return f"{date_format} ends with a lone %; write %% for a percent sign."
        if directive not in DATE_DIRECTIVES:
            return (
                f"%{directive} is not a date directive; use e.g. %d (day), %m (month), %b (month name), "
                "%Y (year)."
            )
        part = DATE_DIRECTIVES[directive]
        if part in seen:
            return (
                f"%{directive} reads the {part} again after %{seen[part]}; give each part of the date once."
            )
        seen[part] = directive
    written = SAMPLE_MOMENT.strftime(date_format)
    try:
        read = datetime.strptime(written, date_format)  # noqa: DTZ007 (only the calendar day is compared)
    except re.error:  # strptime's pattern names a part twice
        return f"{date_format} reads a part of the date twice (%c and %x already hold a day, month and year)."
    except ValueError as error:
        return f"{date_format} cannot read back the dates it describes ({error})."
    if read.date() != SAMPLE_MOMENT.date():
        return (
            f"{date_format} does not give a whole date: 31 July 2023 is written {written!r} and read back as "
            f"{read:%d %B %Y}. Give a day, a month and a year, e.g. %d/%m/%Y."
        )
    return None


def columns_problem(columns) -> str | None:
    """Why a column → measure mapping is unusable, or None; the message shows the shape expected."""
    if not isinstance(columns, dict) or not columns:
        return f"Give {COLUMNS_SHAPE}, not {json.dumps(columns)}."
    for header, measure in columns.items():
        if not header.strip() or header != header.strip():
            return f"Column header {header!r} is empty or has spaces around it; give {COLUMNS_SHAPE}."
        if not isinstance(measure, str) or measure not in Measure.values:
            return (
                f"{header!r} maps to {json.dumps(measure)}, which is not a measure; give {COLUMNS_SHAPE}. "
                f"Measures: {', '.join(Measure.values)}."
            )
    return None


class ImportBatch(models.Model):
    """One imported file."""

    source = models.ForeignKey(
        ImportSource, null=True, blank=True, on_delete=models.PROTECT, related_name="batches"
    )
    export_format = models.CharField(
        max_length=60, blank=True, help_text="The platform export it was read as, when not an import source."
    )
    filename = models.CharField(max_length=255)
    row_count = models.PositiveIntegerField(default=0)
    observation_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "import batches"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.source or self.export_format})"


class AudienceBaseline(models.Model):
    """A total known on a day (e.g. the followers a page showed on 31 July), from which daily flows count on."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="baselines")
    measure = models.CharField(
        max_length=20,
        choices=[(m.value, m.label) for m in Measure if m in FLOWS_INTO_STOCK],
        default=Measure.FOLLOWERS,
    )
    date = models.DateField(help_text="The day the total was read, at the end of that day.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(
        max_length=200, blank=True, help_text="Where the total was read, e.g. the page's admin view."
    )

    class Meta:
        ordering = ["channel", "measure", "date"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "measure", "date"], name="comms_baseline_unique_day"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="comms_baseline_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.measure} on {self.date}: {self.value}"


class ObservationQuerySet(models.QuerySet):
    def of(self, channel: str, measure: str):
        return self.filter(channel__slug=channel, measure=measure)


class Observation(models.Model):
    """The value of one measure on one channel on one day; one row per (channel, measure, date)."""

    # Millions of rows that only point at their channel: not worth a row each in Wagtail's usage index.
    wagtail_reference_index_ignore = True
    # No index of its own: the unique (channel, measure, date) index serves channel lookups, and one index
    # fewer makes imports about a fifth faster.
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    measure = models.CharField(max_length=20, choices=Measure.choices)
    date = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.ForeignKey(
        ImportSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "measure", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "measure", "date"], name="comms_observation_unique_day"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="comms_observation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.measure} {self.date}: {self.value}"
