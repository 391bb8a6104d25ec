"""Admin for event records: participants (with attendance import), proposals, agenda sessions, action points and
their updates (written through events.services, scoped to the owner organisation's editors)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from core.imports.formats import formats
from core.tabular import SpreadsheetUploadField
from events.attendance import attendance_import
from events.import_formats import KIND as ATTENDANCE
from events.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaSession,
    EventPage,
    Participant,
    SessionProposal,
)
from events.selectors import action_points_for_updates
from events.services import (
    action_point_update,
    action_point_update_change,
    action_point_update_delete,
)
from network.permissions import can_edit_organisation
from network.wagtail_hooks import ScopedCreateView, ScopedDeleteView, ScopedEditView, ScopedViewSet


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
        "minutes_attended",
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


def _show_on_form(form, error: ValidationError) -> None:
    """A service's errors on the fields they name, the others above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceErrorsAsFormErrors:
    """A ValidationError from the service the view calls shows on the form (nothing is written), not as a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _show_on_form(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ActionPointUpdateCreateView(ServiceErrorsAsFormErrors, ScopedCreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        if not can_edit_organisation(self.request.user, data["action_point"].owner):
            raise PermissionDenied  # the form offers only the user's points; this guards the service itself
        update = action_point_update(
            action_point=data["action_point"], text=data["text"], status=data["status"], date=data["date"]
        )
        log(instance=update, action="wagtail.create", user=self.request.user, content_changed=True)
        return update


class ActionPointUpdateEditView(ServiceErrorsAsFormErrors, ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        update = action_point_update_change(
            update=self.form.instance, text=data["text"], status=data["status"], date=data["date"]
        )
        log(
            instance=update,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return update


class ActionPointUpdateDeleteView(ScopedDeleteView):
    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            action_point_update_delete(update=self.object)


class ActionPointUpdateViewSet(ScopedViewSet):
    """Updates go through events.services, so the point's status follows them; an organisation's editors see and
    post updates only on the points their organisation owns (events.permissions.ActionPointUpdatePolicy)."""

    model = ActionPointUpdate
    url_prefix = "events/action-point-updates"
    icon = "history"
    list_display = ["action_point", "date", "status", "text"]
    list_filter = ["status"]
    form_fields = ["action_point", "date", "text", "status"]
    add_view_class = ActionPointUpdateCreateView
    edit_view_class = ActionPointUpdateEditView
    delete_view_class = ActionPointUpdateDeleteView
    copy_view_enabled = False  # a copy would be written without the service

    def get_form_class(self, for_update=False):
        scoped_form = super().get_form_class(for_update)

        class ActionPointUpdateForm(scoped_form):
            def __init__(self, *args, for_user=None, **kwargs):
                super().__init__(*args, for_user=for_user, **kwargs)
                field = self.fields["action_point"]
                # Only the user's own points are offered, so a posted id of another one is "not a valid choice".
                field.queryset = (
                    action_points_for_updates(for_user)
                    if for_user is not None
                    else ActionPoint.objects.none()
                )
                field.label_from_instance = lambda point: f"{point.event.title}: {point}"
                if for_update:
                    field.disabled = True
                    field.help_text = (
                        "An update stays with its action point; post a new one on another point."
                    )

        ActionPointUpdateForm.__name__ = "ActionPointUpdateForm"
        return ActionPointUpdateForm


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
        help_text="The attendance list as the platform exported it (CSV, XLSX or ZIP), or a sheet with the columns "
        "name, email, organisation, country, role, listed_publicly."
    )
    export_format = forms.ChoiceField(
        label="Format",
        required=False,
        help_text="Leave it to be recognised from the file's columns.",
    )
    confirm = forms.BooleanField(required=False, label="Write the rows (leave unticked for a dry run)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export_format"].choices = [("", "Recognise from the file"), *formats.choices(ATTENDANCE)]


def attendance_import_view(request, event_id: int):
    event = get_object_or_404(EventPage, pk=event_id)
    if not event.permissions_for_user(request.user).can_edit():
        return permission_denied(request)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = attendance_import(
            event=event,
            filename=upload.name,
            content=upload.read(),
            export_format=form.cleaned_data["export_format"],
            write=form.cleaned_data["confirm"],
        )
        if report.written:
            messages.success(
                request,
                f"Imported into {event.title}: {report.created} new, {report.updated} updated, "
                f"{report.unchanged} unchanged participants ({report.format_label}).",
            )
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
