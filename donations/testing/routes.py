"""The fake PayPal's REST API: one small handler per route, looked up in ROUTES.

Each handler takes the fake and the request and returns (HTTP status, JSON body). Requests are checked as
strictly as PayPal checks them (amount formats per currency, custom_id's pattern, the search's 31-day range), so
a client that passes here does not meet its first 400 in production.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from donations.testing import webhooks
from donations.testing.fake import FakePayPal, decimals, new_id, rfc3339

# checkout_orders_v2: custom_id and amount value patterns; billing_subscriptions_v1: custom_id's.
CUSTOM_ID = re.compile(r"^[A-Za-z0-9-_.,]*$")
SUBSCRIPTION_CUSTOM_ID = re.compile(r"^[\x20-\x7E]+$")
AMOUNT_VALUE = re.compile(r"^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$")
SEARCH_RANGE = timedelta(days=31)


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    body: dict
    query: dict[str, list[str]]
    headers: dict[str, str] = field(default_factory=dict)

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]


Handler = Callable[[FakePayPal, Request], tuple[int, dict]]


def _amount_problem(fake: FakePayPal, amount: dict, where: str) -> tuple[int, dict] | None:
    text, currency = str(amount.get("value", "")), amount.get("currency_code", "")
    if not AMOUNT_VALUE.match(text) or len(currency) != 3:
        return fake.error(400, "INVALID_PARAMETER_SYNTAX", f"{where}/value is not a valid amount.")
    try:
        places = -Decimal(text).as_tuple().exponent
    except InvalidOperation:
        return fake.error(400, "INVALID_PARAMETER_SYNTAX", f"{where}/value is not a valid amount.")
    if places > 0 and decimals(currency) == 0:
        return fake.error(422, "DECIMALS_NOT_SUPPORTED", f"Currency {currency} does not support decimals.")
    if places > decimals(currency):
        return fake.error(422, "DECIMAL_PRECISION", f"{where}/value has more than two decimal places.")
    return None


# -- Orders v2 ----------------------------------------------------------------------------------------------


def order_create(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    units = req.body.get("purchase_units") or []
    if not units:
        return fake.error(400, "MISSING_REQUIRED_PARAMETER", "purchase_units is required.")
    unit = units[0]
    problem = _amount_problem(fake, unit.get("amount") or {}, "/purchase_units/0/amount")
    if problem:
        return problem
    custom_id = unit.get("custom_id", "")
    if len(custom_id) > 127 or not CUSTOM_ID.match(custom_id):
        return fake.error(
            400, "INVALID_PARAMETER_SYNTAX", "/purchase_units/0/custom_id has invalid characters."
        )
    paypal_source = (req.body.get("payment_source") or {}).get("paypal")
    context = (paypal_source or {}).get("experience_context") or req.body.get("application_context") or {}
    order = {
        "id": new_id(),
        "intent": req.body.get("intent", "CAPTURE"),
        # With payment_source.paypal the order waits for the payer's action at once (rel payer-action).
        "status": "PAYER_ACTION_REQUIRED" if paypal_source is not None else "CREATED",
        "create_time": rfc3339(fake.now()),
        "purchase_units": [
            {k: unit[k] for k in ("reference_id", "custom_id", "description", "amount") if k in unit}
        ],
        "_payer_action": paypal_source is not None,
        "_return_url": context.get("return_url", ""),
        "_cancel_url": context.get("cancel_url", ""),
    }
    fake.orders[order["id"]] = order
    return 201, fake.order_view(order)


def _order(fake: FakePayPal, req: Request) -> dict | None:
    return fake.orders.get(req.params["order_id"])


def order_get(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    order = _order(fake, req)
    if order is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    return 200, fake.order_view(order)


def order_capture(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    order = _order(fake, req)
    if order is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    status, body = fake.order_capture(order)
    if status == 201 and "return=representation" not in req.headers.get("prefer", ""):
        # Prefer: return=minimal is the default: id, status and links only, no captures.
        body = {k: body[k] for k in ("id", "status", "links")}
    return status, body


# -- Payments v2 ----------------------------------------------------------------------------------------------


def capture_get(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    capture = fake.captures.get(req.params["capture_id"])
    if capture is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    return 200, capture


def capture_refund(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    amount = req.body.get("amount")
    if amount:
        problem = _amount_problem(fake, amount, "/amount")
        if problem:
            return problem
    return fake.capture_refund(req.params["capture_id"], Decimal(amount["value"]) if amount else None)


def refund_get(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    refund = fake.refunds.get(req.params["refund_id"])
    if refund is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    return 200, fake.refund_view(refund)


# -- Catalog products, plans and subscriptions -----------------------------------------------------------------


def product_create(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    product = {
        "id": new_id("PROD-", 12),
        "name": req.body.get("name", ""),
        "type": req.body.get("type", "SERVICE"),
    }
    fake.products[product["id"]] = product
    return 201, product


def plan_create(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    if req.body.get("product_id") not in fake.products:
        return fake.error(422, "INVALID_PRODUCT_ID", "The product does not exist.")
    for number, cycle in enumerate(req.body.get("billing_cycles") or []):
        price = (cycle.get("pricing_scheme") or {}).get("fixed_price") or {}
        problem = _amount_problem(fake, price, f"/billing_cycles/{number}/pricing_scheme/fixed_price")
        if problem:
            return problem
    plan = {**req.body, "id": new_id("P-", 24), "status": "ACTIVE"}
    fake.plans[plan["id"]] = plan
    return 201, plan


def subscription_create(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    if req.body.get("plan_id") not in fake.plans:
        return fake.error(422, "INVALID_PLAN_ID", "The plan does not exist.")
    custom_id = req.body.get("custom_id")
    if custom_id is not None and (len(custom_id) > 127 or not SUBSCRIPTION_CUSTOM_ID.match(custom_id)):
        return fake.error(400, "INVALID_PARAMETER_SYNTAX", "/custom_id is not 1 to 127 printable characters.")
    context = req.body.get("application_context", {})
    subscription = {
        "id": new_id("I-", 12),
        "plan_id": req.body["plan_id"],
        "quantity": str(req.body.get("quantity", "1")),
        "custom_id": req.body.get("custom_id", ""),
        "status": "APPROVAL_PENDING",
        "status_update_time": rfc3339(fake.now()),
        "create_time": rfc3339(fake.now()),
        "billing_info": {"failed_payments_count": 0},
        "sales": [],
        "return_url": context.get("return_url", ""),
        "cancel_url": context.get("cancel_url", ""),
    }
    fake.subscriptions[subscription["id"]] = subscription
    view = fake.subscription_view(subscription)
    view["links"] = [
        {
            "rel": "approve",
            "href": f"{fake.url}/webapps/billing/subscriptions?subscription_id={subscription['id']}",
            "method": "GET",
        },
        {"rel": "self", "href": f"{fake.url}/v1/billing/subscriptions/{subscription['id']}", "method": "GET"},
    ]
    return 201, view


def _subscription(fake: FakePayPal, req: Request) -> dict | None:
    return fake.subscriptions.get(req.params["subscription_id"])


def subscription_get(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    subscription = _subscription(fake, req)
    if subscription is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    return 200, fake.subscription_view(subscription)


def subscription_transactions(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    subscription = _subscription(fake, req)
    if subscription is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    if not req.arg("start_time") or not req.arg("end_time"):
        return fake.error(400, "MISSING_REQUIRED_PARAMETER", "start_time and end_time are required.")
    statuses = {"completed": "COMPLETED", "refunded": "REFUNDED", "partially_refunded": "PARTIALLY_REFUNDED"}
    transactions = [
        {
            "id": sale["id"],
            "status": statuses.get(sale["state"], sale["state"].upper()),
            "amount_with_breakdown": {
                "gross_amount": {
                    "currency_code": sale["amount"]["currency"],
                    "value": sale["amount"]["total"],
                }
            },
            "time": sale["create_time"],
        }
        for sale in subscription["sales"]
    ]
    return 200, {"transactions": transactions, "total_items": len(transactions), "total_pages": 1}


def subscription_cancel(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    subscription = _subscription(fake, req)
    if subscription is None:
        return fake.error(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
    if subscription["status"] in ("CANCELLED", "EXPIRED"):
        return fake.error(
            422, "SUBSCRIPTION_STATUS_INVALID", "Invalid subscription status for cancel action."
        )
    subscription["status"] = "CANCELLED"
    subscription["status_update_time"] = rfc3339(fake.now())
    fake.event("BILLING.SUBSCRIPTION.CANCELLED", fake.subscription_view(subscription), "subscription")
    return 204, {}


# -- notifications and reporting --------------------------------------------------------------------------------


def webhook_verify(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    body = req.body
    expected = webhooks.signature(
        transmission_id=body.get("transmission_id", ""),
        transmission_time=body.get("transmission_time", ""),
        webhook_id=body.get("webhook_id", ""),
        event=body.get("webhook_event", {}),
    )
    ok = body.get("webhook_id") == fake.webhook_id and hmac.compare_digest(
        expected, body.get("transmission_sig", "")
    )
    return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def transactions_search(fake: FakePayPal, req: Request) -> tuple[int, dict]:
    """reporting_transactions_v1: start_date and end_date required, at most 31 days apart; rows appear only once
    the listing lag has passed; page_size at most 500."""
    start, end = _instant(req.arg("start_date")), _instant(req.arg("end_date"))
    if start is None or end is None or start.tzinfo is None or end.tzinfo is None:
        return fake.error(400, "INVALID_REQUEST", "start_date and end_date are required, in RFC 3339.")
    if end - start > SEARCH_RANGE:
        return fake.error(400, "INVALID_REQUEST", "Date range is greater than 31 days")
    if end < start:
        return fake.error(400, "INVALID_REQUEST", "end_date is before start_date")
    try:
        size, page = int(req.arg("page_size", "100")), int(req.arg("page", "1"))
    except ValueError:
        return fake.error(400, "INVALID_REQUEST", "page and page_size are numbers.")
    if not 1 <= size <= 500 or page < 1:
        return fake.error(400, "INVALID_REQUEST", "page_size is between 1 and 500.")
    # fields: transaction_info by default; payer_info (the payer's account, email, name, country) when asked.
    fields = {name.strip() for name in req.arg("fields", "transaction_info").split(",")}
    with_payer = "all" in fields or "payer_info" in fields
    now = fake.now()
    with fake.lock:
        rows = [
            row
            for row in fake.transactions
            if row["_listed_at"] <= now and start <= _instant(row["transaction_initiation_date"]) <= end
        ]
    pages = max(1, -(-len(rows) // size))
    details = []
    for row in rows[(page - 1) * size : page * size]:
        detail = {"transaction_info": {k: v for k, v in row.items() if not k.startswith("_")}}
        if with_payer and row.get("_payer_info"):
            detail["payer_info"] = dict(row["_payer_info"])
        details.append(detail)
    return 200, {
        "transaction_details": details,
        "account_number": "FAKEACCOUNT",
        "start_date": rfc3339(start),
        "end_date": rfc3339(end),
        "last_refreshed_datetime": rfc3339(now - fake.listing_lag),
        "page": page,
        "total_items": len(rows),
        "total_pages": pages,
    }


_ID = r"(?P<{}>[A-Za-z0-9-]+)"
ROUTES: list[tuple[str, re.Pattern, Handler]] = [
    (method, re.compile("^" + pattern.format(**{n: _ID.format(n) for n in names}) + "$"), handler)
    for method, pattern, names, handler in [
        ("POST", "/v2/checkout/orders", (), order_create),
        ("GET", "/v2/checkout/orders/{order_id}", ("order_id",), order_get),
        ("POST", "/v2/checkout/orders/{order_id}/capture", ("order_id",), order_capture),
        ("GET", "/v2/payments/captures/{capture_id}", ("capture_id",), capture_get),
        ("POST", "/v2/payments/captures/{capture_id}/refund", ("capture_id",), capture_refund),
        ("GET", "/v2/payments/refunds/{refund_id}", ("refund_id",), refund_get),
        ("POST", "/v1/catalogs/products", (), product_create),
        ("POST", "/v1/billing/plans", (), plan_create),
        ("POST", "/v1/billing/subscriptions", (), subscription_create),
        ("GET", "/v1/billing/subscriptions/{subscription_id}", ("subscription_id",), subscription_get),
        (
            "GET",
            "/v1/billing/subscriptions/{subscription_id}/transactions",
            ("subscription_id",),
            subscription_transactions,
        ),
        (
            "POST",
            "/v1/billing/subscriptions/{subscription_id}/cancel",
            ("subscription_id",),
            subscription_cancel,
        ),
        ("POST", "/v1/notifications/verify-webhook-signature", (), webhook_verify),
        ("GET", "/v1/reporting/transactions", (), transactions_search),
    ]
]


def route(fake: FakePayPal, method: str, path: str, **request) -> tuple[int, dict]:
    """The handler for this method and path, called; 404 in PayPal's shape when nothing matches."""
    for route_method, pattern, handler in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return handler(fake, Request(method, path, match.groupdict(), **request))
    return fake.error(404, "NOT_FOUND", f"{method} {path} is not faked")
