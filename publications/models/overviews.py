"""Country overviews as structure: a section per manifestation, and for joint overviews an assessment per
standard of the Lanzarote Convention with the government's information beside the network's.

An overview is edited like a page: drafts, revisions, locking, moderation and preview (Wagtail's snippet mixins).
The row and its sections and assessments hold the published text; an unpublished edit lives in a revision until
it is published, so public pages and comparisons read `CountryOverview.objects.live()`."""

from django.db import models
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)


class Manifestation(models.TextChoices):
    TRAVEL_AND_TOURISM = "travel_tourism", "Sexual exploitation in travel and tourism"
    ONLINE = "online", "Online sexual exploitation"
    TRAFFICKING = "trafficking", "Trafficking for sexual purposes"
    PROSTITUTION = "prostitution", "Exploitation in prostitution"
    MARRIAGE = "marriage", "Child, early and forced marriage"


class OverviewKind(models.TextChoices):
    COUNTRY = "country", "Country overview"
    JOINT = "joint", "Joint country overview (with the Lanzarote Committee Secretariat)"


class CountryOverviewQuerySet(models.QuerySet):
    def live(self):
        """Published overviews. A never-published or unpublished one is a draft whose row holds unreviewed text;
        a published one with a newer draft keeps its published text in the row (the draft is a revision)."""
        return self.filter(live=True)


class CountryOverview(
    WorkflowMixin, PreviewableMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    """The structured content of one country's overview for one year."""

    country = CountryField()
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=OverviewKind.choices, default=OverviewKind.COUNTRY)
    publication = models.ForeignKey(
        "publications.PublicationPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overviews",
        help_text="The published report this structure comes from, when there is one.",
    )
    introduction = models.TextField(blank=True)
    is_demo_content = models.BooleanField(
        default=False, help_text="Written for the demo; not the organisation's findings."
    )

    panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("year"), FieldPanel("kind")]),
        FieldPanel("publication"),
        FieldPanel("introduction"),
        FieldPanel("is_demo_content"),
        InlinePanel("sections", label="Sections per manifestation"),
        InlinePanel("assessments", label="Assessments against Convention standards (joint overviews)"),
    ]

    objects = CountryOverviewQuerySet.as_manager()

    class Meta:
        ordering = ["country", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year", "kind"], name="one_overview_per_country_year_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country.name} {self.year} ({self.get_kind_display()})"

    def get_preview_template(self, request, mode_name):
        return "publications/country_overview_preview.html"


class OverviewSection(Orderable):
    overview = ParentalKey(CountryOverview, on_delete=models.CASCADE, related_name="sections")
    manifestation = models.CharField(max_length=30, choices=Manifestation.choices)
    situation = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    challenges = models.TextField(blank=True)
    existing_responses = models.TextField(blank=True)
    priority_actions = models.TextField(blank=True, help_text="One action per line.")

    panels = [
        FieldPanel("manifestation"),
        FieldPanel("situation"),
        FieldPanel("achievements"),
        FieldPanel("challenges"),
        FieldPanel("existing_responses"),
        FieldPanel("priority_actions"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["overview", "manifestation"], name="one_section_per_manifestation"
            )
        ]

    def __str__(self) -> str:
        return self.get_manifestation_display()

    @property
    def priority_action_list(self) -> list[str]:
        return [line.strip(" -•") for line in self.priority_actions.splitlines() if line.strip(" -•")]

    @property
    def parts(self) -> list[tuple[str, str]]:
        """The filled-in parts in reading order, for templates."""
        candidates = [
            ("Situation", self.situation),
            ("Achievements", self.achievements),
            ("Challenges", self.challenges),
            ("Existing responses", self.existing_responses),
        ]
        return [(label, text) for label, text in candidates if text]


class ConventionStandard(models.Model):
    """A standard a joint overview assesses, e.g. Lanzarote Convention Article 18 (criminalising sexual abuse)."""

    convention = models.CharField(max_length=150, default="Lanzarote Convention")
    reference = models.CharField(max_length=30, help_text="e.g. Art. 18")
    title = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "reference"], name="unique_standard_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Compliance(models.TextChoices):
    COMPLIANT = "compliant", "Compliant"
    PARTIALLY = "partially", "Partially compliant"
    NOT_COMPLIANT = "not_compliant", "Not compliant"
    NO_DATA = "no_data", "No data"


class Assessment(Orderable):
    overview = ParentalKey(CountryOverview, on_delete=models.CASCADE, related_name="assessments")
    standard = models.ForeignKey(ConventionStandard, on_delete=models.PROTECT, related_name="assessments")
    compliance = models.CharField(max_length=20, choices=Compliance.choices, default=Compliance.NO_DATA)
    government_information = models.TextField(blank=True, help_text="What the government reported.")
    network_information = models.TextField(blank=True, help_text="What the network's research found.")

    panels = [
        FieldRowPanel([FieldPanel("standard"), FieldPanel("compliance")]),
        FieldPanel("government_information"),
        FieldPanel("network_information"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["overview", "standard"], name="one_assessment_per_standard")
        ]

    def __str__(self) -> str:
        return f"{self.standard}: {self.get_compliance_display()}"
