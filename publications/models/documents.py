"""Text extracted from uploaded PDFs, stored beside the Wagtail document and indexed for search."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import Collection, CollectionViewRestriction, Page
from wagtail.search import index


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for extraction"
    EXTRACTED = "extracted", "Text extracted"
    FAILED = "failed", "Text not extracted"


def hidden_collections():
    """Collections whose files Wagtail refuses to the public: those with a view restriction and every collection
    below one (a collection's path starts with its ancestors' paths). A subquery, never a query of its own."""
    over_it = CollectionViewRestriction.objects.filter(
        collection__path=Substr(OuterRef("path"), 1, Length("collection__path"))
    )
    return Collection.objects.filter(Exists(over_it))


class DocumentTextQuerySet(models.QuerySet):
    def public(self, *, pages=None):
        """Texts the public may search and quote: extracted, of a document attached to a live publication page
        outside any private section, and not in a hidden collection (see `hidden_collections`).

        ``pages``: the caller's own ``Page.objects.live().public()``, to reuse its view-restriction lookup. The
        rule is one subquery on ``document``, the only kind of filter Wagtail's search backends accept here."""
        from publications.models.pages import PublicationFile

        if pages is None:
            pages = Page.objects.live().public()
        on_public_pages = PublicationFile.objects.filter(page__in=pages.order_by().values("pk"))
        documents = (
            on_public_pages.exclude(document__collection__in=hidden_collections())
            .order_by()
            .values("document_id")
        )
        return self.filter(status=ExtractionStatus.EXTRACTED, document__in=documents)


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
        index.FilterField("document"),  # DocumentText.objects.public() filters on it
    ]

    objects = DocumentTextQuerySet.as_manager()

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
