"""Donations in the Wagtail admin: listings with filters, totals and CSV/XLSX export; donor export and erasure."""

import django_filters
from django.contrib import messages
from django.db.models import Count, F, Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core.tabular import inert_cell
from donations.models import (
    Dedication,
    Donation,
    DonationIntent,
    Donor,
    Frequency,
    IntentStatus,
    Refund,
    Subscription,
    WebhookEvent,
)
from donations.services import donor_erase, donor_export


class MenuLabelHeadingMixin:
    """Head the pages and breadcrumbs with the viewset's menu label instead of the model's verbose name, so
    "Gifts" in the menu opens "Gifts" (the models keep their technical names; renaming them needs migrations)."""

    plural_label = ""

    def get_breadcrumbs_items(self):
        model_label = capfirst(self.model._meta.verbose_name_plural)
        return [
            {**item, "label": self.plural_label}
            if self.plural_label and item.get("label") == model_label
            else item
            for item in super().get_breadcrumbs_items()
        ]


def _menu_labelled(view_class):
    return type(view_class.__name__, (MenuLabelHeadingMixin, view_class), {})


class DonationsIndexView(MenuLabelHeadingMixin, generic.IndexView):
    """The listing; its CSV export writes donors' own words (names from the public form) as text, never as a
    formula (Wagtail already does so for XLSX)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return inert_cell(value) if export_format == self.FORMAT_CSV else value


class MenuLabelledViewSet(ModelViewSet):
    """A ModelViewSet whose listing, inspect, edit, delete, history and usage pages use its menu label."""

    index_view_class = DonationsIndexView
    add_view_class = _menu_labelled(generic.CreateView)
    edit_view_class = _menu_labelled(generic.EditView)
    delete_view_class = _menu_labelled(generic.DeleteView)
    copy_view_class = _menu_labelled(generic.CopyView)
    inspect_view_class = _menu_labelled(generic.InspectView)
    history_view_class = _menu_labelled(HistoryView)
    usage_view_class = _menu_labelled(UsageView)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(plural_label=self.menu_label, **kwargs)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(page_title=self.menu_label, **kwargs)


class DonationIntentFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label="Period", widget=DateRangePickerWidget)
    status = django_filters.ChoiceFilter(choices=IntentStatus.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    dedication = django_filters.ChoiceFilter(choices=Dedication.choices)

    class Meta:
        model = DonationIntent
        fields = ["created_at", "status", "frequency", "dedication", "origin_page", "currency"]


class DonationIntentIndexView(DonationsIndexView):
    """The listing with the totals, by currency, of what the current filters select."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        queryset = self.filtered_queryset if hasattr(self, "filtered_queryset") else self.get_queryset()
        payments = Donation.objects.counted().filter(intent__in=queryset.values("pk"))
        context["totals"] = list(
            payments.values("currency")
            .annotate(total=Sum(F("amount") - F("refunded_amount")), count=Count("pk"))
            .order_by("currency")
        )
        return context


class DonationIntentViewSet(MenuLabelledViewSet):
    model = DonationIntent
    url_prefix = "donations/gifts"
    menu_label = "Gifts"
    icon = "pick"
    index_view_class = DonationIntentIndexView
    index_template_name = "donations/admin/intent_index.html"
    list_display = [
        "donor",
        "amount",
        "currency",
        "frequency",
        "status",
        "dedication",
        Column("origin_page", label="Page of origin"),
        "created_at",
    ]
    list_export = [
        "created_at",
        "donor",
        "amount",
        "currency",
        "frequency",
        "status",
        "dedication",
        "honoree_name",
        "origin_page",
        "paypal_order_id",
        "paypal_subscription_id",
    ]
    export_filename = "donations"
    filterset_class = DonationIntentFilterSet
    search_fields = [
        "donor__name",
        "donor__email",
        "honoree_name",
        "paypal_order_id",
        "paypal_subscription_id",
    ]
    inspect_view_enabled = True
    add_to_admin_menu = False
    form_fields = ["status", "failure_reason"]  # records come from PayPal; staff only annotate


class DonationViewSet(MenuLabelledViewSet):
    model = Donation
    url_prefix = "donations/payments"
    menu_label = "Payments"
    icon = "success"
    list_display = [
        "received_at",
        "donor",
        "amount",
        "refunded_amount",
        "currency",
        "status",
        "status_reason",
        "source",
        "paypal_id",
    ]
    list_filter = ["status", "source", "currency"]
    search_fields = ["paypal_id", "donor__name", "donor__email"]
    list_export = [
        "received_at",
        "donor",
        "amount",
        "refunded_amount",
        "currency",
        "status",
        "status_reason",
        "source",
        "paypal_capture_id",
        "paypal_sale_id",
    ]
    export_filename = "donation-payments"
    inspect_view_enabled = True
    form_fields = ["status"]


class RefundViewSet(MenuLabelledViewSet):
    """Refunds and chargebacks as PayPal reported them: listed and inspected only (ViewOnlyPolicy, registered in
    donations/apps.py), since a refund is made at PayPal and recorded from its events."""

    model = Refund
    url_prefix = "donations/refunds"
    menu_label = "Refunds and chargebacks"
    icon = "undo"
    list_display = ["received_at", "donation", "kind", "amount", "currency", "paypal_refund_id"]
    list_filter = ["kind", "currency"]
    list_export = ["received_at", "donation", "kind", "amount", "currency", "paypal_refund_id"]
    export_filename = "donation-refunds"
    inspect_view_enabled = True
    form_fields = ["kind"]  # required by ModelViewSet; the policy refuses every edit


class SubscriptionViewSet(MenuLabelledViewSet):
    model = Subscription
    url_prefix = "donations/monthly"
    menu_label = "Monthly gifts"
    icon = "rotate"
    list_display = ["paypal_subscription_id", "donor", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "currency"]
    list_export = ["paypal_subscription_id", "donor", "amount", "currency", "status", "created_at"]
    export_filename = "monthly-gifts"
    inspect_view_enabled = True
    form_fields = ["failed_payments"]


class DonorViewSet(MenuLabelledViewSet):
    model = Donor
    name = "donations_donors"
    url_prefix = "donations/donors"
    menu_label = "Donors"
    icon = "user"
    list_display = [
        "name",
        "email",
        "country",
        BooleanColumn("consent_updates", label="Consent updates", sort_key="consent_updates"),
        "erased_at",
    ]
    list_filter = ["consent_updates", "country"]
    search_fields = ["name", "email"]
    list_export = ["name", "email", "country", "consent_updates", "created_at"]
    inspect_view_enabled = True
    inspect_template_name = "donations/admin/donor_inspect.html"
    form_fields = ["name", "email", "country", "consent_updates"]


class WebhookEventViewSet(MenuLabelledViewSet):
    model = WebhookEvent
    url_prefix = "donations/webhooks"
    menu_label = "PayPal events"
    icon = "resubmit"
    list_display = ["received_at", "event_type", "resource_id", "outcome"]
    list_filter = ["event_type"]
    inspect_view_enabled = True
    form_fields = ["outcome"]


class DonationsGroup(ViewSetGroup):
    menu_label = "Donations"
    menu_icon = "pick"
    menu_order = 260
    items = (
        DonationIntentViewSet,
        DonationViewSet,
        RefundViewSet,
        SubscriptionViewSet,
        DonorViewSet,
        WebhookEventViewSet,
    )


@hooks.register("register_admin_viewset")
def register_viewsets():
    return DonationsGroup()


def donor_export_view(request, pk):
    if not request.user.has_perm("donations.view_donor"):
        return redirect("wagtailadmin_home")
    donor = get_object_or_404(Donor, pk=pk)
    response = JsonResponse(donor_export(donor=donor), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="donor-{donor.pk}.json"'
    return response


def donor_erase_view(request, pk):
    if request.method != "POST" or not request.user.has_perm("donations.change_donor"):
        return redirect("wagtailadmin_home")
    donor = get_object_or_404(Donor, pk=pk)
    donor_erase(donor=donor)
    messages.success(request, "The donor's personal data is erased; their payments stay in the accounts.")
    return redirect(reverse("donations_donors:inspect", args=[donor.pk]))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("donations/donors/<int:pk>/export/", donor_export_view, name="donations_donor_export"),
        path("donations/donors/<int:pk>/erase/", donor_erase_view, name="donations_donor_erase"),
    ]
