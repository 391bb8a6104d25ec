"""FakePayPal: the state of one PayPal business account, and what happens to its payments over time.

Orders are approved with a funding choice that decides the capture's outcome (completed, pending for an eCheck or
a review, declined by the bank or the processor). Captures can then complete, be denied, be refunded in part or
in full, or be reversed by a chargeback; each change is a webhook event with PayPal's resource shape and a row in
the transaction search with PayPal's T-code and a signed amount. The REST routes are in ``routes.py``; the HTTP
server and the donor's approval pages in ``server.py``; signing and delivering webhooks in ``webhooks.py``.
"""

from __future__ import annotations

import random
import secrets
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from http.server import ThreadingHTTPServer

from donations.testing import webhooks

# Currencies without decimals at PayPal (its currency-codes reference): written here independently of the product.
ZERO_DECIMAL = {"HUF", "JPY", "TWD"}


@dataclass(frozen=True)
class Outcome:
    """What capturing an order paid this way does: an error issue (422), or a capture status and its reason."""

    label: str
    capture: str = "COMPLETED"  # COMPLETED, PENDING or DECLINED
    reason: str = ""  # status_details.reason of a pending capture
    issue: str = ""  # a 422 issue instead of a capture


# The funding choices of the fake's approval page (PayPal's capture-422 issues and capture status_details).
OUTCOMES = {
    "balance": Outcome("PayPal balance"),
    "echeck": Outcome("Bank account by eCheck (clears in a few days)", "PENDING", "ECHECK"),
    "review": Outcome("Card held for PayPal's review", "PENDING", "PENDING_REVIEW"),
    "manual": Outcome(
        "A currency the account accepts by hand", "PENDING", "RECEIVING_PREFERENCE_MANDATES_MANUAL_ACTION"
    ),
    "declined_card": Outcome("Card the bank declines", issue="INSTRUMENT_DECLINED"),
    "payer_action": Outcome("Card that needs the payer's action", issue="PAYER_ACTION_REQUIRED"),
    "alternate_funding": Outcome(
        "Account that needs another funding source", issue="REDIRECT_PAYER_FOR_ALTERNATE_FUNDING"
    ),
    "processor_declined": Outcome("Card the processor declines at capture", "DECLINED"),
}


def new_id(prefix: str = "", length: int = 17) -> str:
    return prefix + secrets.token_hex(length).upper()[:length]


def decimals(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL else 2


def value(amount: Decimal, currency: str) -> str:
    """An amount as PayPal writes it in this currency (no decimals in JPY)."""
    return str(Decimal(amount).quantize(Decimal(1).scaleb(-decimals(currency)), rounding=ROUND_HALF_UP))


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Payer:
    """The PayPal account that approved a payment (a sandbox test account's details)."""

    email: str = "donor@example.org"
    given_name: str = "Alex"
    surname: str = "Payer"
    country_code: str = "GB"
    payer_id: str = ""

    def order_payer(self) -> dict:
        """Orders v2 ``payer``."""
        return {
            "payer_id": self.payer_id,
            "email_address": self.email,
            "name": {"given_name": self.given_name, "surname": self.surname},
            "address": {"country_code": self.country_code},
        }

    def subscriber(self) -> dict:
        """Subscriptions v1 ``subscriber``."""
        return {
            "payer_id": self.payer_id,
            "email_address": self.email,
            "name": {"given_name": self.given_name, "surname": self.surname},
        }

    def payer_info(self) -> dict:
        """reporting_transactions_v1 ``payer_info`` (listed with fields=all or fields=payer_info)."""
        return {
            "account_id": self.payer_id,
            "email_address": self.email,
            "address_status": "N",
            "payer_status": "Y",
            "payer_name": {
                "given_name": self.given_name,
                "surname": self.surname,
                "alternate_full_name": f"{self.given_name} {self.surname}",
            },
            "country_code": self.country_code,
        }


class FakePayPal:
    """One account's orders, captures, refunds, subscriptions, balance rows and webhook events."""

    def __init__(
        self,
        *,
        client_id="fake-client",
        secret="fake-secret",  # noqa: S107 (a fake)
        webhook_id="FAKEWEBHOOK",
        seed=None,
    ):
        self.client_id, self.secret, self.webhook_id = client_id, secret, webhook_id
        self.lock = threading.RLock()
        self.random = random.Random(seed)  # noqa: S311 (failure injection, not security)
        self.orders: dict[str, dict] = {}
        self.captures: dict[str, dict] = {}  # capture id → capture (also inside its order)
        self.refunds: dict[str, dict] = {}
        self.products: dict[str, dict] = {}
        self.plans: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.sales: dict[str, dict] = {}
        self.transactions: list[dict] = []  # the balance rows the transaction search lists
        self.events: list[dict] = []  # every webhook event ever generated
        self.outbox: list[dict] = []  # events not yet delivered
        self.idempotent: dict[tuple[str, str], tuple[int, dict]] = {}
        self.tokens: set[str] = set()
        self.calls = 0
        # Failure injection: a share of API calls fail (500) or answer too late after doing the work.
        self.fail_rate = 0.0
        self.timeout_rate = 0.0
        self.timeout_delay = 1.5
        self.fail_next = 0  # the next N API calls answer 500 (deterministic tests)
        self.timeout_next = 0  # the next N API calls are processed but answered too late
        self.rate_limit_next = 0  # the next N API calls answer 429 with Retry-After
        self.retry_after = 1
        # "It takes a maximum of three hours for executed transactions to appear" in the search.
        self.listing_lag = timedelta(0)
        self.clock_offset = timedelta(0)
        # The outcome of capturing an order, by its amount or by the payer's email (like sandbox test accounts).
        self.outcome_by_amount: dict[Decimal, str] = {}
        self.outcome_by_email: dict[str, str] = {}
        self.webhook_url = ""
        self.auto_deliver = False
        self.httpd: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------------------------

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> str:
        from donations.testing.server import http_server

        self.httpd = http_server(self, host, port)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def advance(self, delta: timedelta) -> None:
        """Move the fake's clock (rows and events made from now on carry the later time)."""
        self.clock_offset += delta

    # -- webhooks -------------------------------------------------------------------------------------------

    def event(self, event_type: str, resource: dict, resource_type: str) -> dict:
        event = webhooks.event(event_type, resource, resource_type, created=rfc3339(self.now()))
        with self.lock:
            self.events.append(event)
            self.outbox.append(event)
        if self.auto_deliver and self.webhook_url:
            threading.Thread(target=self.deliver_webhooks, daemon=True).start()
        return event

    def signed_headers(self, event: dict) -> dict[str, str]:
        return webhooks.signed_headers(self, event)

    def deliver_webhooks(self, url: str = "", **options) -> dict[str, int]:
        """Post every pending event (``copies``, ``shuffle``, ``workers``); non-2xx answers are retried."""
        with self.lock:
            batch, self.outbox = self.outbox, []
        return webhooks.deliver(self, batch, url or self.webhook_url, **options)

    # -- the balance rows -----------------------------------------------------------------------------------

    def row(
        self,
        *,
        transaction_id: str,
        code: str,
        amount: Decimal,
        currency: str,
        status: str = "S",
        reference_id: str = "",
        reference_type: str = "",
        custom: str = "",
        payer: Payer | None = None,
    ) -> dict:
        """A row of the transaction search (reporting_transactions_v1 transaction_info), listed after the lag."""
        moment = self.now()
        row = {
            "transaction_id": transaction_id,
            "transaction_event_code": code,
            "transaction_initiation_date": rfc3339(moment),
            "transaction_updated_date": rfc3339(moment),
            "transaction_amount": {"currency_code": currency, "value": value(amount, currency)},
            "transaction_status": status,
            "_listed_at": moment + self.listing_lag,
        }
        if reference_id:
            row["paypal_reference_id"] = reference_id
            row["paypal_reference_id_type"] = reference_type
        if custom:
            row["custom_field"] = custom
        if payer:
            row["_payer_info"] = payer.payer_info()
        with self.lock:
            self.transactions.append(row)
        return row

    def row_of(self, transaction_id: str) -> dict:
        return next(row for row in self.transactions if row["transaction_id"] == transaction_id)

    def row_update(self, transaction_id: str, status: str) -> None:
        row = self.row_of(transaction_id)
        row["transaction_status"] = status
        row["transaction_updated_date"] = rfc3339(self.now())

    def conversion(
        self, *, amount: Decimal, currency: str, to_currency: str, rate: Decimal
    ) -> tuple[str, str]:
        """An automatic currency conversion: a T0200 debit in one currency and a T0200 credit in the other."""
        debit = self.row(transaction_id=new_id(), code="T0200", amount=-Decimal(amount), currency=currency)
        credit = self.row(
            transaction_id=new_id(),
            code="T0200",
            amount=Decimal(amount) * Decimal(rate),
            currency=to_currency,
            reference_id=debit["transaction_id"],
            reference_type="TXN",
        )
        return debit["transaction_id"], credit["transaction_id"]

    def withdrawal(self, *, amount: Decimal, currency: str) -> str:
        """Money moved to the bank account: a T0400 debit."""
        return self.row(transaction_id=new_id(), code="T0400", amount=-Decimal(amount), currency=currency)[
            "transaction_id"
        ]

    # -- orders and captures (Orders v2, Payments v2) -------------------------------------------------------

    def order_approve(
        self,
        order_id: str,
        *,
        funding: str = "balance",
        email: str = "donor@example.org",
        payer: Payer | None = None,
    ) -> dict:
        """The donor approves at PayPal, paying with ``funding`` (a key of OUTCOMES) from the account ``payer``
        (or one with ``email``); approving again after a decline chooses another funding source."""
        payer = payer or Payer(email=email)
        with self.lock:
            order = self.orders[order_id]
            if order["status"] in ("COMPLETED", "VOIDED"):
                return order
            unit = order["purchase_units"][0]
            chosen = (
                self.outcome_by_email.get(payer.email)
                or self.outcome_by_amount.get(Decimal(unit["amount"]["value"]))
                or funding
            )
            if chosen not in OUTCOMES:
                raise KeyError(f"unknown funding choice {chosen!r}")
            order["_outcome"] = chosen
            order["status"] = "APPROVED"
            order["_payer"] = replace(payer, payer_id=payer.payer_id or new_id("PAYER", 8))
            order["payer"] = order["_payer"].order_payer()
            self.event("CHECKOUT.ORDER.APPROVED", self.order_view(order), "checkout-order")
            return order

    def order_capture(self, order: dict) -> tuple[int, dict]:
        """Capture an approved order: an outcome's 422, or a capture (completed, pending or declined)."""
        if order["status"] == "COMPLETED":
            return self.error(422, "ORDER_ALREADY_CAPTURED", "Order already captured.")
        if order["status"] != "APPROVED":
            return self.error(422, "ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment.")
        outcome = OUTCOMES[order["_outcome"]]
        if outcome.issue:
            links = [
                {"href": f"{self.url}/checkoutnow?token={order['id']}", "rel": "redirect", "method": "GET"},
                {
                    "href": f"https://developer.paypal.com/docs/api/orders/v2/#error-{outcome.issue}",
                    "rel": "information_link",
                    "method": "GET",
                },
            ]
            return self.error(422, outcome.issue, outcome.label, links=links)
        unit = order["purchase_units"][0]
        amount = Decimal(unit["amount"]["value"])
        currency = unit["amount"]["currency_code"]
        capture = {
            "id": new_id(),
            "status": outcome.capture,
            "amount": dict(unit["amount"]),
            "final_capture": True,
            "seller_protection": {"status": "ELIGIBLE"},
            "seller_receivable_breakdown": self._breakdown(amount, currency),
            "custom_id": unit.get("custom_id", ""),
            "create_time": rfc3339(self.now()),
            "update_time": rfc3339(self.now()),
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
        }
        capture["links"] = [
            {"href": f"{self.url}/v2/payments/captures/{capture['id']}", "rel": "self", "method": "GET"},
            {
                "href": f"{self.url}/v2/payments/captures/{capture['id']}/refund",
                "rel": "refund",
                "method": "POST",
            },
            {"href": f"{self.url}/v2/checkout/orders/{order['id']}", "rel": "up", "method": "GET"},
        ]
        if outcome.reason:
            capture["status_details"] = {"reason": outcome.reason}
        unit.setdefault("payments", {"captures": []})["captures"].append(capture)
        self.captures[capture["id"]] = capture
        row_status = {"COMPLETED": "S", "PENDING": "P", "DECLINED": "D"}[outcome.capture]
        self.row(
            transaction_id=capture["id"],
            code="T0006",
            amount=amount,
            currency=currency,
            status=row_status,
            reference_id=order["id"],
            reference_type="ODR",
            custom=unit.get("custom_id", ""),
            payer=order.get("_payer"),
        )
        if outcome.capture == "DECLINED":
            # The processor declined: the order stays approved with the same funding source, so capturing
            # again declines again until the donor chooses another one at the redirect link.
            self.event("PAYMENT.CAPTURE.DECLINED", capture, "capture")
        else:
            order["status"] = "COMPLETED"
            self.event(f"PAYMENT.CAPTURE.{outcome.capture}", capture, "capture")
        return 201, self.order_view(order)

    def _breakdown(self, amount: Decimal, currency: str) -> dict:
        fee = (amount * Decimal("0.034")).quantize(
            Decimal(1).scaleb(-decimals(currency)), rounding=ROUND_HALF_UP
        )
        return {
            "gross_amount": {"currency_code": currency, "value": value(amount, currency)},
            "paypal_fee": {"currency_code": currency, "value": value(fee, currency)},
            "net_amount": {"currency_code": currency, "value": value(amount - fee, currency)},
        }

    def capture_complete(self, capture_id: str) -> dict:
        """A pending capture clears (the eCheck arrived, the review passed)."""
        with self.lock:
            capture = self.captures[capture_id]
            if capture["status"] != "PENDING":
                raise ValueError(f"capture {capture_id} is {capture['status']}, not PENDING")
            capture["status"] = "COMPLETED"
            capture.pop("status_details", None)
            capture["update_time"] = rfc3339(self.now())
            self.row_update(capture_id, "S")
            self.event("PAYMENT.CAPTURE.COMPLETED", capture, "capture")
            return capture

    def capture_deny(self, capture_id: str) -> dict:
        """A pending capture is denied (the eCheck bounced): no money arrives."""
        with self.lock:
            capture = self.captures[capture_id]
            if capture["status"] != "PENDING":
                raise ValueError(f"capture {capture_id} is {capture['status']}, not PENDING")
            capture["status"] = "DECLINED"
            capture.pop("status_details", None)
            capture["update_time"] = rfc3339(self.now())
            self.row_update(capture_id, "D")
            self.event("PAYMENT.CAPTURE.DENIED", capture, "capture")
            return capture

    def _refunded(self, capture: dict) -> Decimal:
        return sum(
            (
                Decimal(r["amount"]["value"])
                for r in self.refunds.values()
                if r["_capture_id"] == capture["id"]
            ),
            Decimal(0),
        )

    def capture_refund(self, capture_id: str, amount: Decimal | None = None) -> tuple[int, dict]:
        """Refund all that is left of a capture, or ``amount`` of it: a refund resource and a T1107 row."""
        with self.lock:
            capture = self.captures.get(capture_id)
            if capture is None:
                return self.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
            if capture["status"] not in ("COMPLETED", "PARTIALLY_REFUNDED"):
                return self.error(
                    422,
                    "CAPTURE_FULLY_REFUNDED" if capture["status"] == "REFUNDED" else "REFUND_NOT_ALLOWED",
                    "The capture cannot be refunded.",
                )
            gross = Decimal(capture["amount"]["value"])
            left = gross - self._refunded(capture)
            amount = left if amount is None else Decimal(amount)
            if amount <= 0 or amount > left:
                return self.error(
                    422,
                    "REFUND_AMOUNT_EXCEEDED",
                    "The refund amount must be less than or "
                    "equal to the capture amount that has not yet been refunded.",
                )
            refund = self._refund(capture, amount, code="T1107")
            capture["status"] = "REFUNDED" if amount == left else "PARTIALLY_REFUNDED"
            capture["update_time"] = refund["create_time"]
            if capture["status"] == "REFUNDED":
                self.row_update(capture_id, "V")
            self.event("PAYMENT.CAPTURE.REFUNDED", self.refund_view(refund), "refund")
            return 201, self.refund_view(refund)

    def capture_reverse(self, capture_id: str) -> dict:
        """A chargeback: PayPal takes back what is left of the capture (T1106) and the event's resource is the
        refund, linked to its capture by ``rel: up``."""
        with self.lock:
            capture = self.captures[capture_id]
            left = Decimal(capture["amount"]["value"]) - self._refunded(capture)
            refund = self._refund(capture, left, code="T1106")
            capture["status"] = "REFUNDED"
            self.row_update(capture_id, "V")
            self.event("PAYMENT.CAPTURE.REVERSED", self.refund_view(refund), "refund")
            return self.refund_view(refund)

    def _refund(self, capture: dict, amount: Decimal, *, code: str) -> dict:
        currency = capture["amount"]["currency_code"]
        refund = {
            "id": new_id(),
            "status": "COMPLETED",
            "amount": {"currency_code": currency, "value": value(amount, currency)},
            "custom_id": capture.get("custom_id", ""),
            "create_time": rfc3339(self.now()),
            "update_time": rfc3339(self.now()),
            "_capture_id": capture["id"],
        }
        self.refunds[refund["id"]] = refund
        total = self._refunded(capture)
        refund["seller_payable_breakdown"] = {
            "gross_amount": dict(refund["amount"]),
            "net_amount": dict(refund["amount"]),
            "total_refunded_amount": {"currency_code": currency, "value": value(total, currency)},
        }
        self.row(
            transaction_id=refund["id"],
            code=code,
            amount=-amount,
            currency=currency,
            reference_id=capture["id"],
            reference_type="TXN",
            custom=capture.get("custom_id", ""),
        )
        return refund

    def refund_view(self, refund: dict) -> dict:
        view = {k: v for k, v in refund.items() if not k.startswith("_")}
        view["links"] = [
            {"href": f"{self.url}/v2/payments/refunds/{refund['id']}", "rel": "self", "method": "GET"},
            {
                "href": f"{self.url}/v2/payments/captures/{refund['_capture_id']}",
                "rel": "up",
                "method": "GET",
            },
        ]
        return view

    def order_view(self, order: dict) -> dict:
        view = {k: v for k, v in order.items() if not k.startswith("_")}
        rel = "payer-action" if order.get("_payer_action") else "approve"
        view["links"] = [
            {"rel": "self", "href": f"{self.url}/v2/checkout/orders/{order['id']}", "method": "GET"},
            {"rel": rel, "href": f"{self.url}/checkoutnow?token={order['id']}", "method": "GET"},
        ]
        if order["status"] == "APPROVED":
            view["links"].append(
                {
                    "rel": "capture",
                    "href": f"{self.url}/v2/checkout/orders/{order['id']}/capture",
                    "method": "POST",
                }
            )
        return view

    # -- subscriptions and their sales (Subscriptions v1, Payments v1 sales) ---------------------------------

    def subscription_approve(self, subscription_id: str, *, payer: Payer | None = None) -> dict:
        """The donor approves from the account ``payer``: the subscription activates and the first month is
        charged at once."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            if subscription["status"] != "APPROVAL_PENDING":
                return subscription
            payer = payer or Payer()
            subscription["_payer"] = replace(payer, payer_id=payer.payer_id or new_id("PAYER", 8))
            subscription["subscriber"] = subscription["_payer"].subscriber()
            subscription["status"] = "ACTIVE"
            subscription["status_update_time"] = subscription["start_time"] = rfc3339(self.now())
            self.event("BILLING.SUBSCRIPTION.ACTIVATED", self.subscription_view(subscription), "subscription")
        self.subscription_charge(subscription_id)
        return subscription

    def subscription_charge(self, subscription_id: str) -> dict:
        """Bill one month: a completed sale, its T0002 row and PAYMENT.SALE.COMPLETED."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            price = self.plans[subscription["plan_id"]]["billing_cycles"][0]["pricing_scheme"]["fixed_price"]
            currency = price["currency_code"]
            amount = Decimal(price["value"]) * Decimal(subscription.get("quantity", "1"))
            sale = {
                "id": new_id(),
                "state": "completed",
                "amount": {"total": value(amount, currency), "currency": currency},
                "billing_agreement_id": subscription_id,
                "custom": subscription.get("custom_id", ""),
                "create_time": rfc3339(self.now()),
                "update_time": rfc3339(self.now()),
            }
            self.sales[sale["id"]] = sale
            subscription["sales"].append(sale)
            subscription["billing_info"]["last_payment"] = {
                "amount": {"currency_code": currency, "value": value(amount, currency)},
                "time": sale["create_time"],
            }
            self.row(
                transaction_id=sale["id"],
                code="T0002",
                amount=amount,
                currency=currency,
                reference_id=subscription_id,
                reference_type="SUB",
                custom=subscription.get("custom_id", ""),
                payer=subscription.get("_payer"),
            )
            self.event("PAYMENT.SALE.COMPLETED", sale, "sale")
            return sale

    def sale_refund(self, sale_id: str, amount: Decimal | None = None) -> dict:
        """Refund a monthly payment (v1 refund resource with its sale_id) and list the T1107 row."""
        with self.lock:
            sale = self.sales[sale_id]
            currency = sale["amount"]["currency"]
            gross = Decimal(sale["amount"]["total"])
            done = sum((Decimal(r["amount"]["total"]) for r in sale.get("_refunds", [])), Decimal(0))
            amount = gross - done if amount is None else Decimal(amount)
            refund = {
                "id": new_id(),
                "state": "completed",
                "amount": {"total": value(amount, currency), "currency": currency},
                "sale_id": sale_id,
                "custom": sale.get("custom", ""),
                "create_time": rfc3339(self.now()),
                "update_time": rfc3339(self.now()),
            }
            sale.setdefault("_refunds", []).append(refund)
            sale["state"] = "refunded" if done + amount >= gross else "partially_refunded"
            self.row(
                transaction_id=refund["id"],
                code="T1107",
                amount=-amount,
                currency=currency,
                reference_id=sale_id,
                reference_type="TXN",
            )
            if sale["state"] == "refunded":
                self.row_update(sale_id, "V")
            self.event("PAYMENT.SALE.REFUNDED", refund, "refund")
            return refund

    def subscription_view(self, subscription: dict) -> dict:
        return {
            k: v
            for k, v in subscription.items()
            if k not in ("sales", "return_url", "cancel_url") and not k.startswith("_")
        }

    # -- errors and the account's own records ---------------------------------------------------------------

    def error(
        self, status: int, issue: str, description: str, *, links: list | None = None
    ) -> tuple[int, dict]:
        """PayPal's error body: name, message, details[].issue, debug_id and links."""
        names = {400: "INVALID_REQUEST", 404: "RESOURCE_NOT_FOUND", 422: "UNPROCESSABLE_ENTITY"}
        body = {
            "name": names.get(status, "INTERNAL_SERVER_ERROR"),
            "message": "The requested action could not be performed, semantically incorrect, or failed "
            "business validation."
            if status == 422
            else description,
            "details": [{"issue": issue, "description": description}],
            "debug_id": new_id(length=13).lower(),
            "links": links
            or [
                {
                    "href": f"https://developer.paypal.com/api/rest/reference/orders/v2/errors/#{issue}",
                    "rel": "information_link",
                    "method": "GET",
                }
            ],
        }
        return status, body

    def ledger(self) -> dict[tuple[str, str], dict[str, Decimal]]:
        """What PayPal holds per (currency, payment status): count, gross and kept, in the product's status words."""
        ledger: dict[tuple[str, str], dict[str, Decimal]] = {}
        with self.lock:
            payments = [
                (c, c["amount"]["currency_code"], Decimal(c["amount"]["value"]))
                for c in self.captures.values()
            ]
            reversed_ids = {r["_capture_id"] for r in self.refunds.values() if self._is_reversal(r)}
            for capture, currency, gross in payments:
                if capture["status"] == "DECLINED" and capture["id"] not in self._denied_ids():
                    continue  # declined at capture: never a payment
                status = {
                    "COMPLETED": "completed",
                    "PENDING": "pending",
                    "PARTIALLY_REFUNDED": "partially_refunded",
                    "REFUNDED": "reversed" if capture["id"] in reversed_ids else "refunded",
                    "DECLINED": "denied",
                }[capture["status"]]
                refunded = self._refunded(capture)
                kept = gross - refunded if status in ("completed", "partially_refunded") else Decimal(0)
                self._ledger_add(ledger, currency, status, gross, kept)
            for sale in self.sales.values():
                currency, gross = sale["amount"]["currency"], Decimal(sale["amount"]["total"])
                refunded = sum((Decimal(r["amount"]["total"]) for r in sale.get("_refunds", [])), Decimal(0))
                status = sale["state"]
                kept = gross - refunded if status in ("completed", "partially_refunded") else Decimal(0)
                self._ledger_add(ledger, currency, status, gross, kept)
        return ledger

    @staticmethod
    def _ledger_add(ledger: dict, currency: str, status: str, gross: Decimal, kept: Decimal) -> None:
        entry = ledger.setdefault(
            (currency, status), {"count": Decimal(0), "gross": Decimal(0), "kept": Decimal(0)}
        )
        entry["count"] += 1
        entry["gross"] += gross
        entry["kept"] += kept

    def _is_reversal(self, refund: dict) -> bool:
        return self.row_of(refund["id"])["transaction_event_code"] == "T1106"

    def _denied_ids(self) -> set[str]:
        return {e["resource"]["id"] for e in self.events if e["event_type"] == "PAYMENT.CAPTURE.DENIED"}
