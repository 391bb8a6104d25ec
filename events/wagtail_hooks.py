"""Admin for event records: participants (with attendance import), proposals, agenda sessions, action points."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.tabular import SpreadsheetUploadField
from events.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaSession,
    EventPage,
    Participant,
    SessionProposal,
)
from events.services import attendance_import


class ParticipantViewSet(ModelViewSet):
    model = Participant
    url_prefix = "events/participants"
    icon = "group"
    list_display = ["name", "organisation_name", "country", "role", "status", "event"]
    list_filter = ["event", "role", "status", "listed_publicly"]
    search_fields = ["name", "organisation_name", "email"]
    form_fields = [
        "event",
        "name",
        "email",
        "organisation_name",
        "organisation",
        "country",
        "role",
        "listed_publicly",
        "status",
    ]


class SessionProposalViewSet(ModelViewSet):
    model = SessionProposal
    url_prefix = "events/proposals"
    icon = "help"
    list_display = ["title", "event", "proposer"]
    list_filter = ["event"]
    form_fields = ["event", "proposer", "title", "description"]


class AgendaSessionViewSet(ModelViewSet):
    model = AgendaSession
    url_prefix = "events/agenda-sessions"
    icon = "time"
    list_display = ["title", "event", "starts_at", "room", "facilitators"]
    list_filter = ["event"]
    form_fields = [
        "event",
        "title",
        "starts_at",
        "ends_at",
        "room",
        "facilitators",
        "description",
        "proposal",
    ]


class ActionPointViewSet(ModelViewSet):
    model = ActionPoint
    url_prefix = "events/action-points"
    icon = "tasks"
    list_display = ["text", "event", "level", "owner", "due", "status"]
    list_filter = ["event", "level", "status"]
    form_fields = ["event", "text", "level", "owner", "country", "due", "status"]


class ActionPointUpdateViewSet(ModelViewSet):
    model = ActionPointUpdate
    url_prefix = "events/action-point-updates"
    icon = "history"
    list_display = ["action_point", "date", "status", "text"]
    form_fields = ["action_point", "date", "text", "status"]


class EventRecordsGroup(ViewSetGroup):
    menu_label = "Events"
    menu_icon = "date"
    menu_order = 210
    items = (
        ParticipantViewSet("participants"),
        SessionProposalViewSet("proposals"),
        AgendaSessionViewSet("agenda_sessions"),
        ActionPointViewSet("action_points"),
        ActionPointUpdateViewSet("action_point_updates"),
    )


@hooks.register("register_admin_viewset")
def register_event_viewsets():
    return EventRecordsGroup()


class AttendanceImportForm(forms.Form):
    file = SpreadsheetUploadField(
        help_text="CSV (UTF-8) or XLSX with columns: "
        + ", ".join(["name", "email", "organisation", "country", "role", "listed_publicly"])
    )
    confirm = forms.BooleanField(required=False, label="Write the rows (leave unticked for a dry run)")


def attendance_import_view(request, event_id: int):
    event = get_object_or_404(EventPage, pk=event_id)
    if not event.permissions_for_user(request.user).can_edit():
        return permission_denied(request)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = attendance_import(
            event=event, filename=upload.name, content=upload.read(), dry_run=not form.cleaned_data["confirm"]
        )
        if report.written:
            messages.success(request, f"Imported {report.created} participants into {event.title}.")
            return redirect(reverse("events_attendance_import", args=[event.pk]))
    return TemplateResponse(
        request, "events/admin/attendance_import.html", {"event": event, "form": form, "report": report}
    )


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return [
        path(
            "events/<int:event_id>/import-attendance/",
            attendance_import_view,
            name="events_attendance_import",
        )
    ]


@hooks.register("register_page_header_buttons")
def attendance_import_button(page, user, view_name=None, next_url=None):
    from wagtail.admin.widgets import Button

    if isinstance(page.specific_deferred, EventPage):
        yield Button(
            "Import attendance",
            reverse("events_attendance_import", args=[page.pk]),
            icon_name="upload",
            priority=60,
        )
