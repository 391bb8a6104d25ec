"""Wagtail admin views for the comms team: upload a platform export, and a dashboard of figures and charts."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from comms import charts
from comms.models import Channel, ImportSource, Measure
from comms.services import ImportRejected, observations_import
from core.periods import PeriodNotFound, headline_rows, period_from_request, reporting_periods
from core.statistics import StatisticError, registry


class ObservationUploadForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=ImportSource.objects.order_by("label"),
        to_field_name="name",
        help_text=(
            "Which export the file is: a LinkedIn followers export, a Meta Business Suite export (Facebook or "
            "Instagram), a website analytics export, or a Yearbook observations sheet (channel, date and "
            "measure columns). Each source reads its own column headings; Communications › Import sources "
            "lists them and takes new ones."
        ),
    )
    file = forms.FileField(
        help_text=(
            "A .csv (UTF-8) or .xlsx file as the platform exported it, header row included. Every row is "
            "checked first: if one is wrong, nothing is written."
        )
    )
    dry_run = forms.BooleanField(required=False, label="Check only, write nothing")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


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
        suffix = Path(upload.name).suffix.lower()
        # Spool to disk in chunks so the importer can stream it twice (validate, then write).
        with tempfile.NamedTemporaryFile(suffix=suffix) as spooled:
            for chunk in upload.chunks():
                spooled.write(chunk)
            spooled.flush()
            try:
                result = observations_import(
                    path=spooled.name,
                    filename=upload.name,
                    source_name=form.cleaned_data["source"].name,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ImportRejected as rejected:
                return self.render_to_response(self.get_context_data(form=form, errors=rejected.errors))
        if result.dry_run:
            messages.success(
                self.request, f"{upload.name}: all {result.rows} rows are valid; nothing written."
            )
        else:
            messages.success(
                self.request,
                f"{upload.name}: imported {result.rows} rows as {result.observations} observations.",
            )
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
        audience = Channel.objects.filter(observations__measure=Measure.FOLLOWERS).distinct().order_by("name")
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
