"""Admin for publications: programmes, overviews, Convention standards, extracted texts; extraction on publish."""

from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from core.snippets import PolicySnippetViewSet
from publications.models import (
    ConventionStandard,
    CountryOverview,
    DocumentText,
    Programme,
    PublicationPage,
)
from publications.services import publication_files_sync


class ProgrammeViewSet(PolicySnippetViewSet):
    model = Programme
    icon = "tag"
    list_display = ["name", "website"]
    search_fields = ["name"]


class CountryOverviewViewSet(PolicySnippetViewSet):
    model = CountryOverview
    icon = "globe"
    menu_label = "Country overviews"
    list_display = [
        "country",
        "year",
        "kind",
        "publication",
        BooleanColumn("is_demo_content", label="Demo content", sort_key="is_demo_content"),
        LiveStatusTagColumn(),  # live, live + draft, draft, in moderation (a custom list_display must name it)
    ]
    list_filter = ["kind", "year", "live"]


class ConventionStandardViewSet(PolicySnippetViewSet):
    model = ConventionStandard
    icon = "list-ol"
    list_display = ["reference", "title", "convention"]


class DocumentTextViewSet(PolicySnippetViewSet):
    """Which PDFs had their text extracted, and why not when they did not (read it; extraction fills it)."""

    model = DocumentText
    icon = "doc-full"
    menu_label = "Extracted texts"
    list_display = ["document", "status", "pages", "problem", "extracted_at"]
    list_filter = ["status"]
    form_fields = ["status", "problem"]


class PublicationsGroup(SnippetViewSetGroup):
    menu_label = "Publications"
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (ProgrammeViewSet, CountryOverviewViewSet, ConventionStandardViewSet, DocumentTextViewSet)


register_snippet(PublicationsGroup)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def queue_publication_text_extraction(request, page):
    """Files chosen in the page editor get their text extracted (once per file version) in the background."""
    if isinstance(page.specific, PublicationPage):
        publication_files_sync(page=page.specific)
