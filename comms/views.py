"""The podcast RSS feed with its chapters and transcript files, a JSON API for year-over-year figures and the
public impact page."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from comms import charts
from comms.feed import feed_episodes, show_funding
from comms.models import PodcastEpisodePage, PodcastIndexPage
from comms.transcripts import TRANSCRIPT_TYPES, transcript_extension
from core.periods import (
    PeriodNotFound,
    ReportingPeriod,
    headline_rows,
    period_from_request,
    reporting_periods,
)
from core.statistics import StatisticError, registry

FEED_MAX_AGE = 900  # podcast apps poll feeds; a quarter of an hour is fresh enough for a new episode


def podcast_index() -> PodcastIndexPage:
    index = PodcastIndexPage.objects.live().public().select_related("show").first()
    if index is None:
        raise Http404("There is no podcast yet.")
    return index


def podcast_feed(request: HttpRequest) -> HttpResponse:
    index = podcast_index()
    base = request.build_absolute_uri("/").rstrip("/")
    xml = render_to_string(
        "comms/podcast_feed.xml",
        {
            "index": index,
            "show": index.show,
            "items": feed_episodes(index, base=base, request=request),
            "funding": show_funding(index.show, request),
            "base": base,
            "feed_url": request.build_absolute_uri(request.path),
        },
        request=request,
    )
    response = HttpResponse(xml, content_type="application/rss+xml; charset=utf-8")
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def feed_episode(pk: int) -> tuple[PodcastIndexPage, PodcastEpisodePage]:
    """An episode the feed lists (live and public, under the live podcast index), or 404."""
    index = podcast_index()
    episode = index.episodes().filter(pk=pk).select_related("transcript_file__collection").first()
    if episode is None:
        raise Http404("No such episode.")
    return index, episode


def for_podcast_apps(response: HttpResponse) -> HttpResponse:
    # Browser-based players fetch chapters and transcripts from other sites (the spec asks for CORS).
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def podcast_chapters(request: HttpRequest, pk: int) -> JsonResponse:
    """The episode's JSON chapters file (Podcasting 2.0 JSON Chapters 1.2), in the order they are heard."""
    index, episode = feed_episode(pk)
    chapters = [chapter.as_json_chapter() for chapter in episode.chapter_list]
    if not chapters:
        raise Http404("This episode has no chapters.")
    data = {"version": "1.2.0", "title": episode.title, "podcastName": index.show.title, "chapters": chapters}
    return for_podcast_apps(JsonResponse(data, content_type="application/json+chapters"))


def podcast_transcript(request: HttpRequest, pk: int, extension: str) -> FileResponse:
    """The episode's transcript file, served with its own MIME type (Wagtail would offer it as a download)."""
    _, episode = feed_episode(pk)
    document = episode.public_transcript_file()
    if document is None or transcript_extension(document.filename) != extension:
        raise Http404("This episode has no such transcript.")
    response = FileResponse(
        document.file.open("rb"),
        content_type=f"{TRANSCRIPT_TYPES[extension]}; charset=utf-8",
        filename=f"{episode.slug}.{extension}",
    )
    return for_podcast_apps(response)


def period_or_404(request: HttpRequest) -> ReportingPeriod:
    try:
        return period_from_request(request)
    except PeriodNotFound as error:
        raise Http404(str(error)) from None


def figures_api(request: HttpRequest) -> JsonResponse:
    """``?channel=linkedin&measure=followers`` → that channel's year-over-year figure; without a channel → the
    report's headline figures. The period is the latest report's, or ``?year=2022-2023`` (``period_end`` for
    any other day)."""
    try:
        period = period_from_request(request)
    except PeriodNotFound as error:
        return JsonResponse({"error": str(error)}, status=404)
    about = {"year": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()}
    channel = request.GET.get("channel")
    try:
        if channel:
            period_end = request.GET.get("period_end") or period.end.isoformat()
            figure = registry.compute_text(
                "comms.yoy_change",
                {"channel": channel, "measure": request.GET.get("measure", ""), "period_end": period_end},
            )
            return JsonResponse(
                {
                    "statistic": "comms.yoy_change",
                    "period": about,
                    "period_end": period_end,
                    **figure.as_dict(),
                }
            )
    except StatisticError as error:
        return JsonResponse({"error": str(error)}, status=400)
    rows = []
    for headline in period.headlines:
        row = {
            "statistic": headline.reference.name,
            "parameters": headline.reference.raw,
            "label": headline.label,
        }
        try:
            row.update(period.resolve(headline.reference).as_dict())
        except StatisticError as error:  # one figure without records does not hide the others
            row["error"] = str(error)
        rows.append(row)
    return JsonResponse({"period": about, "figures": rows})


def impact(request: HttpRequest) -> HttpResponse:
    """The headline figures the report of the period chose, with a chart of those that are changes."""
    period = period_or_404(request)
    rows = headline_rows(period)
    changes = [r for r in rows if "figure" in r and r["figure"].unit == "percent"]
    chart = None
    if changes:
        chart = charts.bar_chart(
            title=f"Change against the year before, {period.text}",
            description="Percentage change of each figure against the previous twelve months.",
            items=[(r["label"], r["figure"].value) for r in changes],
            unit="%",
            chart_id="impact-yoy",
        )
    return render(
        request,
        "comms/impact.html",
        {"rows": rows, "chart": chart, "period": period, "periods": reporting_periods()},
    )
