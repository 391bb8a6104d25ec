"""Donors, their donation intents, the payments PayPal confirms, monthly subscriptions and webhook events.

Every payment is recorded once because the database refuses a second row with the same PayPal capture ID,
subscription + sale ID, or webhook event ID (services insert and catch IntegrityError).
"""

import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from core.models import BasePage, RememberedSiteSetting
from donations.blocks import DonationFormBlock
from donations.currencies import PRESET_RULE, CurrencyRule


class Frequency(models.TextChoices):
    ONE_OFF = "one_off", "One-off"
    MONTHLY = "monthly", "Monthly"


class Dedication(models.TextChoices):
    NONE = "none", "No dedication"
    HONOUR = "honour", "In honour of"
    MEMORY = "memory", "In memory of"


class IntentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    # PayPal declined the funding source; the donor can choose another and the order is captured again.
    DECLINED = "declined", "Declined, awaiting another funding source"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Abandoned"
    REFUNDED = "refunded", "Refunded"


class PaymentStatus(models.TextChoices):
    """PayPal's capture and sale statuses, as far as they matter to the accounts."""

    PENDING = "pending", "Pending at PayPal"  # eCheck, review, manual acceptance: not money yet
    COMPLETED = "completed", "Completed"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"
    REVERSED = "reversed", "Reversed (chargeback)"
    DENIED = "denied", "Denied by PayPal"


# Payments that are money received (net of what was refunded); pending and denied ones are not.
COUNTED_STATUSES = (PaymentStatus.COMPLETED, PaymentStatus.PARTIALLY_REFUNDED)


class RefundKind(models.TextChoices):
    REFUND = "refund", "Refund"
    REVERSAL = "reversal", "Reversal (chargeback)"


class PaymentSource(models.TextChoices):
    RETURN = "return", "Donor's return from PayPal"
    WEBHOOK = "webhook", "PayPal webhook"
    RECONCILE = "reconcile", "Reconciliation"
    DEMO = "demo", "Demo data"


class SubscriptionStatus(models.TextChoices):
    APPROVAL_PENDING = "approval_pending", "Awaiting approval"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


class DonationPage(BasePage):  # noqa: DJ008 (Page provides __str__)
    """A full page holding the donation form; thank-you and cancel pages are served by donations/urls.py."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])
    body = StreamField([("donation_form", DonationFormBlock())], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        context["paypal_test_mode"] = settings.PAYPAL_MODE == "fake"
        return context


class Donor(models.Model):
    """A person who gave; erasure anonymises this row and keeps the accounting records pointing at it."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    country = CountryField(blank=True)
    consent_updates = models.BooleanField(default=False, help_text="Agreed to receive news by email.")
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class DonationIntentQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(created_at__year=year)


class DonationIntent(models.Model):
    """What a donor asked to give, saved before the redirect to PayPal so abandoned attempts stay visible."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(
        max_length=64, unique=True, help_text="Form token: a double submit finds this."
    )
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="intents")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    status = models.CharField(max_length=10, choices=IntentStatus.choices, default=IntentStatus.PENDING)
    dedication = models.CharField(max_length=10, choices=Dedication.choices, default=Dedication.NONE)
    honoree_name = models.CharField(max_length=200, blank=True)
    dedication_message = models.TextField(blank=True, max_length=1000)
    ecard_email = models.EmailField(blank=True)
    ecard_sent_at = models.DateTimeField(null=True, blank=True)
    origin_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Idempotency keys sent to PayPal; stored so a retry after a timeout repeats the same request.
    paypal_request_id = models.UUIDField(default=uuid.uuid4, editable=False)
    capture_request_id = models.UUIDField(default=uuid.uuid4, editable=False)
    paypal_order_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    paypal_subscription_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    approve_url = models.URLField(max_length=500, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DonationIntentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_intent_amount_positive"),
            models.CheckConstraint(
                condition=Q(dedication="none") | ~Q(honoree_name=""), name="donation_intent_dedication_named"
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} {self.get_frequency_display().lower()} from {self.donor}"


class Subscription(models.Model):
    """A monthly gift at PayPal (the I-… ID); its status follows PayPal's webhooks and the donor's cancellation."""

    paypal_subscription_id = models.CharField(max_length=64, unique=True)
    intent = models.OneToOneField(
        DonationIntent, null=True, blank=True, on_delete=models.PROTECT, related_name="subscription"
    )
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions"
    )
    status = models.CharField(
        max_length=20, choices=SubscriptionStatus.choices, default=SubscriptionStatus.APPROVAL_PENDING
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    status_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="PayPal's time of the last change."
    )
    cancel_request_id = models.UUIDField(default=uuid.uuid4, editable=False)
    failed_payments = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.paypal_subscription_id} ({self.get_status_display()})"


class DonationQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(received_at__year=year)

    def counted(self):
        """Payments that stand: completed, or partly refunded (pending, denied, refunded, reversed excluded)."""
        return self.filter(status__in=COUNTED_STATUSES)

    def totals_by_currency(self) -> dict[str, object]:
        """What was kept, per currency: each payment's amount less what was refunded of it."""
        rows = (
            self.values("currency")
            .annotate(total=Sum(F("amount") - F("refunded_amount")))
            .order_by("currency")
        )
        return {row["currency"]: row["total"] for row in rows}


class Donation(models.Model):
    """One payment received at PayPal: a one-off capture or one monthly sale of a subscription."""

    intent = models.ForeignKey(
        DonationIntent, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    donor = models.ForeignKey(
        Donor, null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    # PayPal's transaction ID, whichever kind: one column unique across captures and sales, so a payment first
    # repaired from the transaction search and later delivered as the other kind is still one row.
    paypal_id = models.CharField(max_length=64, unique=True)
    paypal_capture_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # NULL, not "", when absent: the unique constraints must ignore the other kind of payment.
    paypal_sale_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    amount = models.DecimalField(max_digits=10, decimal_places=2, help_text="As PayPal reported it.")
    refunded_amount = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(0), help_text="Refunded or reversed so far."
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.COMPLETED)
    status_reason = models.CharField(
        max_length=64, blank=True, help_text="PayPal's reason for a pending or denied payment, e.g. ECHECK."
    )
    source = models.CharField(max_length=10, choices=PaymentSource.choices)
    received_at = models.DateTimeField(db_index=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "paypal_sale_id"], name="donation_unique_sale"),
            models.CheckConstraint(
                condition=(Q(paypal_capture_id__isnull=False) & Q(paypal_sale_id__isnull=True))
                | (Q(paypal_capture_id__isnull=True) & Q(paypal_sale_id__isnull=False)),
                name="donation_capture_or_sale",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0) & Q(refunded_amount__lte=F("amount")),
                name="donation_refund_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} ({self.paypal_transaction_id})"

    @property
    def kept_amount(self) -> Decimal:
        return self.amount - self.refunded_amount

    @property
    def paypal_transaction_id(self) -> str:
        return self.paypal_capture_id or self.paypal_sale_id or ""

    @property
    def frequency(self) -> str:
        return Frequency.MONTHLY if self.subscription_id else Frequency.ONE_OFF


class Refund(models.Model):
    """Money going back from one payment: a refund the organisation made or a reversal (chargeback).

    Unique by PayPal's refund ID, so the webhook and the transaction search cannot record it twice.
    """

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="refunds")
    paypal_refund_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=RefundKind.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.amount} {self.currency} ({self.paypal_refund_id})"


class WebhookEvent(models.Model):
    """A verified PayPal notification; the unique event ID makes a redelivery a no-op."""

    event_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    resource_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class PayPalPlan(models.Model):
    """The monthly billing plan for one currency and amount (created at PayPal on first use)."""

    currency = models.CharField(max_length=3)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    product_id = models.CharField(max_length=64)
    plan_id = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["currency", "amount"], name="paypal_plan_unique_price")
        ]

    def __str__(self):
        return f"{self.plan_id} ({self.amount} {self.currency} monthly)"


class AmountProblem(models.TextChoices):
    """Why an amount cannot be given through the form; the donor and the editor are told in their own words."""

    NOT_POSITIVE = "not_positive", "is not greater than zero"
    TOO_LARGE = "too_large", "is above the largest gift the form takes"
    DECIMALS = "decimals", "has more decimal places than the currency has"
    TOO_SMALL = "too_small", "is below the smallest gift"


def amount_problem(amount: Decimal, rule: CurrencyRule = PRESET_RULE) -> AmountProblem | None:
    """The one set of checks for every amount a donor can choose, against one currency's rule (or the
    presets' rule, which every currency offers)."""
    if not amount.is_finite() or amount <= 0:
        return AmountProblem.NOT_POSITIVE
    if amount > rule.maximum:  # first: quantize() fails on numbers such as 1e999999999
        return AmountProblem.TOO_LARGE
    if amount != amount.quantize(rule.step):
        return AmountProblem.DECIMALS
    if amount < rule.minimum:
        return AmountProblem.TOO_SMALL
    return None


def validate_amount_presets(text: str) -> None:
    """Comma-separated amounts, each one the form could take; the message names every bad one and why."""
    messages, found = [], False
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        found = True
        try:
            problem = amount_problem(Decimal(part))
        except InvalidOperation:
            messages.append(f"“{part}” is not an amount: use numbers such as 10 or 12.50.")
            continue
        if problem == AmountProblem.TOO_LARGE:
            messages.append(f"“{part}” {problem.label}, {PRESET_RULE.maximum:,}.")
        elif problem == AmountProblem.TOO_SMALL:
            messages.append(f"“{part}” {problem.label}, {PRESET_RULE.minimum}.")
        elif problem == AmountProblem.DECIMALS:
            messages.append(f"“{part}” has more than two decimal places.")
        elif problem:
            messages.append(f"“{part}” {problem.label}.")
    if not found:
        messages.append("Enter at least one amount, such as 10, 25, 50.")
    if messages:
        raise ValidationError(messages)


@register_setting(icon="pick")
class DonationSettings(RememberedSiteSetting):
    """What the organisation chooses about donations per site: presets and whether figures are public."""

    amount_presets = models.CharField(
        max_length=100,
        default="10, 25, 50, 100",
        validators=[validate_amount_presets],
        help_text="Comma-separated amounts offered on the donation form, each at least 1 with at most two "
        "decimal places.",
    )
    publish_statistics = models.BooleanField(
        default=False, help_text="Show donation figures (donors, amounts) in public reports."
    )

    panels = [MultiFieldPanel([FieldPanel("amount_presets"), FieldPanel("publish_statistics")], "Donations")]

    class Meta:
        verbose_name = "donation settings"
