"""The annual report: one AnnualReportPage per reporting year, its chapters as child pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.models import BasePage
from core.request_memo import memoised_until_edited
from report.blocks import ChapterStreamBlock


class AnnualReportPage(BasePage):
    """A reporting year (e.g. 2022-2023) with an introduction; its chapters are child pages."""

    year_label = models.CharField(max_length=20, help_text="As printed, e.g. 2022-2023.")
    start_date = models.DateField(help_text="First day of the reporting period.")
    end_date = models.DateField(help_text="Last day of the reporting period.")
    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("year_label"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading="Reporting period"),
        FieldPanel("introduction"),
        FieldPanel("cover_image"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["report.ReportChapterPage"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="report_period_ends_after_start"
            )
        ]

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The reporting period must end after it starts."})

    @property
    def full_title(self) -> str:
        """The title with the year, which it usually holds already ("Annual Report 2022-2023")."""
        return self.title if self.year_label in self.title else f"{self.title} {self.year_label}"

    @property
    def period_text(self) -> str:
        """The reporting period in words, e.g. "August 2022 to July 2023"."""
        return f"{self.start_date:%B %Y} to {self.end_date:%B %Y}"

    @property
    def chapters(self):
        # Only chapters may sit under a report, so the chapter model's own query already gives specific pages.
        return ReportChapterPage.objects.child_of(self).live().public()

    @property
    def latest_edition(self):
        # Remembered across requests: saving an edition forgets it (report/apps.py).
        return memoised_until_edited(f"latest-edition:{self.pk}", lambda: self.editions.first())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["edition"] = None if getattr(request, "is_preview", False) else self.latest_edition
        return context


class ReportChapterPage(BasePage):
    """One chapter: a standfirst and a body of text, quotes, calls to action and live figures."""

    standfirst = models.TextField(blank=True, help_text="One or two sentences under the title.")
    body = StreamField(ChapterStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("standfirst"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("standfirst"), index.SearchField("body")]
    parent_page_types = ["report.AnnualReportPage"]
    subpage_types = []

    @cached_property
    def report(self) -> AnnualReportPage:
        parent = AnnualReportPage.objects.parent_of
        if self.pk is None:  # a preview of a chapter not yet saved
            return parent(self).get()
        return memoised_until_edited(f"report-of:{self.pk}", lambda: parent(self).get())

    def get_context(self, request, *args, **kwargs):
        # Published pages show the figures frozen in the latest edition; previews of drafts show live ones.
        context = super().get_context(request, *args, **kwargs)
        context["edition"] = None if getattr(request, "is_preview", False) else self.report.latest_edition
        return context

    def table_of_contents(self) -> list[dict]:
        """Headings of the body, in order, with the anchors the heading block renders."""
        return [
            {
                "text": block.value["text"],
                "anchor": slugify(block.value["text"]),
                "level": block.value["level"],
            }
            for block in self.body
            if block.block_type == "heading"
        ]

    def siblings(self) -> tuple:
        """The previous and next chapter, for navigation at the foot of the page."""
        report = self.report
        chapters = memoised_until_edited(f"chapters-of:{report.pk}", lambda: list(report.chapters))
        ids = [c.pk for c in chapters]
        i = ids.index(self.pk) if self.pk in ids else -1
        previous = chapters[i - 1] if i > 0 else None
        following = chapters[i + 1] if 0 <= i < len(chapters) - 1 else None
        return previous, following


class ReportEdition(models.Model):
    """A published edition: every figure, listing and line chart of the report frozen (figures with their
    derivations), and the PDF made from it."""

    report = models.ForeignKey(AnnualReportPage, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    figures = models.JSONField(default=dict, help_text="Figure key → value, unit, derivation, records URL.")
    listings = models.JSONField(
        default=dict, blank=True, help_text="Listing key → the records it listed (title, url, meta)."
    )
    series = models.JSONField(
        default=dict, blank=True, help_text="Line chart key → the points it drew ([ISO day, value], …)."
    )
    pdf = models.FileField(upload_to="reports/", blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_number_per_report_edition")
        ]

    def __str__(self) -> str:
        return f"{self.report.title}, edition {self.number} ({self.published_at:%d %b %Y})"
