"""Media monitoring: sources and collections, ingested items, name matches awaiting review, ingest batches."""

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField


class SourceKind(models.TextChoices):
    TRADITIONAL_NEWS = "traditional_news", "Traditional news"
    BROADCAST = "broadcast", "Broadcast"
    BLOG = "blog", "Blog"
    SOCIAL_PLATFORM = "social_platform", "Social platform"


class Source(models.Model):
    """A newspaper, broadcaster, blog or social platform whose items we collect."""

    name = models.CharField(max_length=200, unique=True, help_text="Given to ingest_items --source.")
    url = models.URLField(blank=True)
    kind = models.CharField(max_length=30, choices=SourceKind.choices)
    country = CountryField(blank=True)
    language = models.CharField(
        max_length=10, blank=True, help_text="Default language of its items, e.g. en."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Collection(models.Model):
    """A named group of sources counted together, e.g. East Africa press."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="collections")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BatchStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IngestBatch(models.Model):
    """One file or feed being ingested; its resume point and counts are saved with each stored batch of items."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="ingest_batches")
    origin = models.CharField(max_length=500, help_text="The file path or feed URL read.")
    export_format = models.CharField(
        max_length=40,
        blank=True,
        help_text="The format the file was read as, so a resumed run reads it the same.",
    )
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    position = models.PositiveBigIntegerField(default=0, help_text="Records up to this line/entry are done.")
    chunks_done = models.PositiveIntegerField(default=0)
    read_count = models.PositiveIntegerField(default=0)
    stored_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(
        default=list, blank=True, help_text="The first skips: position, reason."
    )
    match_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "ingest batches"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.origin} ({self.source})"


def item_content(title: str, text: str) -> str:
    return f"{title}\n\n{text}" if title else text


class ItemQuerySet(models.QuerySet):
    def originals(self):
        """Items that are not copies of an earlier item: the ones attention counts."""
        return self.filter(duplicate_of__isnull=True)


class Item(models.Model):
    """An article, broadcast transcript or post as collected; near-duplicates point at their original."""

    wagtail_reference_index_ignore = True
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="items")
    batch = models.ForeignKey(
        IngestBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    title = models.TextField(blank=True)
    text = models.TextField(blank=True)
    url = models.TextField()
    canonical_url = models.CharField(max_length=2000, unique=True)
    fingerprint = models.BigIntegerField(help_text="64-bit SimHash of the text (signed).")
    published_at = models.DateTimeField(db_index=True)
    language = models.CharField(max_length=10, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def content(self) -> str:
        """What the matcher scans and match offsets point into: the title, a blank line, the text."""
        return item_content(self.title, self.text)


class MatchStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Match(models.Model):
    """One mention of an organisation in an item, with character offsets so a reviewer can see the sentence."""

    wagtail_reference_index_ignore = True
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="matches")
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="media_matches"
    )
    matched_name = models.CharField(max_length=200, help_text="The name or alias that matched.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "matches"
        ordering = ["item", "start"]
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation", "start"], name="monitoring_match_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="monitoring_match_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matched_name} in {self.item}"

    @property
    def phrase(self) -> str:
        return self.item.content[self.start : self.end]
