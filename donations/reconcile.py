"""Reconciliation: PayPal's transaction search against the payments recorded here.

The search lists every row that moved the balance (reporting_transactions_v1): gifts, but also refunds,
chargebacks, currency conversions, withdrawals and fees, each with a T-code and a signed amount. Only gift rows
are compared with payments; every other row is reported as "not a donation" and never repaired into one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import DatabaseError
from django.utils import timezone

from donations import services
from donations.custom_id import GiftTag, gift_tag_parse
from donations.models import (
    COUNTED_STATUSES,
    Donation,
    DonationIntent,
    Frequency,
    PaymentSource,
    PaymentStatus,
    Subscription,
    SubscriptionStatus,
)
from donations.paypal import PayPalError, money

# Rows that can be a gift: money received from a payer (PayPal's transaction event codes).
GIFT_CODES = {
    "T0000": "general payment received",
    "T0002": "subscription payment",
    "T0003": "pre-approved payment",
    "T0006": "PayPal Checkout payment",
    "T0011": "mobile payment",
    "T0013": "donation payment",
}
# What the other rows are, for the report; a code not listed is still "not a donation".
OTHER_CODES = {
    "T0200": "currency conversion",
    "T0300": "bank deposit",
    "T0400": "withdrawal",
    "T0700": "purchase with a debit card",
    "T1105": "reversal of a general account hold",
    "T1106": "payment reversal",
    "T1107": "payment refund",
    "T1108": "fee reversal",
    "T1110": "hold for a dispute",
    "T1111": "cancellation of a dispute hold",
    "T1201": "chargeback",
    "T1900": "account adjustment",
}
# PayPal's row status (D, P, S, V) and the local statuses that agree with it.
AGREEING = {
    "S": {PaymentStatus.COMPLETED, PaymentStatus.PARTIALLY_REFUNDED},
    "P": {PaymentStatus.PENDING},
    "D": {PaymentStatus.DENIED},
    "V": {PaymentStatus.REFUNDED, PaymentStatus.REVERSED},
}
# What a missing row is recorded as, and what a disagreeing payment is moved to, on --repair.
REPAIRED_STATUS = {
    "S": PaymentStatus.COMPLETED,
    "P": PaymentStatus.PENDING,
    "D": PaymentStatus.DENIED,
    "V": PaymentStatus.REFUNDED,
}
MONEY_BACK_CODES = {"T1106", "T1107", "T1201"}
# "It takes a maximum of three hours for executed transactions to appear" (reporting_transactions_v1).
LISTING_LAG = timedelta(hours=3)


@dataclass
class ReconcileReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # gifts at PayPal, not here
    mismatched: list[str] = field(default_factory=list)  # amount, currency or status differ
    unknown_here: list[str] = field(default_factory=list)  # recorded here, not at PayPal
    not_donations: list[str] = field(default_factory=list)  # refunds, conversions, withdrawals...
    not_ours: list[str] = field(default_factory=list)  # gifts that no form of ours started
    not_listed_yet: list[str] = field(default_factory=list)  # recorded within PayPal's listing lag
    repaired: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)  # lost here: intent and donor rebuilt from PayPal's row
    errors: list[str] = field(default_factory=list)  # a row that could not be repaired, and why
    paypal_totals: dict[str, Decimal] = field(default_factory=dict)  # kept: gifts standing, less refunds

    @property
    def clean(self) -> bool:
        """Nothing differed."""
        return not (self.missing or self.mismatched or self.unknown_here)

    @property
    def unresolved(self) -> list[str]:
        """Differences still standing after the repairs."""
        done = set(self.repaired)
        found = self.missing + self.mismatched + self.unknown_here
        return [line for line in found if line.split(":", 1)[0] not in done]


def _add(totals: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    totals[currency] = totals.get(currency, Decimal(0)) + amount


def donations_reconcile(
    *,
    since: date,
    until: date | None = None,
    repair: bool = False,
    progress: Callable[[str], None] = services.logger.info,
    now: datetime | None = None,
) -> ReconcileReport:
    """Compare recorded payments with PayPal's transaction search; with ``repair``, record PayPal's version of
    each gift (missing ones, and amounts or statuses that differ). Searches in windows of 31 days."""
    now = now or timezone.now()
    report = ReconcileReport()
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(until, datetime.max.time(), tzinfo=UTC) if until else now + timedelta(minutes=5)
    rows = services.paypal().transactions_search(start=start, end=end)
    progress(f"PayPal lists {len(rows)} transactions from {since}.")
    gifts = {row["transaction_id"]: row for row in rows if _is_gift(row)}
    returned = _returned_by_gift(rows)
    for number, row in enumerate(rows, start=1):
        report.checked += 1
        if row["transaction_id"] in gifts:
            _check_gift(row, report, repair=repair, returned=returned.get(row["transaction_id"], Decimal(0)))
        else:
            _note_other(row, gifts, report)
        if number % 100 == 0:
            progress(f"{number}/{len(rows)} checked")
    here = Donation.objects.filter(received_at__gte=start, received_at__lte=end).exclude(
        source=PaymentSource.DEMO
    )
    for donation in here.iterator():
        if donation.paypal_id in gifts:
            continue
        line = f"{donation.paypal_id}: {donation.amount} {donation.currency} {donation.status}"
        if donation.received_at > now - LISTING_LAG:
            report.not_listed_yet.append(line)
        else:
            report.unknown_here.append(line)
    progress(
        f"checked {report.checked}: {len(report.missing)} missing, {len(report.mismatched)} mismatched, "
        f"{len(report.unknown_here)} not at PayPal, {len(report.not_donations)} not donations, "
        f"{len(report.repaired)} repaired"
    )
    return report


def _is_gift(row: dict) -> bool:
    amount, _ = money(row["transaction_amount"])
    return row.get("transaction_event_code") in GIFT_CODES and amount > 0


def _returned_by_gift(rows: list[dict]) -> dict[str, Decimal]:
    """Money sent back (refunds, reversals, chargebacks) per gift's transaction ID, as a positive sum."""
    returned: dict[str, Decimal] = {}
    for row in rows:
        if row.get("transaction_event_code") in MONEY_BACK_CODES and row.get("transaction_status") == "S":
            _add(returned, row.get("paypal_reference_id", ""), abs(money(row["transaction_amount"])[0]))
    return returned


def _agreeing(status: str, amount: Decimal, returned: Decimal) -> set[str]:
    """Local statuses that agree with a gift row. PayPal may leave a refunded gift's row S and list the refund
    beside it, or mark the row V: either reads as refunded here."""
    if status == "S" and returned >= amount:
        return {PaymentStatus.REFUNDED, PaymentStatus.REVERSED}
    if status == "S" and returned:
        return {PaymentStatus.PARTIALLY_REFUNDED}
    return AGREEING.get(status, set())


def _note_other(row: dict, gifts: dict[str, dict], report: ReconcileReport) -> None:
    amount, currency = money(row["transaction_amount"])
    code = row.get("transaction_event_code", "")
    label = OTHER_CODES.get(code) or GIFT_CODES.get(code) or "other balance movement"
    report.not_donations.append(f"{row['transaction_id']}: {code} {label}, {amount} {currency}")
    # Money back from a gift that still stands (a partial refund): it lowers what was kept.
    parent = gifts.get(row.get("paypal_reference_id", ""))
    if (
        code in MONEY_BACK_CODES
        and parent
        and parent.get("transaction_status") == "S"
        and row.get("transaction_status") == "S"
    ):
        _add(report.paypal_totals, currency, amount)


def _check_gift(row: dict, report: ReconcileReport, *, repair: bool, returned: Decimal = Decimal(0)) -> None:
    tid = row["transaction_id"]
    amount, currency = money(row["transaction_amount"])
    status = row.get("transaction_status", "")
    if status == "S":
        _add(report.paypal_totals, currency, amount)
    local = Donation.objects.filter(paypal_id=tid).first()
    try:
        if local is None:
            _check_missing(row, amount, currency, report, repair=repair)
        elif (local.amount, local.currency) != (amount, currency):
            report.mismatched.append(
                f"{tid}: here {local.amount} {local.currency}, PayPal {amount} {currency}"
            )
            if repair:
                Donation.objects.filter(pk=local.pk).update(amount=amount, currency=currency)
                report.repaired.append(tid)
        elif status in AGREEING and local.status not in _agreeing(status, amount, returned):
            report.mismatched.append(f"{tid}: here {local.status}, PayPal status {status}")
            if repair and _repair_status(local, status, amount, returned):
                report.repaired.append(tid)
    except (DatabaseError, KeyError, ValueError, services.DonationError) as exc:  # one odd row stops no other
        report.errors.append(f"{tid}: {exc}")


def _check_missing(
    row: dict, amount: Decimal, currency: str, report: ReconcileReport, *, repair: bool
) -> None:
    tid, status = row["transaction_id"], row.get("transaction_status", "")
    if status == "D":
        return  # declined at PayPal and not recorded here: no money either side
    intent, subscription_id = _origin(row)
    tag = gift_tag_parse(row.get("custom_field", ""))
    # Ours for certain (a versioned custom_id) but unknown here: the database lost it, e.g. in a restore.
    lost = intent is None and tag is not None and tag.rebuildable
    if intent is None and subscription_id is None and not lost:
        report.not_ours.append(f"{tid}: {amount} {currency} (custom_id {row.get('custom_field', '')!r})")
        return
    report.missing.append(f"{tid}: {amount} {currency} not recorded")
    if not repair:
        return
    received_at = services._when(row.get("transaction_initiation_date"))
    recorded = {
        "amount": amount,
        "currency": currency,
        "source": PaymentSource.RECONCILE,
        "received_at": received_at,
        "status": REPAIRED_STATUS.get(status, PaymentStatus.COMPLETED),
    }
    if lost:
        intent, subscription_id = _rebuild(row, tag, amount, currency, received_at)
        report.rebuilt.append(f"{tid}: gift {tag.public_id} from {intent.donor.email}")
    if subscription_id:
        subscription = services.subscription_record(
            paypal_subscription_id=subscription_id,
            intent=intent or services._intent_for_subscription(subscription_id),
        )
        services.payment_record(
            intent=subscription.intent, subscription=subscription, sale_id=tid, **recorded
        )
    else:
        services.payment_record(intent=intent, capture_id=tid, **recorded)
    report.repaired.append(tid)


def _rebuild(row: dict, tag: GiftTag, amount: Decimal, currency: str, received_at: datetime):
    """The intent, donor and (for a monthly gift) subscription of a gift this database lost, from PayPal's row."""
    monthly = row.get("paypal_reference_id_type") == "SUB" or tag.frequency == Frequency.MONTHLY
    reference = row.get("paypal_reference_id") or None
    intent = services.donation_intent_rebuild(
        tag=tag,
        payer=row.get("payer_info") or {},
        amount=amount,
        currency=currency,
        created_at=received_at,
        paypal_order_id=None if monthly else reference,
        paypal_subscription_id=reference if monthly else None,
    )
    if not monthly or not reference:
        return intent, None
    # The subscription's status as PayPal has it now; a sale was just listed, so it was active then at least.
    try:
        remote = services.paypal().subscription_get(reference)
        status = services.PAYPAL_STATUS.get(remote.get("status", ""), SubscriptionStatus.ACTIVE)
        changed_at = services._when(remote.get("status_update_time"))
    except PayPalError:
        status, changed_at = SubscriptionStatus.ACTIVE, received_at
    services.subscription_record(
        paypal_subscription_id=reference, intent=intent, status=status, changed_at=changed_at
    )
    return intent, reference


def _origin(row: dict):
    """(intent, subscription ID) that started this gift, or (None, None) for a payment not made through us."""
    intent = services._intent_by_custom(row.get("custom_field", ""))
    if row.get("paypal_reference_id_type") == "SUB":
        subscription_id = row.get("paypal_reference_id", "")
        known = intent or services._intent_for_subscription(subscription_id)
        if known is None and not Subscription.objects.filter(paypal_subscription_id=subscription_id).exists():
            return None, None
        return known, subscription_id
    if intent is None and row.get("paypal_reference_id_type") == "ODR":
        intent = DonationIntent.objects.filter(paypal_order_id=row.get("paypal_reference_id")).first()
    return intent, None


def _repair_status(local: Donation, status: str, amount: Decimal, returned: Decimal) -> bool:
    target = REPAIRED_STATUS[status]
    if status == "S" and returned:
        target = PaymentStatus.REFUNDED if returned >= amount else PaymentStatus.PARTIALLY_REFUNDED
        Donation.objects.filter(pk=local.pk).update(refunded_amount=min(returned, local.amount))
    elif target == PaymentStatus.REFUNDED:
        # Refunded in full at PayPal: what was kept is nothing.
        Donation.objects.filter(pk=local.pk, status__in=COUNTED_STATUSES).update(refunded_amount=local.amount)
    return services.payment_status_apply(donation=local, status=target)
