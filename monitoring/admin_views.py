"""Wagtail admin views: the review queue of pending matches, the attention charts and the media file upload."""

from __future__ import annotations

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_valid_filename
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from comms import charts
from core.imports.formats import formats
from core.params import parse_id
from core.periods import PeriodNotFound, period_from_request, previous_year, reporting_periods
from monitoring.attention import CHANNEL_KINDS, comms_mentions_update, monthly_series, period_change
from monitoring.import_formats import KIND
from monitoring.matcher import Match as Hit
from monitoring.matcher import sentence_around
from monitoring.models import Match, MatchStatus, Source
from monitoring.services import (
    alias_exclusion_add,
    ingest_batch_create,
    ingest_batch_run,
    matches_review,
    media_file_check,
    skipped_groups,
)


def highlighted_sentence(match: Match) -> str:
    """The sentence around the match with the matched words in <mark>."""
    content = match.item.content
    sentence = sentence_around(
        content, Hit(match.organisation_id, match.matched_name, match.start, match.end)
    )
    begin = content.find(sentence, max(0, match.start - len(sentence)))
    if begin < 0 or not begin <= match.start <= begin + len(sentence):
        return format_html("<mark>{}</mark>", content[match.start : match.end])
    left, right = match.start - begin, match.end - begin
    return format_html("{}<mark>{}</mark>{}", sentence[:left], sentence[left:right], sentence[right:])


class ReviewQueueView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "monitoring/admin/review_queue.html"
    page_title = "Review media matches"
    header_icon = "tick"
    # Without it PermissionDenied sends the user to the admin home with Wagtail's "no permission" message.
    permission_required = ("monitoring.change_match",)
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = (
            Match.objects.filter(status=MatchStatus.PENDING)
            .select_related("item", "item__source", "organisation")
            .order_by("-item__published_at", "pk")
        )
        page = Paginator(pending, 50).get_page(self.request.GET.get("page"))
        context["page"] = page
        context["rows"] = [(match, highlighted_sentence(match)) for match in page]
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action.startswith("exclude:"):
            match_id = parse_id(action.removeprefix("exclude:"))
            if match_id is None:
                messages.error(request, f"“{action.removeprefix('exclude:')[:40]}” is not a match id.")
                return redirect(request.get_full_path())
            match = get_object_or_404(Match, pk=match_id)
            phrase = request.POST.get(f"phrase-{match.pk}", "").strip()
            try:
                alias_exclusion_add(match=match, phrase=phrase, user=request.user)
            except ValueError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"“{phrase}” is now an exclusion of {match.matched_name}.")
            return redirect(request.get_full_path())
        status = {"confirm": MatchStatus.CONFIRMED, "reject": MatchStatus.REJECTED}.get(action)
        texts = request.POST.getlist("match")
        if status is None or not texts:
            messages.error(request, "Tick at least one match, then confirm or reject.")
            return redirect(request.get_full_path())
        ids = [parse_id(text) for text in texts]
        if None in ids:
            bad = ", ".join(f"“{text[:40]}”" for text, id_ in zip(texts, ids, strict=True) if id_ is None)
            messages.error(request, f"Not match ids: {bad}. Nothing was changed; tick matches in the list.")
            return redirect(request.get_full_path())
        count = matches_review(matches=Match.objects.filter(pk__in=ids), status=status, user=request.user)
        messages.success(request, f"{count} match(es) {status}.")
        return redirect(request.get_full_path())


class AttentionView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Matched items per month for the network (or one organisation), traditional and social, with the change."""

    template_name = "monitoring/admin/attention.html"
    page_title = "Media attention"
    header_icon = "view"
    permission_required = ("monitoring.view_match",)
    raise_exception = True

    def get(self, request, *args, **kwargs):
        from network.models import Organisation

        self.organisation = None
        try:
            self.period = period_from_request(request)
        except PeriodNotFound as error:
            messages.error(request, f"{error} Showing the latest report.")
            return redirect(request.path)
        chosen = request.GET.get("organisation", "")
        if chosen:
            organisation_id = parse_id(chosen)
            if organisation_id is not None:
                self.organisation = Organisation.objects.filter(pk=organisation_id).first()
            if self.organisation is None:
                messages.error(
                    request, f"There is no organisation with id “{chosen[:40]}”; showing the network."
                )
                return redirect(request.path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from network.models import Organisation

        context = super().get_context_data(**kwargs)
        organisation = self.organisation
        period_end = self.period.end
        start = previous_year(previous_year(period_end))  # the period and the year before it, month by month
        sections = []
        for slug, kinds in CHANNEL_KINDS.items():
            label = "Traditional media" if slug == "traditional_media" else "Social media"
            change = period_change(kinds=kinds, period_end=period_end, organisation=organisation)
            chart = charts.line_chart(
                title=f"{label}: items naming {organisation or 'the network'} per month",
                description="Original items (copies merged) with at least one mention not rejected in review.",
                points=monthly_series(kinds=kinds, organisation=organisation, start=start, end=period_end),
                chart_id=f"attention-{slug}",
                unit="items",
            )
            sections.append({"label": label, "change": change, "chart": chart})
        context.update(
            organisation=organisation,
            organisations=Organisation.objects.filter(media_matches__isnull=False)
            .distinct()
            .order_by("name"),
            sections=sections,
            period_end=period_end,
            period=self.period,
            periods=reporting_periods(),
        )
        return context


# Uploads are ingested while the person waits, so they are kept small; larger files go through ingest_items.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = (
    ".csv",
    ".tsv",
    ".txt",
    ".zip",
    ".xls",
    ".xlsx",
    ".jsonl",
    ".ndjson",
    ".xml",
    ".rss",
    ".atom",
)


class MediaUploadForm(forms.Form):
    source = forms.ModelChoiceField(queryset=Source.objects.all(), help_text="Whose coverage the file holds.")
    export_format = forms.ChoiceField(
        label="Format",
        choices=(),
        required=False,
        help_text="The platform the file comes from; leave “Recognise from the file” to let the columns tell.",
    )
    file = forms.FileField(
        help_text=(
            "The export as downloaded (CSV, TSV, XLS, XLSX, ZIP, JSON Lines or an RSS/Atom feed), at most 5 MB. "
            "It is ingested and matched at once; for larger files use manage.py ingest_items."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export_format"].choices = [("", "Recognise from the file"), *formats.choices(KIND)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                f"“{upload.name}” is not a file monitoring reads; give "
                f"{', '.join(UPLOAD_SUFFIXES[:-1])} or {UPLOAD_SUFFIXES[-1]}."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit for an upload is 5 MB. "
                "Ingest it with manage.py ingest_items, which reads it in resumable chunks."
            )
        if not upload.size:
            raise forms.ValidationError(f"“{upload.name}” is empty.")
        return upload


def upload_path(name: str) -> Path:
    """Where an upload is kept: the batch reads it from there, and a failed batch resumes from it."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "monitoring" / timezone.now().strftime("%Y/%m")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{uuid.uuid4().hex[:12]}-{get_valid_filename(Path(name).name)[-150:]}"


class MediaUploadView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload a coverage export for a source: the file is checked, ingested and matched at once."""

    template_name = "monitoring/admin/upload.html"
    page_title = "Upload media coverage"
    header_icon = "upload"
    permission_required = ("monitoring.add_ingestbatch", "monitoring.add_item")
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MediaUploadForm())
        return context

    def post(self, request, *args, **kwargs):
        form = MediaUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        path = upload_path(upload.name)
        with path.open("wb") as handle:
            for piece in upload.chunks():
                handle.write(piece)
        try:
            export_format, notes = media_file_check(
                path=path, export_format=form.cleaned_data["export_format"]
            )
        except ValueError as error:  # UnknownFormat, UnreadableFile
            path.unlink(missing_ok=True)
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form))
        batch = ingest_batch_create(source=form.cleaned_data["source"], origin=path)
        try:
            batch = ingest_batch_run(batch=batch, export_format=export_format.name)
        except (ValueError, OSError) as error:  # the batch is marked failed with the reason
            batch.refresh_from_db()
            form.add_error(None, f"The file could not be read to the end: {error}")
            return self.render_to_response(self.get_context_data(form=form, batch=batch))
        observations = comms_mentions_update() if batch.match_count else None
        if not (batch.stored_count or batch.duplicate_count):
            messages.error(request, f"Nothing was stored from “{upload.name}”: every record was skipped.")
        else:
            messages.success(
                request,
                f"“{upload.name}” ingested: {batch.stored_count} new item(s), {batch.match_count} match(es).",
            )
        return self.render_to_response(
            self.get_context_data(
                form=MediaUploadForm(initial={"source": batch.source_id}),
                batch=batch,
                export_format=export_format,
                recognised=not form.cleaned_data["export_format"],
                notes=notes,
                skipped=skipped_groups(batch),
                observations=observations,
                filename=upload.name,
            )
        )
