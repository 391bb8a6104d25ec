"""The network: regions, focus areas, organisations (members, partners, funders…), their aliases and people."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.lookups import GreaterThanOrEqual
from django_countries.fields import CountryField
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import BaseLogEntry, Page
from wagtail.models.audit_log import ModelLogEntryManager
from wagtail.search import index

from core.db_functions import CalendarYear
from core.models import BasePage


class Region(models.Model):
    """A region of the network, e.g. East & Southern Africa (a model so the secretariat can add one)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FocusArea(models.Model):
    """A term of the managed vocabulary of themes (trafficking, online exploitation…)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    SECRETARIAT = "secretariat", "Secretariat"
    MEMBER = "member", "Member"
    PARTNER = "partner", "Partner"
    FUNDER = "funder", "Funder"
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental body"
    COMPANY = "company", "Company"


class OrganisationQuerySet(models.QuerySet):
    def members(self, on=None):
        """Member organisations (the secretariat excluded), optionally those in the network on a date."""
        qs = self.filter(kind=OrganisationKind.MEMBER)
        if on is not None:
            qs = qs.filter(Q(joined_on__lte=on) | Q(joined_on__isnull=True)).filter(
                Q(left_on__isnull=True) | Q(left_on__gt=on)
            )
        return qs

    def joined_between(self, start, end):
        return self.members().filter(joined_on__gte=start, joined_on__lte=end)

    def editable_by(self, user):
        """Secretariat staff edit all organisations; an organisation's editors only their own."""
        if user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists():
            return self
        return self.filter(editors=user)


SECRETARIAT_GROUP = "Secretariat"
MEMBER_EDITORS_GROUP = "Member editors"


class Organisation(models.Model):
    """An organisation the network knows: a member, the secretariat, a partner, funder or company."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True, help_text="Acronym or short name, e.g. ACRIDES.")
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.MEMBER)
    country = CountryField()
    city = models.CharField(max_length=100, blank=True)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True, help_text="When it joined the network (members).")
    left_on = models.DateField(null=True, blank=True)
    website = models.URLField(blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="organisations")
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="affiliates",
        help_text="A federation it also belongs to, e.g. Defence for Children International.",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_organisations",
        help_text="People who may edit this organisation's records and highlights.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="organisation_leaves_after_joining",
            ),
            # CalendarYear, not joined_on__year: on SQLite that lookup stores a call to a function only Django's
            # connections know in the schema, and sqlite3's integrity_check and .dump then fail (core/db_functions).
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True)
                | Q(joined_on__isnull=True)
                | GreaterThanOrEqual(CalendarYear("joined_on"), models.F("founded_year")),
                name="organisation_joins_after_founding",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.founded_year and self.joined_on and self.joined_on.year < self.founded_year:
            errors["joined_on"] = (
                f"It cannot join in {self.joined_on.year}, before it was founded ({self.founded_year})."
            )
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            errors["left_on"] = "It cannot leave the network before joining it."
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return (
            f"{self.name} ({self.short_name})"
            if self.short_name and self.short_name != self.name
            else self.name
        )


class OrganisationAlias(models.Model):
    """Another name or spelling of an organisation; media monitoring looks for these."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    exclusions = models.TextField(
        blank=True, help_text="Phrases, one per line, in which a hit is a false positive."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_alias_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Staff and others the site may name; the email is for the admin only."""

    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    may_be_quoted = models.BooleanField(
        default=False, help_text="Agreed to be quoted by name on the public site."
    )
    email = models.EmailField(blank=True, help_text="Never shown on the public site.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_person_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class NetworkLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """The secretariat sees every organisation's and person's history (deleted records' too); anyone else
        only that of the records their permission policy lets them act on: their own organisations'."""
        from django.contrib.contenttypes.models import ContentType
        from django.db.models.functions import Cast
        from wagtail.permissions import policy_registry

        from network.permissions import is_secretariat

        if user.is_superuser:
            return self.all()
        actions = ["add", "change", "delete", "view"]
        secretariat = is_secretariat(user)  # a query: asked once, not per model
        visible = Q(pk__in=[])
        for model in (Organisation, Person):
            policy = policy_registry.get_by_type(model)
            if not policy.user_has_any_permission(user, actions):
                continue
            content_type = ContentType.objects.get_for_model(model)
            if secretariat:
                visible |= Q(content_type=content_type)
            else:
                own = policy.instances_user_has_any_permission_for(user, actions)
                own_ids = own.annotate(object_key=Cast("pk", models.CharField())).values("object_key")
                visible |= Q(content_type=content_type, object_id__in=own_ids)
        return self.filter(visible)


class NetworkLogEntry(BaseLogEntry):
    """The admin history of organisations and people, in its own log model (registered in wagtail_hooks) so that
    the site history report names a member editor only their own organisations' records."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = NetworkLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "network log entry"
        verbose_name_plural = "network log entries"

    def __str__(self) -> str:
        return f"NetworkLogEntry {self.pk}: '{self.action}' on '{self.object_verbose_name}' with id {self.object_id}"


class NetworkIndexPage(RoutablePageMixin, BasePage):
    """The member directory (filters, map) and a page per organisation at /network/organisations/<slug>/."""

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["network.MemberHighlightPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from network.selectors import directory

        context = super().get_context(request, *args, **kwargs)
        context.update(directory(params=request.GET))
        return context

    @path("organisations/<slug:slug>/", name="organisation")
    def organisation(self, request, slug):
        from django.shortcuts import get_object_or_404
        from django.template.response import TemplateResponse

        organisation = get_object_or_404(
            Organisation.objects.select_related("region", "parent").prefetch_related("focus_areas"), slug=slug
        )
        highlights = MemberHighlightPage.objects.live().public().filter(organisation=organisation)
        return TemplateResponse(
            request,
            "network/organisation.html",
            {
                "page": self,
                "organisation": organisation,
                "highlights": highlights,
                "people": organisation.people.filter(may_be_quoted=True),
            },
        )


class MemberHighlightPageForm(WagtailAdminPageForm):
    """Offers, and accepts, only the organisations the user may edit (the secretariat: all)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        if self.for_user is not None:
            field.queryset = Organisation.objects.editable_by(self.for_user)
        field.error_messages["invalid_choice"] = (
            "Choose one of your own organisations: you may not publish a highlight in another's name."
        )


class MemberHighlightPage(BasePage):
    """An interview or profile of a member organisation; only its organisation's editors and the secretariat
    may act on it (``permissions_for_user``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="highlights")
    themes = ParentalManyToManyField(FocusArea, blank=True, related_name="highlights")
    standfirst = models.TextField(blank=True)
    body = RichTextField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("themes"),
        FieldPanel("standfirst"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("standfirst"), index.SearchField("body")]
    parent_page_types = ["network.NetworkIndexPage"]
    subpage_types = []
    base_form_class = MemberHighlightPageForm

    def permissions_for_user(self, user):
        from network.permissions import MemberHighlightPermissionTester

        return MemberHighlightPermissionTester(user, self)
