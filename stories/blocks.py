"""Quotes in report chapters and pages; each render re-checks consent, so a withdrawn quote vanishes at once."""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from stories.models import publishable_only


def consent_use(context) -> str:
    """Print consent for the PDF, web consent everywhere else."""
    return "print" if (context or {}).get("for_print") else "web"


class FeaturedQuoteBlock(blocks.StructBlock):
    """One quote, set large; renders nothing when the quote is not (or no longer) publishable for this use."""

    quote = SnippetChooserBlock("stories.Quote")

    class Meta:
        icon = "openquote"
        template = "components/featured_quote_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        quote = value["quote"]
        context["quotes"] = [quote] if quote and quote.is_shown(consent_use(parent_context)) else []
        return context


class StaffPerspectivesBlock(blocks.StructBlock):
    """Several named colleagues' quotes side by side; only quotes still consented are shown."""

    heading = blocks.CharBlock(required=False)
    quotes = blocks.ListBlock(SnippetChooserBlock("stories.Quote"))

    class Meta:
        icon = "group"
        template = "components/staff_perspectives_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        published = [q for q in value["quotes"] if q and q.person_id and q.published]
        context["quotes"] = publishable_only(published, consent_use(parent_context))
        return context
