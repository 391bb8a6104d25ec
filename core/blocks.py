"""Blocks shared by every page type: headings, quotes, calls to action, "Read the story" links."""

from django.utils.text import slugify
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    """A section heading; chapters build their table of contents from these."""

    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2")

    class Meta:
        icon = "title"
        template = "components/heading_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = slugify(value["text"])
        return context


class QuoteBlock(blocks.StructBlock):
    """A pulled quote typed in by an editor (consented quotes come from the stories app)."""

    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)
    role = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "components/quote_block.html"


class LinkStructValue(blocks.StructValue):
    """Resolves a link block to one URL, preferring the internal page."""

    def url(self) -> str:
        page = self.get("page")
        return page.url if page else self.get("url") or ""

    def full_url(self) -> str:
        """The address with its host, for print, where a link cannot be followed."""
        page = self.get("page")
        return page.full_url if page else self.get("url") or ""


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "pick"
        template = "components/call_to_action_block.html"
        value_class = LinkStructValue


class ReadTheStoryBlock(blocks.StructBlock):
    """A card pointing to the long-form story behind a section."""

    title = blocks.CharBlock(max_length=200)
    summary = blocks.TextBlock(required=False)
    label = blocks.CharBlock(max_length=60, default="Read the story")
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "components/read_the_story_block.html"
        value_class = LinkStructValue


class BodyStreamBlock(blocks.StreamBlock):
    """The body of ordinary pages; report chapters extend it with figures and listings."""

    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    heading = HeadingBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    read_the_story = ReadTheStoryBlock()
