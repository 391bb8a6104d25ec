"""Summits, workshops and meetings: their participants, co-designed agendas and the action points they agree."""

import zoneinfo
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django_countries import countries as country_names
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.jsonld import script_json
from core.models import BasePage

TIMEZONES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class EventIndexPage(RoutablePageMixin, BasePage):
    """The events listing with filters, past/upcoming split, and the iCalendar feed (see events/views.py)."""

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    @path("calendar/", name="feed")
    def feed(self, request):
        from events.views import upcoming_feed

        return upcoming_feed(request, self)

    @path("actions/", name="actions")
    def actions(self, request):
        from django.template.response import TemplateResponse

        from events.models import ActionStatus
        from events.selectors import action_tracker

        status = request.GET.get("status", "")
        status = status if status in ActionStatus.values else ""
        context = {
            "page": self,
            "points": action_tracker(status=status),
            "status": status,
            "statuses": ActionStatus.choices,
        }
        return TemplateResponse(request, "events/action_tracker.html", context)

    def get_context(self, request, *args, **kwargs):
        from events.selectors import event_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(event_listing(index=self, params=request.GET))
        return context


class EventKind(models.TextChoices):
    SUMMIT = "summit", "Summit"
    REGIONAL_WORKSHOP = "regional_workshop", "Regional workshop"
    NETWORK_MEETING = "network_meeting", "Network meeting"
    WEBINAR = "webinar", "Webinar"
    CONFERENCE = "conference", "Conference appearance"


class EventPage(RoutablePageMixin, BasePage):
    """One event: when and where, who hosted it, its participants, agenda, outputs and action points."""

    kind = models.CharField(max_length=30, choices=EventKind.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    time_zone = models.CharField(max_length=64, choices=TIMEZONES, default="UTC")
    venue = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    online = models.BooleanField(default=False)
    hosts = ParentalManyToManyField("network.Organisation", blank=True, related_name="hosted_events")
    co_organisers = ParentalManyToManyField(
        "network.Organisation", blank=True, related_name="co_organised_events"
    )
    programme = models.CharField(
        max_length=120, blank=True, help_text="Programme or initiative, e.g. Global Boys Initiative."
    )
    themes = ParentalManyToManyField("network.FocusArea", blank=True, related_name="events")
    summary = models.TextField(blank=True, help_text="One or two sentences for listings and sharing.")
    description = RichTextField(blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registration_opens = models.DateTimeField(null=True, blank=True)
    registration_closes = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty = unlimited.")
    proposals_close = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Until when registered participants may propose and vote on sessions.",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("programme")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("time_zone")], heading="When"
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
                FieldPanel("online"),
            ],
            heading="Where",
        ),
        FieldPanel("hosts"),
        FieldPanel("co_organisers"),
        FieldPanel("themes"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("proposals_close")]),
            ],
            heading="Registration and co-designed agenda",
        ),
        InlinePanel("outputs", label="Outputs (reports, reviews, action plans)"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("description")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__isnull=True)
                | Q(registration_opens__isnull=True)
                | Q(registration_closes__gt=models.F("registration_opens")),
                name="event_registration_closes_after_it_opens",
            ),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "The event must end after it starts."
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = "Registration must close after it opens."
        if errors:
            raise ValidationError(errors)

    # Page routes; the handlers live in events/views.py.
    @path("register/", name="register")
    def register_route(self, request):
        from events.views import register

        return register(request, self)

    @path("agenda/", name="agenda")
    def agenda_route(self, request):
        # The signed token travels as ?t=: its ":" separators are not allowed in Wagtail page paths.
        from events.views import agenda

        return agenda(request, self, request.GET.get("t", ""))

    @path("calendar/", name="ics")
    def ics_route(self, request):
        from events.views import event_ics

        return event_ics(request, self)

    def get_context(self, request, *args, **kwargs):
        from events.selectors import action_tracker, event_outputs

        context = super().get_context(request, *args, **kwargs)
        context["summary"] = self.participant_summary()
        context["listed"] = self.participants.counted().filter(listed_publicly=True).order_by("name")
        context["action_points"] = action_tracker(event=self)
        context["sessions"] = self.sessions.select_related("proposal")
        context["outputs"] = event_outputs(event=self, request=request)
        context["hosts"] = hosts = list(self.hosts.all())  # read once for the JSON-LD and the page
        context["json_ld"] = self.json_ld(request, hosts)
        return context

    def json_ld(self, request, hosts) -> str:
        """schema.org Event, escaped for a <script> element; `hosts` are the event's hosts, read by the caller."""
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "startDate": self.start.isoformat(),
            "endDate": self.end.isoformat(),
            "eventAttendanceMode": "https://schema.org/"
            + ("OnlineEventAttendanceMode" if self.online else "OfflineEventAttendanceMode"),
            "description": self.summary,
            "url": self.get_full_url(request),
            "organizer": [{"@type": "Organization", "name": o.name} for o in hosts],
        }
        if self.city or self.country:
            data["location"] = {
                "@type": "Place",
                "name": self.venue or self.city,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": self.city,
                    "addressCountry": self.country.code,
                },
            }
        return script_json(data)

    @property
    def is_upcoming(self) -> bool:
        return self.end >= timezone.now()

    @property
    def is_single_day(self) -> bool:
        """Starts and ends on the same calendar day where the event takes place (its own time zone)."""
        zone = zoneinfo.ZoneInfo(self.time_zone)
        return timezone.localtime(self.start, zone).date() == timezone.localtime(self.end, zone).date()

    def registration_state(self, now=None) -> str:
        """ "open", "not_open", "closed" or "none" (no registration on this event)."""
        now = now or timezone.now()
        if not self.registration_opens and not self.registration_closes:
            return "none"
        if self.registration_opens and now < self.registration_opens:
            return "not_open"
        if (self.registration_closes and now >= self.registration_closes) or now >= self.end:
            return "closed"
        return "open"

    def participant_summary(self) -> dict:
        """Counts over every participant (public listing respects consent; counts do not)."""
        # One grouped query (a row per role and country), not one per figure. Codes, not model instances: a
        # deferred-field instance here cost one query per participant.
        groups = self.participants.counted().values_list("role", "country").annotate(n=Count("id")).order_by()
        roles, codes, total = Counter(), set(), 0
        for role, code, n in groups:
            roles[role] += n
            codes.add(code)
            total += n
        # Names are looked up once each: django-countries translates on every lookup, twice per country in a template.
        countries = sorted(filter(None, map(country_names.name, codes - {""})))
        return {
            "total": total,
            "countries": countries,  # names, alphabetical
            "roles": [(ParticipantRole(r).label, n) for r, n in sorted(roles.items(), key=lambda i: -i[1])],
        }


class OutputKind(models.TextChoices):
    OUTCOMES_REPORT = "outcomes_report", "Outcomes report"
    SUMMARY_REPORT = "summary_report", "Summary report"
    EVENT_REVIEW = "event_review", "Event review"
    ACTION_PLAN = "action_plan", "Action plan"
    OTHER = "other", "Other"


# The page type an output's publication must be, named by content type rather than imported: publications
# already reads events (country pages), so a ForeignKey to publications.PublicationPage would make the two apps
# depend on each other. The chooser and every form and full_clean() hold the choice to this type.
PUBLICATION_PAGE_TYPE = "publications.PublicationPage"
PUBLICATION_PAGES = {"content_type__app_label": "publications", "content_type__model": "publicationpage"}


class EventOutput(Orderable):
    """A document an event produced: best a publication in the library, else a document or an address."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(max_length=30, choices=OutputKind.choices)
    title = models.CharField(max_length=255)
    publication = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=PUBLICATION_PAGES,
        help_text="The output in the library; its title links there while the publication is live and public.",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        PageChooserPanel("publication", PUBLICATION_PAGE_TYPE),
        FieldPanel("document"),
        FieldPanel("url"),
    ]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        """The document or address (a publication's link needs the request: see selectors.event_outputs)."""
        return self.document.url if self.document else self.url


class ParticipantRole(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SPEAKER = "speaker", "Speaker"
    ORGANISER = "organiser", "Organiser"
    YOUTH_DELEGATE = "youth_delegate", "Youth delegate"
    POLICYMAKER = "policymaker", "Policymaker"
    RESEARCHER = "researcher", "Researcher"
    STAFF = "staff", "Network staff"


class ParticipantStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    WAITLISTED = "waitlisted", "On the waiting list"
    ATTENDED = "attended", "Attended"
    CANCELLED = "cancelled", "Cancelled"
    # Registered but never came (an attendance report's "Attended: No"): kept as a registrant, not counted.
    NO_SHOW = "no_show", "Registered, did not attend"


class ParticipantQuerySet(models.QuerySet):
    def counted(self):
        """Who counts as a participant: registered or attended, not waitlisted or cancelled."""
        return self.filter(status__in=[ParticipantStatus.REGISTERED, ParticipantStatus.ATTENDED])

    def for_period(self, start, end):
        """People at the live events outside any private section that started between ``start`` and ``end``."""
        events = EventPage.objects.live().public().filter(start__date__gte=start, start__date__lte=end)
        return self.filter(event__in=events)


class Participant(models.Model):
    """A person at an event; the name is public only with consent, the email never."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Admin only: confirmations and the proposal link.")
    organisation_name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_participants",
    )
    country = CountryField()
    role = models.CharField(
        max_length=30, choices=ParticipantRole.choices, default=ParticipantRole.PRACTITIONER
    )
    listed_publicly = models.BooleanField(default=False, help_text="Consented to their name being shown.")
    status = models.CharField(
        max_length=20, choices=ParticipantStatus.choices, default=ParticipantStatus.REGISTERED
    )
    registered_at = models.DateTimeField(default=timezone.now)
    minutes_attended = models.PositiveIntegerField(
        null=True, blank=True, help_text="Time in the session, from an online platform's attendance report."
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], condition=~Q(email=""), name="one_registration_per_email_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event.title})"


class SessionProposal(models.Model):
    """A session a registered participant proposes for the agenda; others vote for it."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    proposal = models.ForeignKey(SessionProposal, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "participant"], name="one_vote_per_participant")
        ]

    def __str__(self) -> str:
        return f"{self.participant.name} → {self.proposal.title}"


class AgendaSession(models.Model):
    """A slot of the agenda, often made from a proposal."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.CharField(max_length=100, blank=True)
    facilitators = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    proposal = models.OneToOneField(
        SessionProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="session"
    )

    class Meta:
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d %b %H:%M} {self.title}"


class ActionLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    GLOBAL = "global", "Global"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ActionPoint(models.Model):
    """An outcome of an event that someone committed to; followed after the event."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="action_points")
    text = models.TextField()
    level = models.CharField(max_length=20, choices=ActionLevel.choices)
    owner = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="action_points"
    )
    country = CountryField(blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def latest_update(self):
        """The newest update, from the prefetched list when there is one (no extra query per row)."""
        updates = list(self.updates.all())
        return updates[-1] if updates else None


class ActionPointUpdate(models.Model):
    action_point = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"
