"""Blocks of a report chapter: shared body blocks plus figures computed from the records."""

from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from core.blocks import BodyStreamBlock
from core.statistics import StatisticError, registry
from report import figures


def statistic_choices():
    return registry.choices()


class StatisticStructValue(blocks.StructValue):
    """The live figure behind a statistic block (editions substitute frozen ones at render time)."""

    @cached_property
    def figure(self):
        return figures.compute(self["statistic"], figures.parse_parameters(self["parameters"]))

    def caption(self) -> str:
        return self["label"] or registry.get(self["statistic"]).label


class StatisticBlock(blocks.StructBlock):
    """A named statistic from the registry, shown as a big number with a "how we counted" disclosure."""

    statistic = blocks.ChoiceBlock(choices=statistic_choices)
    parameters = blocks.TextBlock(
        required=False,
        rows=2,
        help_text="One name=value per line, e.g. start=2023-01-01 and end=2023-12-31.",
    )
    label = blocks.CharBlock(
        required=False, help_text="Caption under the number; defaults to the statistic's name."
    )

    class Meta:
        icon = "order"
        template = "components/statistic_block.html"
        value_class = StatisticStructValue

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        edition = (parent_context or {}).get("edition")
        figure = figures.resolve(value["statistic"], figures.parse_parameters(value["parameters"]), edition)
        context.update(figure=figure, formatted=figures.format_figure(figure))
        return context

    def clean(self, value):
        value = super().clean(value)
        try:
            value.figure  # noqa: B018 (computing it is the validation)
        except StatisticError as exc:
            raise StructBlockValidationError(block_errors={"parameters": ErrorList([str(exc)])}) from exc
        return value


def render_inline_figures(html: str, edition=None) -> str:
    """Replace [[statistic params]] markers in rendered rich text with the figure and its derivation."""

    def replace(match):
        try:
            figure = figures.resolve(match["name"], figures.parse_parameters(match["params"]), edition)
        except StatisticError as exc:
            return format_html('<span class="figure figure--error">[{}]</span>', exc)
        return format_html(
            '<span class="figure" title="{}">{}<span class="footnote">{}</span></span>',
            figure.derivation,
            figures.format_figure(figure),
            figure.derivation,
        )

    return figures.INLINE_FIGURE.sub(replace, html)


class ChapterParagraphBlock(blocks.RichTextBlock):
    """Rich text in which [[statistic name=value]] markers become live figures (a figure in a sentence)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul"])
        kwargs.setdefault(
            "help_text",
            "Write [[network.new_members start=2023-01-01 end=2023-12-31]] to insert a live figure.",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        errors = []
        for match in figures.INLINE_FIGURE.finditer(value.source):
            try:
                figures.compute(match["name"], figures.parse_parameters(match["params"]))
            except StatisticError as exc:
                errors.append(f"{match[0]}: {exc}")
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(" ".join(errors))
        return value

    def render_basic(self, value, context=None):
        edition = (context or {}).get("edition")
        html = str(super().render_basic(value, context))
        return mark_safe(render_inline_figures(html, edition))  # noqa: S308 (built with format_html)


class ChapterStreamBlock(BodyStreamBlock):
    """Everything a chapter body may hold."""

    paragraph = ChapterParagraphBlock()
    statistic = StatisticBlock()
