"""Communications: the podcast (show, series, episode pages) and outreach channels with dated observations."""

import json
import re
import uuid
from datetime import UTC, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.models import BasePage

# --- Podcast -------------------------------------------------------------------------------------------------


class PodcastShow(models.Model):
    """A podcast as podcast directories know it: the channel of the RSS feed."""

    title = models.CharField(max_length=200)
    description = models.TextField()
    author = models.CharField(max_length=200, help_text="Shown as the itunes:author, e.g. the organisation.")
    owner_name = models.CharField(max_length=200)
    owner_email = models.EmailField()
    language = models.CharField(max_length=10, default="en")
    category = models.CharField(max_length=100, default="Society & Culture", help_text="An Apple category.")
    image_url = models.URLField(blank=True, help_text="Square artwork, 1400–3000 px, JPEG or PNG.")
    explicit = models.BooleanField(default=False)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, help_text="podcast:guid; never change it.")

    def __str__(self) -> str:
        return self.title


class PodcastSeries(models.Model):
    """A mini-series within a show, e.g. one made with partner organisations; maps to a podcast season."""

    show = models.ForeignKey(PodcastShow, on_delete=models.CASCADE, related_name="series")
    title = models.CharField(max_length=200)
    season_number = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    partners = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="podcast_series",
        help_text="Organisations making it with us.",
    )

    class Meta:
        verbose_name_plural = "podcast series"
        constraints = [
            models.UniqueConstraint(fields=["show", "season_number"], name="comms_series_unique_season"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def partner_list(self) -> list[str]:
        return [organisation.name for organisation in self.partners.order_by("name")]


class PodcastIndexPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """The podcast's home (slug "podcast"): the show's description, its episodes and a link to the feed."""

    show = models.ForeignKey(PodcastShow, on_delete=models.PROTECT, related_name="+")
    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("show"), FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["comms.PodcastEpisodePage"]
    max_count = 1

    def episodes(self):
        return PodcastEpisodePage.objects.child_of(self).live().public().order_by("-publication_date")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["episodes"] = self.episodes().select_related("series")
        return context


class PodcastEpisodePage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """One episode: audio (an uploaded document or an external enclosure URL), guests and a transcript."""

    episode_number = models.PositiveIntegerField()
    series = models.ForeignKey(
        PodcastSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="episodes"
    )
    publication_date = models.DateField()
    summary = models.TextField(help_text="Plain text; used as the feed description.")
    audio = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Upload the audio here, or give an external enclosure URL below.",
    )
    enclosure_url = models.URLField(blank=True)
    enclosure_length = models.PositiveBigIntegerField(help_text="File size in bytes.")
    enclosure_type = models.CharField(max_length=50, default="audio/mpeg")
    duration_seconds = models.PositiveIntegerField()
    explicit = models.BooleanField(default=False)
    themes = models.CharField(max_length=255, blank=True, help_text="Comma-separated.")
    countries = CountryField(multiple=True, blank=True)
    commemoration = models.CharField(
        max_length=200, blank=True, help_text="The day the episode marks, e.g. World Tourism Day 2022."
    )
    transcript = models.TextField(blank=True, help_text="Plain text; paragraphs separated by blank lines.")
    guid = models.UUIDField(default=uuid.uuid4, unique=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("episode_number"), FieldPanel("series"), FieldPanel("publication_date")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audio"),
                FieldPanel("enclosure_url"),
                FieldRowPanel([FieldPanel("enclosure_length"), FieldPanel("enclosure_type")]),
                FieldPanel("duration_seconds"),
                FieldPanel("explicit"),
            ],
            heading="Audio",
        ),
        InlinePanel("guests", label="Guests"),
        FieldPanel("themes"),
        FieldPanel("countries"),
        FieldPanel("commemoration"),
        FieldPanel("transcript"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("transcript")]
    parent_page_types = ["comms.PodcastIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_seconds__gt=0), name="comms_episode_has_duration"
            ),
        ]

    def clean(self):
        super().clean()
        if not self.audio_id and not self.enclosure_url:
            raise ValidationError({"enclosure_url": "Upload the audio or give an external enclosure URL."})

    def audio_url(self, request=None) -> str:
        if self.enclosure_url:
            return self.enclosure_url
        if self.audio_id:
            root = self.get_site().root_url if self.get_site() else ""
            return root + self.audio.url
        return ""

    @property
    def season_number(self) -> int | None:
        return self.series.season_number if self.series_id else None

    @property
    def duration_hms(self) -> str:
        hours, rest = divmod(self.duration_seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours:02d}:{minutes:02d}:{seconds:02d}"

    @property
    def theme_list(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]

    @property
    def transcript_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.transcript.split("\n\n") if p.strip()]


class EpisodeGuest(Orderable):
    """A guest on an episode: a person on file, or a name with the organisation they speak for."""

    episode = ParentalKey(PodcastEpisodePage, on_delete=models.CASCADE, related_name="guests")
    person = models.ForeignKey(
        "network.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="podcast_appearances"
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="Only for guests who are not on file as a person."
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. Programme officer")
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="podcast_appearances",
        help_text="Defaults to the person's organisation.",
    )

    panels = [FieldPanel("person"), FieldPanel("name"), FieldPanel("role"), FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False)
                | ~models.Q(name="")
                | models.Q(organisation__isnull=False),
                name="comms_guest_is_someone",
            )
        ]

    def clean(self):
        if not (self.person_id or self.name or self.organisation_id):
            raise ValidationError("Choose a person on file, or give a name or an organisation.")

    @property
    def affiliation(self):
        return self.organisation or (self.person.organisation if self.person_id else None)

    @property
    def display_name(self) -> str:
        """'Name, Role, Organisation' with whatever is known (a guest may be only a role at an organisation)."""
        name = self.person.name if self.person_id else self.name
        role = self.role or (self.person.role if self.person_id else "")
        affiliation = self.affiliation
        parts = [name, role, affiliation.name if affiliation else ""]
        return ", ".join(part for part in parts if part)

    def __str__(self) -> str:
        return self.display_name


# --- Channels and observations -------------------------------------------------------------------------------


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


# Audience measures are stocks (compare end-of-period values); the rest are flows (compare sums over a period).
STOCK_MEASURES = frozenset({Measure.FOLLOWERS, Measure.SUBSCRIBERS})


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
    columns = models.JSONField(help_text='Column header → measure, e.g. {"Total followers": "followers"}.')

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

    source = models.ForeignKey(ImportSource, on_delete=models.PROTECT, related_name="batches")
    filename = models.CharField(max_length=255)
    row_count = models.PositiveIntegerField(default=0)
    observation_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "import batches"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.source})"


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
