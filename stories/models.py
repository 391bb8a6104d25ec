"""Stories and quotes, their speakers, and the consent records without which none of them is published.

A survivor is stored so that identifying them is impossible, not merely hidden: the model has no field for a
surname, photo, school, city or exact age, and its chosen name must be one word that is nobody's name on file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from core.models import BasePage


def consent_storage():
    """Consent forms never go to the public media folder: only a permission-checked view serves them.

    A callable, so migrations record a reference rather than this machine's absolute path.
    """
    return FileSystemStorage(location=Path(settings.PRIVATE_MEDIA_ROOT) / "consents")


class AgeBand(models.TextChoices):
    CHILD = "child", "Child"
    TEENAGER = "teenager", "Teenager"
    YOUNG_ADULT = "young_adult", "Young adult"
    ADULT = "adult", "Adult"


class Survivor(models.Model):
    """A survivor, child or young person who speaks through us, known publicly only by a chosen name."""

    chosen_name = models.CharField(
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[^\W\d_][^\s\d_]*$", "One word only: a first name or a pseudonym.")],
        help_text="A first name or pseudonym, one word. Never a surname.",
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, blank=True)
    region = models.ForeignKey(
        "network.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_child = models.BooleanField(
        default=False, help_text="Under 18 when consent was given: a guardian consents."
    )

    panels = [
        FieldPanel("chosen_name"),
        FieldRowPanel([FieldPanel("age_band"), FieldPanel("region")]),
        FieldPanel("is_child"),
    ]

    class Meta:
        ordering = ["chosen_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(chosen_name__contains=" ") & ~Q(chosen_name=""),
                name="stories_survivor_one_word_name",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chosen_name} (survivor)"

    def clean(self):
        from network.models import Person

        name = (self.chosen_name or "").strip()
        if name and Person.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                {"chosen_name": "That is the full name of a person on file; choose a pseudonym."}
            )

    @property
    def public_name(self) -> str:
        return self.chosen_name


class ConsentUse(models.TextChoices):
    WEB = "web", "Website"
    PRINT = "print", "Print and PDF"
    SOCIAL = "social", "Social media"


class ConsentQuerySet(models.QuerySet):
    def valid_for(self, use: str, on: date | None = None):
        """Consents in force on a day for a use: given, not expired, not withdrawn."""
        on = on or timezone.localdate()
        return (
            self.filter(**{f"use_{use}": True}, given_on__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        )


class Consent(models.Model):
    """Who agreed to what use of their words, until when, how it was obtained, and whether it was withdrawn."""

    class GivenBy(models.TextChoices):
        SUBJECT = "subject", "The person themself"
        GUARDIAN = "guardian", "A parent or guardian"

    class Method(models.TextChoices):
        WRITTEN = "written", "Signed form"
        RECORDED = "recorded", "Recorded verbal consent"
        EMAIL = "email", "Email"

    survivor = models.ForeignKey(
        Survivor, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(
        "network.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    given_by = models.CharField(max_length=20, choices=GivenBy.choices, default=GivenBy.SUBJECT)
    given_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True, help_text="Blank: until withdrawn.")
    use_web = models.BooleanField("web", default=False)
    use_print = models.BooleanField("print", default=False)
    use_social = models.BooleanField("social media", default=False)
    named = models.BooleanField(
        default=False,
        help_text="May be named (staff, members). Survivors are only ever shown by their chosen name.",
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.FileField(
        storage=consent_storage,
        upload_to="%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
        help_text="The signed form; visible only to safeguarding staff.",
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    objects = ConsentQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("survivor"), FieldPanel("person")]),
        FieldRowPanel(
            [FieldPanel("given_by"), FieldPanel("method"), FieldPanel("given_on"), FieldPanel("valid_until")]
        ),
        MultiFieldPanel(
            [FieldPanel("use_web"), FieldPanel("use_print"), FieldPanel("use_social"), FieldPanel("named")],
            heading="Uses agreed",
        ),
        FieldPanel("document", permission="stories.view_consent_document"),
        FieldRowPanel([FieldPanel("withdrawn_on"), FieldPanel("withdrawal_reason")]),
    ]

    class Meta:
        ordering = ["-given_on"]
        permissions = [("view_consent_document", "Can see consent documents (safeguarding)")]
        constraints = [
            models.CheckConstraint(
                condition=Q(survivor__isnull=False, person__isnull=True)
                | Q(survivor__isnull=True, person__isnull=False),
                name="stories_consent_has_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="stories_consent_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(survivor__isnull=True) | Q(named=False), name="stories_survivors_are_never_named"
            ),
        ]

    def __str__(self) -> str:
        uses = ", ".join(u.label for u in ConsentUse if getattr(self, f"use_{u.value}"))
        return (
            f"Consent of {self.survivor or self.person} for {uses or 'no use'} from {self.given_on:%d %b %Y}"
        )

    def clean(self):
        if self.survivor_id and self.survivor.is_child and self.given_by != self.GivenBy.GUARDIAN:
            raise ValidationError({"given_by": "A child's consent must be given by a parent or guardian."})


class SpeakerMixin(models.Model):
    """Exactly one speaker: a named person on file, or a survivor known by a chosen name."""

    person = models.ForeignKey(
        "network.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    survivor = models.ForeignKey(Survivor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def speaker_name(self) -> str:
        return self.person.name if self.person_id else self.survivor.public_name

    @property
    def speaker_role(self) -> str:
        return self.person.role if self.person_id else "survivor"

    def consents(self):
        return (
            Consent.objects.filter(person_id=self.person_id)
            if self.person_id
            else Consent.objects.filter(survivor_id=self.survivor_id)
        )

    def consent_for(self, use: str, on: date | None = None) -> Consent | None:
        """The consent that allows this use today; named use needs a consent that allows naming."""
        return consents_allowing(use, on, speakers=[self]).first()

    def is_publishable(self, use: str = ConsentUse.WEB, on: date | None = None) -> bool:
        return self.consent_for(use, on) is not None


def consents_allowing(use: str, on: date | None, *, speakers) -> ConsentQuerySet:
    """The consents that allow `use` on the day (today by default) for any of these speakers: a person on file
    needs one that also allows naming them, a survivor (known by a chosen name) any valid one."""
    people = [speaker.person_id for speaker in speakers if speaker.person_id]
    survivors = [speaker.survivor_id for speaker in speakers if speaker.survivor_id]
    return Consent.objects.valid_for(use, on).filter(
        Q(person_id__in=people, named=True) | Q(survivor_id__in=survivors)
    )


def publishable_only(speakers: list, use: str = ConsentUse.WEB) -> list:
    """The quotes or stories whose consent allows `use` today, in their order, with their speakers loaded: three
    queries for any number, where `is_publishable` one by one would take two per item."""
    if not speakers:
        return []
    allowed = set(consents_allowing(use, None, speakers=speakers).values_list("person_id", "survivor_id"))
    people = {person for person, _ in allowed if person}
    survivors = {survivor for _, survivor in allowed if survivor}
    shown = [s for s in speakers if (s.person_id in people if s.person_id else s.survivor_id in survivors)]
    prefetch_related_objects(shown, "person", "survivor")
    return shown


class Quote(SpeakerMixin):
    """One passage in someone's words, shown only while their consent for the use is valid."""

    text = models.TextField()
    context = models.CharField(
        max_length=200, blank=True, help_text="Where it was said, e.g. staff interview, 2023."
    )
    published = models.BooleanField(
        default=False, editable=False, help_text="Set by the publish service only."
    )

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("person"), FieldPanel("survivor")]),
        FieldPanel("context"),
    ]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(survivor__isnull=False, person__isnull=True)
                | Q(survivor__isnull=True, person__isnull=False),
                name="stories_quote_has_one_speaker",
            )
        ]

    def __str__(self) -> str:
        return f"“{self.text[:60]}…” – {self.speaker_name}"

    def clean(self):
        if bool(self.person_id) == bool(self.survivor_id):
            raise ValidationError("Choose the speaker: a person on file or a survivor, not both.")

    def is_shown(self, use: str = ConsentUse.WEB) -> bool:
        """Shown where embedded only if published and still consented (re-checked at every render)."""
        return self.published and self.is_publishable(use)


class StoryIndexPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """Stories from members and survivors."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.child_of(self).live().public().select_related("person", "survivor")
        context["stories"] = publishable_only(list(stories))
        return context


class StoryPage(SpeakerMixin, BasePage):  # noqa: DJ008 (Page provides __str__)
    """A story told in someone's words; published only with a valid web consent (checked again on every view)."""

    standfirst = models.CharField(max_length=300, blank=True)
    body = RichTextField(features=["bold", "italic", "h2", "h3", "link", "ol", "ul"])

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("person"), FieldPanel("survivor")]),
        FieldPanel("standfirst"),
        FieldPanel("body"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:  # noqa: DJ012
        constraints = [
            models.CheckConstraint(
                condition=Q(survivor__isnull=False, person__isnull=True)
                | Q(survivor__isnull=True, person__isnull=False),
                name="stories_story_has_one_speaker",
            )
        ]

    def clean(self):
        super().clean()
        if bool(self.person_id) == bool(self.survivor_id):
            raise ValidationError("Choose the speaker: a person on file or a survivor, not both.")
        if self.survivor_id and self.social_image_id:
            raise ValidationError(
                {"social_image": "A survivor's story never carries a photo; remove the image."}
            )

    def serve(self, request, *args, **kwargs):
        from django.http import Http404

        if not self.is_publishable():  # consent withdrawn or expired since publishing: gone at once
            raise Http404("This story is not available.")
        return super().serve(request, *args, **kwargs)


class ConsentAuditEntry(models.Model):
    """Every consent-driven action: publishing refused or done, consent withdrawn, content taken down."""

    class Action(models.TextChoices):
        PUBLISHED = "published", "Published"
        REFUSED = "refused", "Publishing refused"
        WITHDRAWN = "withdrawn", "Consent withdrawn"
        TAKEN_DOWN = "taken_down", "Taken down"

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=Action.choices)
    subject = models.CharField(max_length=200, help_text="What was acted on, e.g. Quote 12.")
    reason = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "consent audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.subject}"
