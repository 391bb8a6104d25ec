"""Server-rendered, accessible SVG charts: a line for a measure over time and bars for changes by channel.

Each function returns safe HTML: an ``<svg role="img">`` with ``<title>`` and ``<desc>`` referenced by
``aria-labelledby``, followed by a data table holding the same numbers. Report blocks and the admin
dashboard both use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.formatting import format_number

# A narrow drawing scales up less on a phone, so its 14-unit labels stay readable at 390 px.
WIDTH, HEIGHT = 520, 300
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 16, 16, 40
# Presentation attributes, not only CSS classes: the PDF, the static export and the admin have no site.css.
INK, ACCENT, AXIS = "#1a1a1a", "#005a8c", "#4a4a4a"
LABEL = f'class="chart__label" font-size="14" fill="{INK}"'


def _table(caption: str, headers: tuple[str, str], rows: Sequence[tuple[str, str]], chart_id: str) -> str:
    body = "".join(format_html("<tr><th scope='row'>{}</th><td>{}</td></tr>", a, b) for a, b in rows)
    return format_html(
        '<details class="chart__data"><summary>Data for this chart</summary>'
        '<table id="{}-data"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
        "</tr></thead><tbody>{}</tbody></table></details>",
        chart_id,
        caption,
        headers[0],
        headers[1],
        mark_safe(body),  # noqa: S308 (built from format_html above)
    )


def _caption(title: str) -> str:
    """The chart's title, visible above it (the SVG's own title is only read out)."""
    return format_html('<figcaption class="chart__title">{}</figcaption>', title)


def _open(chart_id: str, title: str, description: str) -> str:
    return format_html(
        '<svg class="chart__svg" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )


def line_chart(
    *,
    title: str,
    description: str,
    points: Sequence[tuple[date, Decimal | int]],
    chart_id: str,
    unit: str = "",
) -> SafeString:
    """A line of values over time (e.g. followers by day); the table lists at most one row per month end."""
    if not points:
        return format_html('<p class="chart__empty">{}: no data yet.</p>', title)
    values = [float(v) for _, v in points]
    low, high = min(values), max(values)
    first = points[0][0].toordinal()
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    x_scale = inner_w / ((points[-1][0].toordinal() - first) or 1)
    y_scale = inner_h / ((high - low) or 1.0)
    baseline = PAD_TOP + inner_h
    # A year of daily points is ~365 pairs on every uncached render: one pass, scales worked out once.
    coords = " ".join(
        f"{PAD_LEFT + (d.toordinal() - first) * x_scale:.1f},{baseline - (v - low) * y_scale:.1f}"
        for (d, _), v in zip(points, values, strict=True)
    )
    axis = format_html(
        f'<line x1="{{}}" y1="{{}}" x2="{{}}" y2="{{}}" class="chart__axis" stroke="{AXIS}"/>'
        f'<text x="{{}}" y="{{}}" {LABEL} text-anchor="end">{{}}</text>'
        f'<text x="{{}}" y="{{}}" {LABEL} text-anchor="end">{{}}</text>'
        f'<text x="{{}}" y="{{}}" {LABEL}>{{}}</text>'
        f'<text x="{{}}" y="{{}}" {LABEL} text-anchor="end">{{}}</text>',
        PAD_LEFT,
        PAD_TOP + inner_h,
        WIDTH - PAD_RIGHT,
        PAD_TOP + inner_h,
        PAD_LEFT - 6,
        PAD_TOP + 10,
        format_number(high),
        PAD_LEFT - 6,
        PAD_TOP + inner_h,
        format_number(low),
        PAD_LEFT,
        HEIGHT - 12,
        points[0][0].isoformat(),
        WIDTH - PAD_RIGHT,
        HEIGHT - 12,
        points[-1][0].isoformat(),
    )
    line = format_html(
        '<polyline class="chart__line" fill="none" stroke="{}" stroke-width="2" points="{}"/>', ACCENT, coords
    )
    # One table row per month: the last value recorded in that month.
    monthly: dict[tuple[int, int], tuple[date, Decimal | int]] = {}
    for d, v in points:
        monthly[(d.year, d.month)] = (d, v)
    rows = [(d.isoformat(), f"{format_number(v)}{unit}") for d, v in monthly.values()]
    svg = _open(chart_id, title, description) + axis + line + "</svg>"
    return mark_safe(  # noqa: S308 (every piece escaped by format_html)
        f'<figure class="chart">{_caption(title)}{svg}{_table(title, ("Date", "Value"), rows, chart_id)}</figure>'
    )


def bar_chart(
    *, title: str, description: str, items: Sequence[tuple[str, Decimal | int]], chart_id: str, unit: str = ""
) -> SafeString:
    """Horizontal bars, one per label (e.g. YoY change by channel), with the value printed beside each bar."""
    if not items:
        return format_html('<p class="chart__empty">{}: no data yet.</p>', title)
    top = max(max(float(v) for _, v in items), 0.0) or 1.0
    bar_h = (HEIGHT - PAD_TOP - PAD_BOTTOM) / len(items)
    label_w = 210  # "Traditional media mentions" at 14 units, in the widest font the PDF may use
    inner_w = WIDTH - label_w - 70
    parts = []
    for i, (label, value) in enumerate(items):
        y = PAD_TOP + i * bar_h
        width = max(float(value), 0.0) / top * inner_w
        parts.append(
            format_html(
                f'<text x="{{}}" y="{{}}" {LABEL} text-anchor="end">{{}}</text>'
                f'<rect class="chart__bar" fill="{ACCENT}" x="{{}}" y="{{}}" width="{{}}" height="{{}}"/>'
                f'<text x="{{}}" y="{{}}" class="chart__value" font-size="14" fill="{INK}">{{}}{{}}</text>',
                label_w - 8,
                f"{y + bar_h * 0.6:.1f}",
                label,
                label_w,
                f"{y + bar_h * 0.15:.1f}",
                f"{width:.1f}",
                f"{bar_h * 0.7:.1f}",
                f"{label_w + width + 6:.1f}",
                f"{y + bar_h * 0.6:.1f}",
                format_number(value),
                unit,
            )
        )
    svg = _open(chart_id, title, description) + "".join(parts) + "</svg>"
    rows = [(label, f"{format_number(v)}{unit}") for label, v in items]
    return mark_safe(  # noqa: S308 (every piece escaped by format_html)
        f'<figure class="chart">{_caption(title)}{svg}{_table(title, ("Channel", "Change"), rows, chart_id)}</figure>'
    )


__all__ = ["bar_chart", "line_chart"]
