"""Blocks of a report chapter: shared body blocks plus figures computed from the records."""

from decimal import Decimal

from django.forms.utils import ErrorList
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from core.blocks import BodyStreamBlock
from core.formatting import format_value
from core.periods import previous_period
from core.request_memo import memoised
from core.statistics import Figure, ListingItem, Reference, StatisticError, registry
from donations.blocks import DonationStartBlock
from report import figures
from stories.blocks import FeaturedQuoteBlock, StaffPerspectivesBlock


def statistic_choices():
    return registry.choices("figure")


def listing_choices():
    return registry.choices("listing")


def context_period(parent_context) -> figures.Period | None:
    """The reporting period a block is shown in: given by the page or the PDF, or the chapter's report."""
    parent_context = parent_context or {}
    if parent_context.get("period"):
        return parent_context["period"]
    report = getattr(parent_context.get("page"), "report", None)
    return (report.start_date, report.end_date) if report is not None else None


def validate_reference(ref: Reference, kind: str = "figure") -> None:
    """StatisticError unless the reference can be computed; one that leaves its period out is only parsed (the
    report it sits in gives the dates, and is checked when an edition is published)."""
    statistic = registry.get(ref.name, kind)
    typed = statistic.parse(ref.raw)
    if set(statistic.period_parameters) - set(typed):
        missing = [p.name for p in statistic.parameters if p.required and p.name not in typed]
        missing = [name for name in missing if name not in statistic.period_parameters]
        if missing:
            raise StatisticError(f"{ref.name} needs {', '.join(missing)}.")
        return
    statistic.compute(**typed)


class KeyChoiceBlock(blocks.ChoiceBlock):
    """A choice stored as its text key. Loading keeps the key as it is: Wagtail's default looks it up in the
    choice list, which for a list built by a function meant building the list again for every block shown."""

    def to_python(self, value):
        return value


class StatisticStructValue(blocks.StructValue):
    """A statistic block's reference; the figure is resolved at render time (frozen in an edition, or live)."""

    def reference(self, period: figures.Period | None = None) -> Reference:
        return figures.reference(self["statistic"], self["parameters"], period)

    def references(self, period: figures.Period | None = None) -> list[Reference]:
        return [self.reference(period)]

    def caption(self) -> str:
        if self["label"]:
            return self["label"]
        try:
            return registry.get(self["statistic"]).label
        except StatisticError:  # a statistic since removed from the registry: the page still renders
            return self["statistic"]


def figure_context(ref: Reference, parent_context) -> dict:
    """What a figure's template needs: the figure, its text, its page and the PDF's note that already gives its
    derivation; or why it is unavailable (records gone since the chapter was written: never fail the page)."""
    parent_context = parent_context or {}
    try:
        figure = figures.resolve(ref, parent_context.get("edition"))
    except StatisticError as exc:
        return {"figure": None, "unavailable": str(exc)}
    notes = parent_context.get("printed_notes")  # the PDF's footnotes (report.pdf.PrintedNotes)
    return {
        "figure": figure,
        "formatted": figures.format_figure(figure),
        "figure_url": figures.figure_page_url(ref),
        "repeat_of_note": notes.repeat_of(figure.derivation) if notes else None,
    }


class StatisticBlock(blocks.StructBlock):
    """A named statistic from the registry, shown as a big number with a "how we counted" disclosure."""

    statistic = KeyChoiceBlock(choices=statistic_choices)
    parameters = blocks.TextBlock(
        required=False,
        rows=2,
        help_text="One name=value per line, e.g. kind=case_study. Dates left out come from the report's period.",
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
        context.update(figure_context(value.reference(context_period(parent_context)), parent_context))
        return context

    def clean(self, value):
        value = super().clean(value)
        try:
            validate_reference(value.reference())
        except StatisticError as exc:
            raise StructBlockValidationError(block_errors={"parameters": ErrorList([str(exc)])}) from exc
        return value


class ComparisonStructValue(StatisticStructValue):
    """A statistic this year and the same statistic a year earlier."""

    def references(self, period: figures.Period | None = None) -> list[Reference]:
        if period is None:
            return [self.reference()]
        return [self.reference(period), self.reference(previous_period(period))]


class ComparisonBlock(StatisticBlock):
    """This year against last year: both values with their derivations, and the change between them."""

    parameters = blocks.TextBlock(
        required=False,
        rows=2,
        help_text="One name=value per line, without dates: this year is the report's period, last year the "
        "twelve months before it.",
    )
    label = blocks.CharBlock(required=False, help_text="Defaults to the statistic's name.")

    class Meta:
        icon = "resubmit"
        template = "components/comparison_block.html"
        value_class = ComparisonStructValue

    def get_context(self, value, parent_context=None):
        context = blocks.StructBlock.get_context(self, value, parent_context)
        period = context_period(parent_context)
        if period is None:
            context["unavailable"] = "a comparison needs the report's period"
            return context
        this, last = (figure_context(ref, parent_context) for ref in value.references(period))
        context.update(this=this, last=last, this_period=period, last_period=previous_period(period))
        if this.get("figure") and last.get("figure"):
            context["change"] = figure_change(this["figure"], last["figure"])
        return context


def figure_change(now: Figure, before: Figure) -> dict:
    """The difference between two values of a figure, and the relative change when that means something: a
    percentage's change is in points, a count's also as a percentage of the earlier value."""
    difference = Decimal(now.value) - Decimal(before.value)
    if now.unit == "percent":
        return {"difference": format_value(difference, "percentage_points"), "relative": ""}
    relative = ""
    if before.value:
        relative = format_value(
            (difference / Decimal(before.value) * 100).quantize(Decimal("0.1")), "percent"
        )
    sign = "+" if difference > 0 else ""
    return {"difference": sign + format_value(difference, now.unit), "relative": relative}


def render_inline_figures(html: str, edition=None, notes=None, period=None) -> str:
    """Replace [[statistic params]] markers in rendered rich text with the figure and its derivation.

    `notes`: the PDF's footnotes (report.pdf.PrintedNotes); a derivation printed already becomes "see note N"."""

    def replace(match):
        try:
            figure = figures.resolve(figures.reference(match["name"], match["params"], period), edition)
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
            "Write [[network.new_members]] to insert a live figure; dates left out come from the report's period.",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        errors = []
        for match in figures.INLINE_FIGURE.finditer(value.source):
            try:
                validate_reference(figures.reference(match["name"], match["params"], None))
            except StatisticError as exc:
                errors.append(f"{match[0]}: {exc}")
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(" ".join(errors))
        return value

    def render_basic(self, value, context=None):
        context = context or {}
        html = str(super().render_basic(value, context))
        return mark_safe(  # noqa: S308 (built with format_html)
            render_inline_figures(
                html, context.get("edition"), context.get("printed_notes"), context_period(context)
            )
        )


class ChartStructValue(blocks.StructValue):
    """The series a chart block draws: "channel measure" lines, resolved to year-over-year figures (bars) or to
    a registered series (a line)."""

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

    def period_end(self, period: figures.Period | None) -> str:
        if self["period_end"]:
            return self["period_end"].isoformat()
        if period is None:
            raise StatisticError("Give the period end: this chart is not inside a report.")
        return period[1].isoformat()

    def references(self, period: figures.Period | None = None) -> list[Reference]:
        """Bars are year-over-year figures and a line is a series, so an edition freezes them like any figure."""
        end = self.period_end(period)
        if self["kind"] == "yoy_by_channel":
            return [
                Reference.of("comms.yoy_change", {"channel": c, "measure": m, "period_end": end})
                for c, m in self.series()
            ]
        channel, measure = self.series()[0]
        return [Reference.of("comms.over_year", {"channel": channel, "measure": measure, "period_end": end})]

    def render_chart(self, edition=None, chart_id: str = "chart", period=None):
        """The chart, or a line saying why it cannot be drawn (records gone since it was set up)."""
        try:
            return self._draw(edition, chart_id, period)
        except StatisticError as exc:
            return format_html('<p class="chart__empty">{}: chart unavailable ({})</p>', self["title"], exc)

    def _draw(self, edition, chart_id: str, period):
        from comms import charts
        from comms.models import Channel
        from comms.statistics import series_label

        names = memoised("channel_names", lambda: dict(Channel.objects.values_list("slug", "name")))
        references = self.references(period)
        if self["kind"] == "yoy_by_channel":
            items = []
            for ref in references:
                figure = figures.resolve(ref, edition)
                channel = ref.raw["channel"]
                items.append((series_label(names.get(channel, channel), ref.raw["measure"]), figure.value))
            return charts.bar_chart(
                title=self["title"], description=self["description"], items=items, chart_id=chart_id, unit="%"
            )
        return charts.line_chart(
            title=self["title"],
            description=self["description"],
            points=list(figures.resolve(references[0], edition).points),
            chart_id=chart_id,
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
    period_end = blocks.DateBlock(
        required=False, help_text="The last day of the period shown; blank: the end of the report's period."
    )

    class Meta:
        icon = "table"
        template = "components/chart_block.html"
        value_class = ChartStructValue

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        edition = (parent_context or {}).get("edition")
        context["chart"] = value.render_chart(
            edition, chart_id=f"chart-{slugify(value['title'])[:40]}", period=context_period(parent_context)
        )
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
            if not value.series():
                raise StatisticError("Give at least one 'channel measure' line.")
            if value["period_end"]:
                for ref in value.references():
                    ref.compute()
        except StatisticError as exc:
            raise StructBlockValidationError(block_errors={"series": ErrorList([str(exc)])}) from exc
        return value


class ListingStructValue(blocks.StructValue):
    """A listing block's reference: a registered listing over the block's dates or the report's period."""

    def references(self, period: figures.Period | None = None) -> list[Reference]:
        params = {"kind": self["filter"]} if self["filter"] else {}
        if self["start"] and self["end"]:
            params.update(start=self["start"].isoformat(), end=self["end"].isoformat())
        found = Reference.of(self["source"], params)
        return [found.in_period(*period) if period else found]

    # Not `items`: a StructValue is a dict, and Wagtail's block form reads dict.items() to fill itself in.
    def listed_records(self, request=None, edition=None, period=None) -> list[ListingItem]:
        """The records frozen in the edition when it holds this listing, otherwise the live ones."""
        found = list(figures.resolve(self.references(period)[0], edition, request=request).items)
        return found[: self["limit"]] if self["limit"] else found


class ListingBlock(blocks.StructBlock):
    """Records of a period (events, new members, episodes...) as a list that stays current until the edition."""

    source = KeyChoiceBlock(choices=listing_choices)
    heading = blocks.CharBlock(required=False)
    start = blocks.DateBlock(required=False, help_text="Blank: the report's period.")
    end = blocks.DateBlock(required=False)
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
        try:
            context["items"] = value.listed_records(
                request=parent_context.get("request"),
                edition=parent_context.get("edition"),
                period=context_period(parent_context),
            )
        except StatisticError as exc:
            context.update(items=[], unavailable=str(exc))
        return context

    def clean(self, value):
        value = super().clean(value)
        if bool(value["start"]) != bool(value["end"]):
            raise StructBlockValidationError(
                block_errors={"end": ErrorList(["Give both dates, or neither for the report's period."])}
            )
        if value["start"] and value["end"] and value["start"] > value["end"]:
            raise StructBlockValidationError(
                block_errors={"end": ErrorList(["The end is before the start."])}
            )
        try:
            validate_reference(value.references()[0], "listing")
        except StatisticError as exc:
            raise StructBlockValidationError(block_errors={"filter": ErrorList([str(exc)])}) from exc
        return value


class ChapterStreamBlock(BodyStreamBlock):
    """Everything a chapter body may hold."""

    paragraph = ChapterParagraphBlock()
    statistic = StatisticBlock()
    chart = ChartBlock()
    listing = ListingBlock()
    featured_quote = FeaturedQuoteBlock()
    staff_perspectives = StaffPerspectivesBlock()
    comparison = ComparisonBlock()
    donation = DonationStartBlock()
