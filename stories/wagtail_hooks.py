"""Admin for stories and consent: publishing a story needs consent; consent documents need safeguarding rights."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from core.snippets import PolicySnippetViewSet
from stories.models import Consent, ConsentAuditEntry, Quote, StoryPage, Survivor
from stories.services import ConsentError, consent_check, quote_publish


@hooks.register("before_publish_page")
def refuse_story_without_consent(request, page):
    """Publishing a story checks its speaker's web consent; the refusal is logged and shown to the editor."""
    page = page.specific
    if isinstance(page, StoryPage):
        try:
            consent_check(item=page, user=request.user)
        except ConsentError as refusal:
            messages.error(request, f"Not published: {refusal}")
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def consent_document_view(request, pk: int):
    """Serve a consent form to safeguarding staff only (they are never in public media)."""
    if not request.user.has_perm("stories.view_consent_document"):
        raise PermissionDenied
    consent = get_object_or_404(Consent, pk=pk)
    if not consent.document:
        raise Http404
    return FileResponse(consent.document.open("rb"), as_attachment=True, filename=f"consent-{consent.pk}")


def quote_publish_view(request, pk: int):
    if request.method != "POST" or not request.user.has_perm("stories.change_quote"):
        raise PermissionDenied
    quote = get_object_or_404(Quote, pk=pk)
    try:
        quote_publish(quote=quote, user=request.user)
        messages.success(request, "Quote published.")
    except ConsentError as refusal:
        messages.error(request, f"Not published: {refusal}")
    return redirect(reverse("wagtailsnippets_stories_quote:edit", args=[pk]))


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("stories/consents/<int:pk>/document/", consent_document_view, name="stories_consent_document"),
        path("stories/quotes/<int:pk>/publish/", quote_publish_view, name="stories_quote_publish"),
    ]


class QuoteViewSet(PolicySnippetViewSet):
    model = Quote
    icon = "openquote"
    list_display = ["__str__", BooleanColumn("published", label="Published", sort_key="published")]
    list_filter = ["published"]
    edit_template_name = "stories/admin/quote_edit.html"


class SurvivorViewSet(PolicySnippetViewSet):
    model = Survivor
    icon = "user"
    list_display = ["chosen_name", "age_band", "region"]


class ConsentViewSet(PolicySnippetViewSet):
    model = Consent
    icon = "tick-inverse"
    list_display = ["__str__", "valid_until", "withdrawn_on"]
    list_filter = ["use_web", "use_print", "use_social", "withdrawn_on"]


class AuditViewSet(PolicySnippetViewSet):
    """Listed and inspected only: the services write entries, and core.permissions.ViewOnlyPolicy (registered
    in stories/apps.py) refuses every add, edit and delete, a superuser's too."""

    model = ConsentAuditEntry
    icon = "history"
    inspect_view_enabled = True
    list_display = ["at", "action", "subject", "reason", "user"]
    list_filter = ["action"]


class StoriesGroup(SnippetViewSetGroup):
    menu_label = "Stories & consent"
    menu_icon = "openquote"
    items = (QuoteViewSet, SurvivorViewSet, ConsentViewSet, AuditViewSet)


register_snippet(StoriesGroup)
