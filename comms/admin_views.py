"""Wagtail admin views for the comms team: upload a platform export, and a dashboard of figures and charts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from comms import charts
from comms.import_formats import KIND
from comms.models import Channel, ImportSource, Measure
from comms.services import observations_import
from core.imports.formats import formats
from core.imports.numbers import NumberFormat
from core.periods import PeriodNotFound, headline_rows, period_from_request, reporting_periods
from core.statistics import StatisticError, registry
from core.tabular import SpreadsheetUploadField


def format_choices() -> list[tuple[str, str]]:
    """Recognise, then the platform exports, then the custom import sources (Communications › Import sources)."""
    return [
        ("", "Recognise it from the file"),
        ("Platform exports", formats.choices(KIND)),
        (
            "Custom import sources",
            [(f"source:{s.name}", s.label) for s in ImportSource.objects.order_by("label")],
        ),
    ]


class ObservationUploadForm(forms.Form):
    export_format = forms.ChoiceField(
        label="Format",
        required=False,
        help_text=(
            "Which export the file is. Left on “recognise”, Yearbook reads the file's headers and sheet names "
            "and says which format it used."
        ),
    )
    channel = forms.ModelChoiceField(
        queryset=Channel.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        help_text="Only when the network has several channels of the export's kind (two LinkedIn pages).",
    )
    number_format = forms.ChoiceField(
        choices=[("", "As the format says"), *NumberFormat.choices],
        required=False,
        help_text="How the file writes numbers, if it differs from the platform's usual way.",
    )
    file = SpreadsheetUploadField(
        help_text=(
            "The export as downloaded: CSV or TSV in any common encoding, .xls, .xlsx, or the platform's zip. "
            "Every row is checked first: if one is wrong, nothing is written."
        )
    )
    dry_run = forms.BooleanField(required=False, label="Check only, write nothing")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["export_format"].choices = format_choices()


class ObservationUploadView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    # An import adds and replaces published figures. Without these permissions PermissionDenied sends the user
    # to the admin home with Wagtail's "no permission" message; the menu hides the link.
    permission_required = ("comms.add_observation", "comms.change_observation")
    raise_exception = True
    form_class = ObservationUploadForm
    template_name = "comms/admin/observation_upload.html"
    page_title = "Import observations"
    header_icon = "upload"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        chosen = form.cleaned_data["export_format"]
        channel = form.cleaned_data["channel"]
        report = observations_import(
            filename=upload.name,
            content=upload.read(),  # at most 5 MB (SpreadsheetUploadField)
            export_format="" if chosen.startswith("source:") else chosen,
            source_name=chosen.removeprefix("source:") if chosen.startswith("source:") else "",
            channel=channel.slug if channel else "",
            number_format=form.cleaned_data["number_format"],
            write=not form.cleaned_data["dry_run"],
        )
        if report.errors:
            return self.render_to_response(
                self.get_context_data(form=form, errors=report.errors, report=report)
            )
        if report.written:
            messages.success(
                self.request,
                f"{upload.name}: imported {report.rows} rows as {report.created} observations "
                f"({report.format_label}).",
            )
        else:
            messages.success(
                self.request,
                f"{upload.name}: all {report.rows} rows are valid ({report.format_label}); nothing written.",
            )
        for note in report.notes:
            messages.info(self.request, note)
        return redirect("comms_admin:upload")


class CommsDashboardView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = ("comms.view_observation",)
    raise_exception = True
    template_name = "comms/admin/dashboard.html"
    page_title = "Comms dashboard"
    header_icon = "view"

    def get(self, request, *args, **kwargs):
        try:
            self.period = period_from_request(request)
        except PeriodNotFound as error:
            messages.error(request, f"{error} Showing the latest report.")
            return redirect(request.path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period
        rows = headline_rows(period)
        changes = [r for r in rows if "figure" in r and r["figure"].unit == "percent"]
        context.update(rows=rows, period=period, periods=reporting_periods())
        context["bar_chart"] = charts.bar_chart(
            title=f"Change against the year before, {period.text}",
            description="Percentage change on the previous twelve months.",
            items=[(r["label"], r["figure"].value) for r in changes],
            unit="%",
            chart_id="dashboard-yoy",
        )
        context["line_charts"] = []
        audience = (
            Channel.objects.filter(
                observations__measure__in=[Measure.FOLLOWERS, Measure.NEW_FOLLOWERS, Measure.LOST_FOLLOWERS]
            )
            .distinct()
            .order_by("name")
        )
        for channel in audience:
            try:
                series = registry.compute(
                    "comms.over_year", channel=channel.slug, measure=Measure.FOLLOWERS, period_end=period.end
                )
            except StatisticError:
                continue  # no followers recorded in this period
            context["line_charts"].append(
                charts.line_chart(
                    title=f"{channel.name} followers, {period.text}",
                    description=series.derivation,
                    points=list(series.points),
                    chart_id=f"dashboard-{channel.slug}",
                )
            )
        return context
