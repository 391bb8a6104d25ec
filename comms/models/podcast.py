"""The podcast: the show (the feed's channel), its series, the index page and episode pages with their people,
chapters and transcript."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from comms.transcripts import HEAD_BYTES, TRANSCRIPT_TYPES, transcript_extension, transcript_problem
from core.models import BasePage


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
    # Any page, so comms need not know the donations app: the editor (or the demo) picks the donation page.
    funding_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where listeners can support the work, e.g. the donation page. Podcast apps show it as a link.",
    )
    funding_text = models.CharField(
        max_length=128,  # podcast:funding: longer text may be cut by podcast apps
        blank=True,
        help_text="The link's text, e.g. Support our work. Defaults to the page's title.",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_email")]),
        FieldRowPanel([FieldPanel("language"), FieldPanel("explicit")]),
        FieldPanel("image_url"),
        MultiFieldPanel([FieldPanel("funding_page"), FieldPanel("funding_text")], heading="Funding"),
        FieldPanel("guid"),
    ]

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


def feed_link_context(request, show: PodcastShow | None) -> dict:
    """What a podcast page's <head> needs to advertise the feed: the show and the feed's absolute URL."""
    if request is None or show is None:
        return {}
    return {
        "podcast_show": show,
        "podcast_feed_url": request.build_absolute_uri(reverse("comms:podcast_feed")),
    }


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
        context.update(feed_link_context(request, self.show))
        return context


class PodcastEpisodePageForm(WagtailAdminPageForm):
    """Refuses chapters that start after the episode ends (the audio's duration is on the same form)."""

    def clean(self):
        cleaned_data = super().clean()
        duration = cleaned_data.get("duration_seconds")
        chapters = self.formsets.get("chapters")
        if not duration or chapters is None:
            return cleaned_data
        for form in chapters.forms:
            if (
                form in chapters.deleted_forms
                or not form.is_valid()
                or form.cleaned_data.get("start") is None
            ):
                continue
            start = form.cleaned_data["start"]
            if start.total_seconds() >= duration:
                form.add_error(
                    "start",
                    f"The episode is {format_hms(duration)} long; this chapter starts at "
                    f"{format_hms(int(start.total_seconds()))}.",
                )
        return cleaned_data


def format_hms(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


class PodcastEpisodePage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """One episode: audio (an uploaded document or an external enclosure URL), people, chapters and transcripts."""

    episode_number = models.PositiveIntegerField()
    series = models.ForeignKey(
        PodcastSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="episodes"
    )
    publication_date = models.DateField()
    summary = models.TextField(help_text="Plain text; used as the feed description.")
    artwork = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Square episode art, 1400–3000 px, JPEG or PNG. Without it, apps show the show's artwork.",
    )
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
    transcript_file = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "A timed transcript for podcast apps: a WebVTT (.vtt) or SubRip (.srt) file, in the show's language."
        ),
    )
    guid = models.UUIDField(default=uuid.uuid4, unique=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("episode_number"), FieldPanel("series"), FieldPanel("publication_date")]),
        FieldPanel("summary"),
        FieldPanel("artwork"),
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
        InlinePanel("guests", label="Guests and hosts"),
        InlinePanel("chapters", label="Chapters", heading="Chapters"),
        FieldPanel("themes"),
        FieldPanel("countries"),
        FieldPanel("commemoration"),
        MultiFieldPanel([FieldPanel("transcript"), FieldPanel("transcript_file")], heading="Transcript"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("transcript")]
    parent_page_types = ["comms.PodcastIndexPage"]
    subpage_types: list[str] = []
    base_form_class = PodcastEpisodePageForm

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_seconds__gt=0), name="comms_episode_has_duration"
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if not self.audio_id and not self.enclosure_url:
            errors["enclosure_url"] = "Upload the audio or give an external enclosure URL."
        if self.transcript_file_id and (problem := transcript_file_problem(self.transcript_file)):
            errors["transcript_file"] = problem
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index = PodcastIndexPage.objects.ancestor_of(self).select_related("show").first()
        context.update(feed_link_context(request, index.show if index else None))
        return context

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
        return format_hms(self.duration_seconds)

    @property
    def theme_list(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]

    @property
    def transcript_paragraphs(self) -> list[str]:
        return [p.strip() for p in self.transcript.split("\n\n") if p.strip()]

    @property
    def chapter_list(self) -> list["EpisodeChapter"]:
        """In the order they are heard (the editor's order may differ)."""
        return sorted(self.chapters.all(), key=lambda chapter: chapter.start)

    @property
    def guest_list(self) -> list["EpisodeGuest"]:
        return [person for person in self.guests.all() if person.credit == EpisodeCredit.GUEST]

    @property
    def host_list(self) -> list["EpisodeGuest"]:
        return [person for person in self.guests.all() if person.credit == EpisodeCredit.HOST]

    def public_transcript_file(self):
        """The transcript document podcast apps may fetch: one of a known type, outside private collections."""
        document = self.transcript_file
        if document is None or transcript_extension(document.filename) not in TRANSCRIPT_TYPES:
            return None
        if document.collection.get_view_restrictions().exists():
            return None
        return document


def transcript_file_problem(document) -> str | None:
    """Why a chosen document cannot be the episode's transcript file (type and first bytes), or None."""
    try:
        with document.file.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return f"{document.filename} cannot be read; upload it again."
    return transcript_problem(filename=document.filename, head=head)


class EpisodeCredit(models.TextChoices):
    """Roles of the Podcast Taxonomy Project (podcast:person role) that an episode credits."""

    GUEST = "guest", "Guest"
    HOST = "host", "Host"


class EpisodeGuest(Orderable):
    """Someone heard in an episode, a guest or the host: a person on file, or a name with whom they speak for."""

    episode = ParentalKey(PodcastEpisodePage, on_delete=models.CASCADE, related_name="guests")
    credit = models.CharField(
        "appears as", max_length=10, choices=EpisodeCredit.choices, default=EpisodeCredit.GUEST
    )
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
    url = models.URLField(
        "web page",
        blank=True,
        help_text=(
            "About this person, e.g. their profile. Without it the feed links to their organisation's website "
            "or its page in the network directory."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("credit"), FieldPanel("person")]),
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldPanel("organisation"),
        FieldPanel("url"),
    ]

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

    @property
    def credited_name(self) -> str:
        """The name podcast apps show: the person's, or the role and organisation of a guest known by no name."""
        if self.person_id:
            return self.person.name
        return self.name or self.display_name

    @property
    def photo(self):
        """A picture of them: the person's photo, or the logo when the guest is known only by organisation."""
        if self.person_id:
            return self.person.photo
        if not self.name and self.organisation_id:
            return self.organisation.logo
        return None

    def __str__(self) -> str:
        return self.display_name


class EpisodeChapter(Orderable):
    """A point in an episode that podcast apps list and jump to; served as the episode's JSON chapters file."""

    episode = ParentalKey(PodcastEpisodePage, on_delete=models.CASCADE, related_name="chapters")
    start = models.DurationField(
        help_text="From the beginning of the audio: h:mm:ss, m:ss or seconds, e.g. 4:30 or 1:02:15."
    )
    title = models.CharField(max_length=200)
    url = models.URLField(
        "web page", blank=True, help_text="Optional: a page about this part of the episode."
    )

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("title")]), FieldPanel("url")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["episode", "start"], name="comms_chapter_unique_start"),
            models.CheckConstraint(
                condition=models.Q(start__gte=timedelta(0)),
                name="comms_chapter_starts_in_the_episode",
                violation_error_message="A chapter cannot start before the episode does.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_hms} {self.title}"

    @property
    def start_seconds(self) -> int | float:
        """Seconds from the beginning, whole when the start falls on a second (the JSON reads 90, not 90.0)."""
        seconds = self.start.total_seconds()
        return int(seconds) if seconds.is_integer() else seconds

    @property
    def start_hms(self) -> str:
        return format_hms(int(self.start.total_seconds()))

    def as_json_chapter(self) -> dict:
        chapter = {"startTime": self.start_seconds, "title": self.title}
        if self.url:
            chapter["url"] = self.url
        return chapter
