"""The annual report: one AnnualReportPage per reporting year, its chapters as child pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.models import BasePage
from core.periods import reporting_periods
from core.request_memo import memoised_until_edited
from core.statistics import Reference, StatisticError, registry
from report import figures
from report.blocks import ChapterStreamBlock, figure_context, statistic_choices, validate_reference


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
        InlinePanel(
            "headline_figures",
            heading="Headline figures",
            label="Headline figure",
            help_text="The figures the impact page and the report lead with, in this order.",
        ),
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
    def period(self) -> tuple:
        return self.start_date, self.end_date

    def headline_references(self) -> list[Reference]:
        """The chosen headline figures' references, in this report's period."""
        return [headline.reference() for headline in self.headline_figures.all()]

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
        context["period"] = self.period
        preview = getattr(request, "is_preview", False)
        headlines = (  # a preview shows the headline figures being edited; the live page remembers its own
            list(self.headline_figures.all())
            if preview
            else memoised_until_edited(f"headlines-of:{self.pk}", lambda: list(self.headline_figures.all()))
        )
        context["headlines"] = [
            {"label": headline.caption, **figure_context(headline.reference(), context)}
            for headline in headlines
        ]
        context["previous_period"] = next((p for p in reporting_periods() if p.end < self.start_date), None)
        return context


class ReportHeadlineFigure(Orderable):
    """A figure the editor chose to lead the report and the impact page: a statistic with its parameters."""

    report = ParentalKey(AnnualReportPage, on_delete=models.CASCADE, related_name="headline_figures")
    statistic = models.CharField(max_length=100, choices=statistic_choices)
    parameters = models.TextField(
        blank=True,
        help_text="One name=value per line, e.g. channel=linkedin and measure=followers. Dates left out come "
        "from the report's period.",
    )
    label = models.CharField(max_length=120, blank=True, help_text="Defaults to the statistic's name.")

    panels = [FieldPanel("statistic"), FieldPanel("parameters"), FieldPanel("label")]

    def __str__(self) -> str:
        return self.caption

    @property
    def caption(self) -> str:
        if self.label:
            return self.label
        try:
            return registry.get(self.statistic).label
        except StatisticError:
            return self.statistic

    def reference(self) -> Reference:
        return figures.reference(
            self.statistic, self.parameters, (self.report.start_date, self.report.end_date)
        )

    def clean(self):
        super().clean()
        try:
            validate_reference(figures.reference(self.statistic, self.parameters, None))
        except StatisticError as exc:
            raise ValidationError({"parameters": str(exc)}) from exc


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
        context["period"] = self.report.period
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
    """A published edition: every figure, listing and chart series of the report frozen with its derivation,
    and the PDF made from it."""

    report = models.ForeignKey(AnnualReportPage, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    figures = models.JSONField(
        default=dict,
        help_text="Reference key → what it gave at publishing: a figure (value, unit, derivation, records URL), "
        "a series (points) or a listing (items), or the reason it was unavailable.",
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
