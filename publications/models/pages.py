"""The library: an index page with filters and feeds, and a page per publication with files and citations."""

from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.jsonld import script_json
from core.models import BasePage
from publications.models.documents import hidden_collections

LANGUAGES = sorted(global_settings.LANGUAGES, key=lambda item: item[1])


class PublicationKind(models.TextChoices):
    CASE_STUDY = "case_study", "Case study"
    COUNTRY_OVERVIEW = "country_overview", "Country overview"
    JOINT_COUNTRY_OVERVIEW = "joint_country_overview", "Joint country overview"
    RESEARCH_REPORT = "research_report", "Research report"
    EVENT_REPORT = "event_report", "Event report"
    SUMMARY = "summary", "Summary"
    POLICY_BRIEF = "policy_brief", "Policy brief"
    GUIDANCE = "guidance", "Guidance"


class PublicationIndexPage(RoutablePageMixin, BasePage):
    """The library: every publication, filterable by kind, year, country, theme, programme and language."""

    introduction = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["publications.PublicationPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from publications.selectors import library

        context = super().get_context(request, *args, **kwargs)
        context.update(library(index=self, params=request.GET))
        return context

    @path("feed/rss/", name="rss")
    def rss(self, request):
        from publications.feeds import LatestPublicationsRss

        return LatestPublicationsRss(self)(request)

    @path("feed/atom/", name="atom")
    def atom(self, request):
        from publications.feeds import LatestPublicationsAtom

        return LatestPublicationsAtom(self)(request)


class PublicationPage(RoutablePageMixin, BasePage):
    """A report, study or overview: its metadata, files (PDF, text indexed for search) and citation."""

    kind = models.CharField(max_length=30, choices=PublicationKind.choices)
    publication_date = models.DateField()
    programme = models.ForeignKey(
        "publications.Programme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    themes = ParentalManyToManyField("network.FocusArea", blank=True, related_name="publications")
    summary = models.TextField(help_text="Two or three sentences for listings, search results and sharing.")
    body = RichTextField(blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publisher = models.CharField(max_length=200, default="ECPAT International")
    doi = models.CharField(
        "DOI", max_length=100, blank=True, help_text="e.g. 10.1234/abcd (without https://doi.org/)."
    )
    isbn = models.CharField("ISBN", max_length=20, blank=True)
    survivors_consulted = models.PositiveIntegerField(
        null=True, blank=True, help_text="Study only: how many survivors took part (a recorded number)."
    )
    survivors_consulted_source = models.CharField(
        max_length=255, blank=True, help_text="Where the number comes from, e.g. the methodology chapter."
    )
    wider_study_countries = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="When this is part of a larger study: how many countries that study covers.",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("publication_date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("cover_image"),
        InlinePanel("files", label="Files (PDF)", min_num=0),
        InlinePanel("authors", label="Authors"),
        InlinePanel("organisations", label="Partner organisations and funders"),
        MultiFieldPanel(
            [
                FieldPanel("programme"),
                FieldPanel("themes"),
                InlinePanel("countries", label="Countries covered"),
            ],
            heading="Classification",
        ),
        MultiFieldPanel(
            [FieldPanel("publisher"), FieldRowPanel([FieldPanel("doi"), FieldPanel("isbn")])],
            heading="Bibliographic details",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("survivors_consulted"), FieldPanel("wider_study_countries")]),
                FieldPanel("survivors_consulted_source"),
            ],
            heading="Study figures",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("files_text"),
        index.RelatedFields("programme", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("publication_date"),
    ]
    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types = []

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(survivors_consulted__isnull=True)
                | ~models.Q(survivors_consulted_source=""),
                name="survivors_consulted_has_a_source",
            )
        ]

    def clean(self):
        super().clean()
        if self.survivors_consulted is not None and not self.survivors_consulted_source:
            raise ValidationError(
                {"survivors_consulted_source": "Say where the number of survivors comes from."}
            )

    # Derived values ---------------------------------------------------------------------------------------

    def files_text(self) -> str:
        """The extracted text of the files the public may open, so a query for a word only the PDF contains finds
        the page. A file in a hidden collection (a view restriction on it or above it) is left out: the page would
        otherwise be found by words only that file holds. The page's own state (draft, private) is not part of
        the index: the search looks among live, public pages only, and a view restriction added or removed later
        does not reindex the page."""
        hidden = set(hidden_collections().values_list("pk", flat=True))
        # self.files, not a query: a page published from a revision carries its files in memory.
        return "\n".join(
            f.document.extracted.text
            for f in self.files.select_related("document__extracted")
            if f.document_id and f.document.collection_id not in hidden and hasattr(f.document, "extracted")
        )

    @property
    def year(self) -> int:
        return self.publication_date.year

    @property
    def author_names(self) -> list[str]:
        return [a.display_name for a in self.authors.all()]

    @property
    def country_list(self) -> list:
        return [c.country for c in self.countries.all()]

    @property
    def languages(self) -> list[str]:
        labels = dict(LANGUAGES)
        return sorted({labels.get(f.language, f.language) for f in self.files.all()})

    @property
    def citation(self) -> str:
        """APA-like: Authors (Year). Title [Kind]. Publisher. DOI or URL."""
        authors = self.author_names or [self.publisher]
        names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
        parts = [f"{names} ({self.year}). {self.title} [{self.get_kind_display()}]."]
        if self.publisher and self.publisher not in authors:
            parts.append(f"{self.publisher}.")
        link = f"https://doi.org/{self.doi}" if self.doi else self.full_url
        if link:
            parts.append(link)
        return " ".join(parts)

    def json_ld(self, request=None) -> str:
        """schema.org ScholarlyArticle (research) or Report, escaped for a <script> element."""
        data = {
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle" if self.kind == PublicationKind.RESEARCH_REPORT else "Report",
            "name": self.title,
            "headline": self.title,
            "datePublished": self.publication_date.isoformat(),
            "abstract": self.summary,
            "url": self.get_full_url(request),
            "publisher": {"@type": "Organization", "name": self.publisher},
            "author": [{"@type": "Person", "name": n} for n in self.author_names]
            or [{"@type": "Organization", "name": self.publisher}],
            "inLanguage": sorted({f.language for f in self.files.all()}),
            "about": [t.name for t in self.themes.all()],
            "spatialCoverage": [{"@type": "Country", "name": c.name} for c in self.country_list],
        }
        if self.doi:
            data["identifier"] = f"https://doi.org/{self.doi}"
        if self.isbn:
            data["isbn"] = self.isbn
        partners = [o.organisation.name for o in self.organisations.all() if o.role == PartnerRole.PARTNER]
        funders = [o.organisation.name for o in self.organisations.all() if o.role == PartnerRole.FUNDER]
        if partners:
            data["contributor"] = [{"@type": "Organization", "name": n} for n in partners]
        if funders:
            data["funder"] = [{"@type": "Organization", "name": n} for n in funders]
        return script_json(data)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["json_ld"] = self.json_ld(request)
        # Published overviews only: a draft's row holds text nobody has reviewed yet.
        context["overviews"] = self.overviews.live().prefetch_related("sections", "assessments__standard")
        return context

    # Citation downloads: Wagtail page routes cannot contain ".", so the extension is in the filename only.

    @path("cite/ris/", name="ris")
    def ris(self, request):
        from publications.citations import to_ris

        return self._download(to_ris(self), "application/x-research-info-systems", "ris")

    @path("cite/bibtex/", name="bibtex")
    def bibtex(self, request):
        from publications.citations import to_bibtex

        return self._download(to_bibtex(self), "application/x-bibtex", "bib")

    def _download(self, text: str, content_type: str, extension: str) -> HttpResponse:
        response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.{extension}"'
        return response


class PublicationFile(Orderable):
    """A file of a publication (the report, a translation, an annex); a PDF whose text is extracted."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=100, blank=True, help_text="e.g. Full report, Summary, Annex.")
    language = models.CharField(max_length=10, choices=LANGUAGES, default="en")

    panels = [FieldPanel("document"), FieldRowPanel([FieldPanel("label"), FieldPanel("language")])]

    def __str__(self) -> str:
        return self.label or self.document.title

    def clean(self):
        from publications.validation import pdf_problem

        if self.document_id:
            problem = pdf_problem(self.document.file, name=self.document.title)
            if problem:
                raise ValidationError({"document": problem})

    @property
    def text_status(self):
        from publications.models.documents import DocumentText

        extracted = DocumentText.objects.filter(document_id=self.document_id).first()
        return extracted.get_status_display() if extracted else "Waiting for extraction"


class PublicationAuthor(Orderable):
    """A named author: a person the network knows, or a name as printed."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="authors")
    person = models.ForeignKey(
        "network.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True, help_text="As printed, when not a known person.")

    panels = [FieldPanel("person"), FieldPanel("name")]

    def __str__(self) -> str:
        return self.display_name

    def clean(self):
        if not self.person_id and not self.name:
            raise ValidationError("Choose a person or type the author's name.")

    @property
    def display_name(self) -> str:
        return self.name or (self.person.name if self.person_id else "")


class PartnerRole(models.TextChoices):
    PARTNER = "partner", "Partner"
    FUNDER = "funder", "Funder"


class PublicationOrganisation(Orderable):
    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER)

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "organisation", "role"], name="one_role_per_publication_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class PublicationCountry(Orderable):
    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="countries")
    country = CountryField()

    panels = [FieldPanel("country")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "country"], name="country_once_per_publication")
        ]

    def __str__(self) -> str:
        return self.country.name
