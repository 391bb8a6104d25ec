"""Text extracted from uploaded PDFs, stored beside the Wagtail document and indexed for search."""

from django.db import models
from wagtail.search import index


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for extraction"
    EXTRACTED = "extracted", "Text extracted"
    FAILED = "failed", "Text not extracted"


class DocumentText(index.Indexed, models.Model):
    """One per document: its extracted text, or why there is none (a broken PDF is kept, only flagged)."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="extracted"
    )
    status = models.CharField(
        max_length=20, choices=ExtractionStatus.choices, default=ExtractionStatus.PENDING
    )
    text = models.TextField(blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True, help_text="Why the text could not be extracted.")
    file_hash = models.CharField(
        max_length=40, blank=True, help_text="The document version the text came from."
    )
    extracted_at = models.DateTimeField(null=True, blank=True)

    search_fields = [
        index.SearchField("text"),
        index.RelatedFields("document", [index.SearchField("title", boost=3)]),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = "extracted document text"
        verbose_name_plural = "extracted document texts"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(problem=""),
                name="failed_extraction_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.title}: {self.get_status_display()}"

    @property
    def is_stale(self) -> bool:
        return self.file_hash != (self.document.file_hash or "")
