"""Campaigns run with partners and carried by members, and the legislation the network follows."""

from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from core.models import BasePage


class CampaignIndexPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """Campaigns, newest first."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["advocacy.CampaignPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = CampaignPage.objects.child_of(self).live().public().order_by("-start")
        return context


class CampaignPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """A campaign: what it asks for, when, with which partners, and which members carried it and how far."""

    aims = RichTextField(features=["bold", "italic", "link", "ul"])
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    channels = models.CharField(
        max_length=255, blank=True, help_text="Comma-separated, e.g. Instagram, Facebook."
    )
    call_to_action = models.CharField(max_length=200, blank=True, help_text="e.g. Sign the pledge")
    call_to_action_url = models.URLField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("aims"),
        FieldPanel("channels"),
        FieldRowPanel([FieldPanel("call_to_action"), FieldPanel("call_to_action_url")]),
        InlinePanel("partners", label="Partners"),
        InlinePanel("participations", label="Member participation"),
        InlinePanel("materials", label="Materials"),
    ]
    parent_page_types = ["advocacy.CampaignIndexPage"]
    subpage_types = []

    class Meta:  # noqa: DJ012
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="advocacy_campaign_dates"
            )
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = self.partners.select_related("organisation")
        context["participations"] = self.participations.select_related("organisation")
        return context

    def channel_list(self) -> list[str]:
        return [c.strip() for c in self.channels.split(",") if c.strip()]

    def total_reach(self) -> int:
        return sum(p.reach or 0 for p in self.participations.all())


class CampaignPartner(Orderable):
    """An organisation the campaign was made with, and its role (e.g. launch partner)."""

    campaign = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="campaign_partnerships"
    )
    role = models.CharField(max_length=120)

    panels = [FieldPanel("organisation"), FieldPanel("role")]


class CampaignParticipation(Orderable):
    """A member that joined the campaign: what it did and how many people it reached."""

    campaign = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="campaign_participations"
    )
    activity = models.CharField(max_length=255)
    reach = models.PositiveIntegerField(
        null=True, blank=True, help_text="People reached, as the member reported it."
    )

    panels = [FieldPanel("organisation"), FieldPanel("activity"), FieldPanel("reach")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="advocacy_one_participation_per_member"
            )
        ]


class CampaignMaterial(Orderable):
    campaign = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(blank=True)

    panels = [FieldPanel("title"), FieldPanel("document"), FieldPanel("url")]


class DossierIndexPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """The legislation tracker: every dossier the network follows, with its current stage."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["advocacy.DossierPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["dossiers"] = DossierPage.objects.child_of(self).live().public().prefetch_related("stages")
        return context


class DossierStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_COMMITTEE = "in_committee", "In committee"
    IN_TRILOGUE = "in_trilogue", "In negotiation (trilogue)"
    ADOPTED = "adopted", "Adopted"
    IN_FORCE = "in_force", "In force"
    WITHDRAWN = "withdrawn", "Withdrawn"


def status_conflict(status: str, stages: set[str]) -> str:
    """Why a dossier's status contradicts the stages of its timeline, or "" when they agree."""
    labels = dict(DossierStatus.choices)
    if "entry_into_force" in stages and status != DossierStatus.IN_FORCE:
        return f"The timeline records entry into force, so the status should be “{labels['in_force']}”."
    if "adoption" in stages and status not in (DossierStatus.ADOPTED, DossierStatus.IN_FORCE):
        return f"The timeline records its adoption, so the status should be “{labels['adopted']}” or later."
    needed = {DossierStatus.IN_FORCE: "entry_into_force", DossierStatus.ADOPTED: "adoption"}.get(status)
    if needed and needed not in stages:
        return f"Status “{labels[status]}” needs the timeline stage “{DossierStage.Stage(needed).label}”."
    return ""


class DossierPageForm(WagtailAdminPageForm):
    """Checks the status against the timeline being saved with it (the inline rows are only in the formset)."""

    def clean(self):
        cleaned = super().clean()
        timeline = self.formsets["stages"]
        if not timeline.is_valid():  # ClusterForm validates formsets after this form; their errors show there
            return cleaned
        stages = {
            form.cleaned_data.get("stage")
            for form in timeline.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        if problem := status_conflict(cleaned.get("status", ""), stages):
            self.add_error("status", problem)
        return cleaned


class DossierPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """A piece of legislation: where it stands, how it got there, what the network thinks and did about it."""

    jurisdiction = models.CharField(max_length=120, help_text="e.g. European Union")
    official_reference = models.CharField(max_length=120, blank=True, help_text="e.g. COM(2022) 209")
    status = models.CharField(max_length=20, choices=DossierStatus.choices)
    summary = models.TextField(blank=True)
    position = RichTextField(features=["bold", "italic", "link", "ul"], help_text="The network's position.")

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("jurisdiction"), FieldPanel("official_reference"), FieldPanel("status")]),
        FieldPanel("summary"),
        FieldPanel("position"),
        InlinePanel("stages", label="Timeline"),
        InlinePanel("actions", label="Our actions"),
    ]
    parent_page_types = ["advocacy.DossierIndexPage"]
    subpage_types = []
    base_form_class = DossierPageForm

    def timeline(self):
        return self.stages.order_by("date")

    def actions_by_date(self):
        return self.actions.order_by("date", "sort_order")


class DossierStage(Orderable):
    class Stage(models.TextChoices):
        PROPOSAL = "proposal", "Proposal published"
        CONSULTATION = "consultation", "Consultation"
        COMMITTEE_VOTE = "committee_vote", "Committee vote"
        PLENARY = "plenary", "Plenary vote"
        COUNCIL_POSITION = "council_position", "Council position"
        TRILOGUE = "trilogue", "Trilogue"
        ADOPTION = "adoption", "Adoption"
        ENTRY_INTO_FORCE = "entry_into_force", "Entry into force"

    dossier = ParentalKey(DossierPage, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=30, choices=Stage.choices)
    date = models.DateField()
    note = models.CharField(max_length=255, blank=True)
    source_url = models.URLField(blank=True)

    panels = [
        FieldRowPanel([FieldPanel("stage"), FieldPanel("date")]),
        FieldPanel("note"),
        FieldPanel("source_url"),
    ]


class DossierAction(Orderable):
    class Kind(models.TextChoices):
        LETTER = "letter", "Letter"
        STATEMENT = "statement", "Statement"
        MEETING = "meeting", "Meeting"
        EVENT = "event", "Event"
        PUBLICATION = "publication", "Publication"

    dossier = ParentalKey(DossierPage, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    description = models.CharField(max_length=255)
    linked_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A publication, campaign or event page about this action.",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("description"),
        FieldPanel("linked_page"),
    ]
