"""The podcast RSS feed, a JSON API for year-over-year figures and the public impact page."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from comms import charts
from comms.models import PodcastIndexPage
from comms.statistics import HEADLINE_FIGURES, yoy_compute, yoy_derivation
from core.statistics import StatisticError, registry

DEFAULT_PERIOD_END = date(2023, 7, 31)


def podcast_feed(request: HttpRequest) -> HttpResponse:
    index = PodcastIndexPage.objects.live().public().select_related("show").first()
    if index is None:
        raise Http404("There is no podcast yet.")
    episodes = (
        index.episodes()
        .select_related("series", "audio")
        .prefetch_related("guests__person__organisation", "guests__organisation")
    )
    base = request.build_absolute_uri("/").rstrip("/")
    xml = render_to_string(
        "comms/podcast_feed.xml",
        {
            "index": index,
            "show": index.show,
            "episodes": episodes,
            "base": base,
            "feed_url": request.build_absolute_uri(request.path),
        },
        request=request,
    )
    response = HttpResponse(xml, content_type="application/rss+xml; charset=utf-8")
    patch_cache_control(response, public=True, max_age=900)
    return response


def headline_figures(period_end: date = DEFAULT_PERIOD_END) -> list[dict]:
    """The six published growth figures with their derivations; missing data becomes a message."""
    rows = []
    for channel, measure in HEADLINE_FIGURES:
        try:
            yoy = yoy_compute(channel=channel, measure=measure, period_end=period_end)
        except StatisticError as error:
            rows.append({"channel": channel, "measure": str(measure), "error": str(error)})
            continue
        rows.append(
            {
                "channel": channel,
                "label": f"{yoy.channel.name} {measure.label.lower()}",
                "measure": str(measure),
                "yoy": yoy,
                "derivation": yoy_derivation(yoy),
            }
        )
    return rows


def figures_api(request: HttpRequest) -> JsonResponse:
    """``?channel=linkedin&measure=followers&period_end=2023-07-31`` → one Figure; without channel → the six."""
    period_end = request.GET.get("period_end") or DEFAULT_PERIOD_END.isoformat()
    channel = request.GET.get("channel")
    try:
        if channel:
            measure = request.GET.get("measure", "")
            figure = registry.compute(
                "comms.yoy_change", channel=channel, measure=measure, period_end=period_end
            )
            return JsonResponse(
                {"statistic": "comms.yoy_change", "period_end": period_end, **figure.as_dict()}
            )
        figures = []
        for slug, measure in HEADLINE_FIGURES:
            figure = registry.compute(
                "comms.yoy_change", channel=slug, measure=str(measure), period_end=period_end
            )
            figures.append({"channel": slug, "measure": str(measure), **figure.as_dict()})
    except StatisticError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"statistic": "comms.yoy_change", "period_end": period_end, "figures": figures})


def impact(request: HttpRequest) -> HttpResponse:
    rows = headline_figures()
    good = [r for r in rows if "yoy" in r]
    chart = charts.bar_chart(
        title="Year-over-year change by channel, August 2022 to July 2023",
        description="Percentage change against the previous twelve months for each channel.",
        items=[(r["label"], r["yoy"].change) for r in good],
        unit="%",
        chart_id="impact-yoy",
    )
    return render(request, "comms/impact.html", {"rows": rows, "chart": chart})
