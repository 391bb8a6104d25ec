"""Blocks of a report chapter: shared body blocks plus figures computed from the records."""

import datetime
from decimal import Decimal

from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from core.blocks import BodyStreamBlock
from core.request_memo import memoised
from core.statistics import StatisticError, registry
from donations.blocks import DonationStartBlock
from report import figures, listings
from stories.blocks import FeaturedQuoteBlock, StaffPerspectivesBlock


def statistic_choices():
    return registry.choices()


class KeyChoiceBlock(blocks.ChoiceBlock):
    """A choice stored as its text key. Loading keeps the key as it is: Wagtail's default looks it up in the
    choice list, which for a list built by a function meant building the list again for every block shown."""

    def to_python(self, value):
        return value


class StatisticStructValue(blocks.StructValue):
    """The live figure behind a statistic block (editions substitute frozen ones at render time)."""

    @cached_property
    def figure(self):
        return figures.compute(self["statistic"], figures.parse_parameters(self["parameters"]))

    def caption(self) -> str:
        if self["label"]:
            return self["label"]
        try:
            return registry.get(self["statistic"]).label
        except StatisticError:  # a statistic since removed from the registry: the page still renders
            return self["statistic"]


class StatisticBlock(blocks.StructBlock):
    """A named statistic from the registry, shown as a big number with a "how we counted" disclosure."""

    statistic = KeyChoiceBlock(choices=statistic_choices)
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
        try:
            figure = figures.resolve(
                value["statistic"], figures.parse_parameters(value["parameters"]), edition
            )
        # Records gone since the chapter was written: say so, never fail the page.
        except StatisticError as exc:
            context.update(figure=None, unavailable=str(exc))
            return context
        notes = (parent_context or {}).get("printed_notes")  # the PDF's footnotes (report.pdf.PrintedNotes)
        context.update(
            figure=figure,
            formatted=figures.format_figure(figure),
            repeat_of_note=notes.repeat_of(figure.derivation) if notes else None,
        )
        return context

    def clean(self, value):
        value = super().clean(value)
        try:
            value.figure  # noqa: B018 (computing it is the validation)
        except StatisticError as exc:
            raise StructBlockValidationError(block_errors={"parameters": ErrorList([str(exc)])}) from exc
        return value


def render_inline_figures(html: str, edition=None, notes=None) -> str:
    """Replace [[statistic params]] markers in rendered rich text with the figure and its derivation.

    `notes`: the PDF's footnotes (report.pdf.PrintedNotes); a derivation printed already becomes "see note N"."""

    def replace(match):
        try:
            figure = figures.resolve(match["name"], figures.parse_parameters(match["params"]), edition)
        except StatisticError as exc:
            return format_html('<span class="figure figure--error">[{}]</span>', exc)
        repeat = notes.repeat_of(figure.derivation) if notes else None
        if repeat:
            note = format_html('<span class="note-ref"> (see note {})</span>', repeat)
        else:
            note = format_html('<span class="footnote">{}</span>', figure.derivation)
        return format_html(
            '<span class="figure" title="{}">{}{}</span>',
            figure.derivation,
            figures.format_figure(figure),
            note,
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
        context = context or {}
        html = str(super().render_basic(value, context))
        return mark_safe(render_inline_figures(html, context.get("edition"), context.get("printed_notes")))  # noqa: S308 (built with format_html)


class ChartStructValue(blocks.StructValue):
    """The series a chart block draws: "channel measure" lines, resolved to figures or observations."""

    def series(self) -> list[tuple[str, str]]:
        pairs = []
        for line in (self["series"] or "").splitlines():
            words = line.split()
            if words:
                if len(words) != 2:
                    raise StatisticError(
                        f"{line.strip()!r} should be a channel and a measure, e.g. linkedin followers."
                    )
                pairs.append((words[0], words[1]))
        return pairs

    def figure_references(self) -> list[tuple[str, dict[str, str]]]:
        """Bars are year-over-year figures, so an edition freezes them like any statistic."""
        if self["kind"] != "yoy_by_channel":
            return []
        period_end = self["period_end"].isoformat()
        return [
            ("comms.yoy_change", {"channel": channel, "measure": measure, "period_end": period_end})
            for channel, measure in self.series()
        ]

    def render_chart(self, edition=None, chart_id: str = "chart"):
        """The chart, or a line saying why it cannot be drawn (records gone since it was set up)."""
        try:
            return self._draw(edition, chart_id)
        except StatisticError as exc:
            return format_html('<p class="chart__empty">{}: chart unavailable ({})</p>', self["title"], exc)

    def _draw(self, edition, chart_id: str):
        from comms import charts
        from comms.models import Channel
        from comms.statistics import series_label

        names = memoised("channel_names", lambda: dict(Channel.objects.values_list("slug", "name")))
        if self["kind"] == "yoy_by_channel":
            items = []
            for name, params in self.figure_references():
                figure = figures.resolve(name, params, edition)
                channel_name = names.get(params["channel"], params["channel"])
                items.append((series_label(channel_name, params["measure"]), figure.value))
            return charts.bar_chart(
                title=self["title"], description=self["description"], items=items, chart_id=chart_id, unit="%"
            )
        return charts.line_chart(
            title=self["title"],
            description=self["description"],
            points=self.points(edition),
            chart_id=chart_id,
        )

    def series_key(self) -> str:
        """A stable key for a line chart's data, used to freeze and look up its points in an edition."""
        channel, measure = self.series()[0]
        return f"{channel} {measure} {self['period_end'].isoformat()}"

    def points(self, edition=None) -> list[tuple[datetime.date, Decimal]]:
        """A line chart's (day, value) points: frozen in the edition when it holds them, otherwise live."""
        from comms.models import Observation
        from comms.statistics import previous_year

        if edition is not None and (frozen := edition.series.get(self.series_key())) is not None:
            return [(datetime.date.fromisoformat(day), Decimal(value)) for day, value in frozen]
        channel, measure = self.series()[0]
        end = self["period_end"]
        return list(
            Observation.objects.of(channel, measure)
            .filter(date__gt=previous_year(end), date__lte=end)
            .order_by("date")
            .values_list("date", "value")
        )


class ChartBlock(blocks.StructBlock):
    """A server-rendered SVG chart from the communications records, with its text alternative and data table."""

    kind = blocks.ChoiceBlock(
        choices=[
            ("yoy_by_channel", "Year-over-year change by channel (bars)"),
            ("over_time", "One measure over the year to the period end (line)"),
        ]
    )
    title = blocks.CharBlock()
    description = blocks.TextBlock(
        help_text="The chart's text alternative: what it shows and what stands out."
    )
    series = blocks.TextBlock(
        rows=4,
        help_text="One 'channel measure' per line, e.g. linkedin followers (a line chart uses the first).",
    )
    period_end = blocks.DateBlock(help_text="The last day of the reporting period, e.g. 31 July 2023.")

    class Meta:
        icon = "table"
        template = "components/chart_block.html"
        value_class = ChartStructValue

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        edition = (parent_context or {}).get("edition")
        context["chart"] = value.render_chart(edition, chart_id=f"chart-{slugify(value['title'])[:40]}")
        return context

    def clean(self, value):
        value = super().clean(value)
        if value["period_end"] and value["period_end"].year < 1900:
            raise StructBlockValidationError(
                block_errors={
                    "period_end": ErrorList(
                        ["Give a period end from 1900 on: the chart covers the year before it."]
                    )
                }
            )
        try:
            series = value.series()
            if not series:
                raise StatisticError("Give at least one 'channel measure' line.")
            for name, params in value.figure_references():
                figures.compute(name, params)
            if value["kind"] == "over_time":
                from comms.models import Observation

                channel, measure = series[0]
                if not Observation.objects.of(channel, measure).exists():
                    raise StatisticError(f"No {measure} recorded for {channel}.")
        except StatisticError as exc:
            raise StructBlockValidationError(block_errors={"series": ErrorList([str(exc)])}) from exc
        return value


class ListingStructValue(blocks.StructValue):
    # Not `items`: a StructValue is a dict, and Wagtail's block form reads dict.items() to fill itself in.
    def listed_records(self, request=None, edition=None) -> list[listings.ListingItem]:
        """The records frozen in the edition when it holds this listing, otherwise the live ones."""
        if edition is not None and (frozen := edition.listings.get(self.listing_key())) is not None:
            return [listings.ListingItem(**item) for item in frozen]
        _label, function = listings.SOURCES[self["source"]]
        found = function(self["start"], self["end"], self["filter"] or "", request=request)
        return found[: self["limit"]] if self["limit"] else found

    def listing_key(self) -> str:
        """A stable key for this listing's parameters, used to freeze and look up its records in an edition."""
        return f"{self['source']} {self['start']} {self['end']} {self['filter'] or ''} {self['limit'] or ''}"


class ListingBlock(blocks.StructBlock):
    """Records of a period (events, new members, episodes...) as a list that stays current until the edition."""

    source = KeyChoiceBlock(choices=listings.source_choices)
    heading = blocks.CharBlock(required=False)
    start = blocks.DateBlock()
    end = blocks.DateBlock()
    filter = blocks.CharBlock(
        required=False,
        help_text="Optional: an event kind (e.g. summit), a podcast series title, a publication kind.",
    )
    limit = blocks.IntegerBlock(required=False, min_value=1, help_text="Show at most this many (blank: all).")

    class Meta:
        icon = "list-ul"
        template = "components/listing_block.html"
        value_class = ListingStructValue

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        parent_context = parent_context or {}
        context["items"] = value.listed_records(
            request=parent_context.get("request"), edition=parent_context.get("edition")
        )
        return context

    def clean(self, value):
        value = super().clean(value)
        if value["start"] and value["end"] and value["start"] > value["end"]:
            raise StructBlockValidationError(
                block_errors={"end": ErrorList(["The end is before the start."])}
            )
        return value


class ChapterStreamBlock(BodyStreamBlock):
    """Everything a chapter body may hold."""

    paragraph = ChapterParagraphBlock()
    statistic = StatisticBlock()
    chart = ChartBlock()
    listing = ListingBlock()
    featured_quote = FeaturedQuoteBlock()
    staff_perspectives = StaffPerspectivesBlock()
    donation = DonationStartBlock()
