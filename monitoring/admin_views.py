"""Wagtail admin views: the review queue of pending matches and the attention charts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from comms import charts
from core.params import parse_id
from core.periods import PeriodNotFound, period_from_request, previous_year, reporting_periods
from monitoring.attention import CHANNEL_KINDS, monthly_series, period_change
from monitoring.matcher import Match as Hit
from monitoring.matcher import sentence_around
from monitoring.models import Match, MatchStatus
from monitoring.services import alias_exclusion_add, matches_review


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
