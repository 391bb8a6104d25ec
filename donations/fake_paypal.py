"""A fake PayPal speaking the REST endpoints Yearbook uses, over real HTTP on a loopback port.

Tests start it with the ``fake_paypal`` fixture; the demo runs it with ``manage.py run_fake_paypal``. It keeps
its own orders, captures, subscriptions, sales and transactions; serves approval pages a browser can click;
answers PayPal-Request-Id retries with the original response; and on request fails, times out (after doing the
work, like a lost response), or delivers its webhooks signed, duplicated and out of order.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import random
import secrets
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

SIGNING_KEY = b"fake-paypal-signing-key"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _id(prefix: str = "", length: int = 17) -> str:
    return prefix + secrets.token_hex(length).upper()[:length]


def _with_query(url: str, **params: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


class FakePayPal:
    """State and behaviour; ``serve()`` puts it on HTTP."""

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
        self.products: dict[str, dict] = {}
        self.plans: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.transactions: list[dict] = []
        self.events: list[dict] = []  # every webhook event ever generated
        self.outbox: list[dict] = []  # events not yet delivered
        self.idempotent: dict[tuple[str, str], tuple[int, dict]] = {}
        self.tokens: set[str] = set()
        self.calls = 0
        self.fail_rate = 0.0
        self.timeout_rate = 0.0
        self.timeout_delay = 1.5
        self.fail_next = 0  # the next N API calls answer 500 (deterministic tests)
        self.timeout_next = 0  # the next N API calls are processed but answered too late
        self.webhook_url = ""
        self.auto_deliver = False
        self.httpd: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------------------------

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> str:
        fake = self

        class Handler(_Handler):
            paypal = fake

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
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

    # -- events and webhooks --------------------------------------------------------------------------------

    def _event(self, event_type: str, resource: dict, resource_type: str) -> None:
        event = {
            "id": _id("WH-", 20),
            "event_version": "1.0",
            "create_time": _now(),
            "resource_type": resource_type,
            "event_type": event_type,
            "summary": event_type.replace(".", " ").lower(),
            "resource": json.loads(json.dumps(resource)),
        }
        with self.lock:
            self.events.append(event)
            self.outbox.append(event)
        if self.auto_deliver and self.webhook_url:
            threading.Thread(target=self.deliver_webhooks, daemon=True).start()

    def signature(self, *, transmission_id: str, transmission_time: str, webhook_id: str, event: dict) -> str:
        digest = hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()
        message = f"{transmission_id}|{transmission_time}|{webhook_id}|{digest}".encode()
        return hmac.new(SIGNING_KEY, message, hashlib.sha256).hexdigest()

    def signed_headers(self, event: dict) -> dict[str, str]:
        transmission_id, transmission_time = _id("T", 24), _now()
        return {
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": f"{self.url}/v1/notifications/certs/CERT-fake",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": transmission_time,
            "PAYPAL-TRANSMISSION-SIG": self.signature(
                transmission_id=transmission_id,
                transmission_time=transmission_time,
                webhook_id=self.webhook_id,
                event=event,
            ),
        }

    def deliver_webhooks(
        self, url: str = "", *, copies: int = 1, shuffle: bool = False, workers: int = 1, attempts: int = 8
    ) -> dict[str, int]:
        """Post every pending event (``copies`` times each, shuffled if asked); retry non-2xx like PayPal."""
        with self.lock:
            batch, self.outbox = self.outbox, []
        deliveries = [event for event in batch for _ in range(copies)]
        if shuffle:
            self.random.shuffle(deliveries)
        target = url or self.webhook_url
        stats = {"delivered": 0, "failed": 0}
        stats_lock = threading.Lock()

        def post(event: dict) -> None:
            for attempt in range(attempts):
                try:
                    response = httpx.post(target, json=event, headers=self.signed_headers(event), timeout=30)
                    if 200 <= response.status_code < 300:
                        with stats_lock:
                            stats["delivered"] += 1
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.05 * (attempt + 1))
            with stats_lock:
                stats["failed"] += 1

        queue = list(deliveries)
        queue_lock = threading.Lock()

        def worker() -> None:
            while True:
                with queue_lock:
                    if not queue:
                        return
                    event = queue.pop()
                post(event)

        threads = [threading.Thread(target=worker) for _ in range(max(1, workers))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return stats

    # -- PayPal behaviour -----------------------------------------------------------------------------------

    def _transaction(self, *, transaction_id, reference_id, ref_type, event_code, amount, currency, custom):
        self.transactions.append(
            {
                "transaction_id": transaction_id,
                "paypal_reference_id": reference_id,
                "paypal_reference_id_type": ref_type,
                "transaction_event_code": event_code,
                "transaction_initiation_date": _now(),
                "transaction_updated_date": _now(),
                "transaction_amount": {"currency_code": currency, "value": f"{Decimal(amount):.2f}"},
                "transaction_status": "S",
                "custom_field": custom,
            }
        )

    def order_approve(self, order_id: str) -> dict:
        with self.lock:
            order = self.orders[order_id]
            if order["status"] == "CREATED":
                order["status"] = "APPROVED"
                order["payer"] = {"payer_id": "FAKEPAYER", "email_address": "donor@example.org"}
                self._event("CHECKOUT.ORDER.APPROVED", self._order_view(order), "checkout-order")
            return order

    def subscription_approve(self, subscription_id: str) -> dict:
        """The donor approves: the subscription activates and the first month is charged at once."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            if subscription["status"] != "APPROVAL_PENDING":
                return subscription
            subscription["status"] = "ACTIVE"
            subscription["status_update_time"] = _now()
            subscription["start_time"] = _now()
            self._event(
                "BILLING.SUBSCRIPTION.ACTIVATED", self._public_subscription(subscription), "subscription"
            )
        self.subscription_charge(subscription_id)
        return subscription

    def subscription_charge(self, subscription_id: str) -> dict:
        """Bill one month: a completed sale, its transaction and PAYMENT.SALE.COMPLETED."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            plan = self.plans[subscription["plan_id"]]
            price = plan["billing_cycles"][0]["pricing_scheme"]["fixed_price"]
            quantity = Decimal(subscription.get("quantity", "1"))
            amount = Decimal(price["value"]) * quantity
            sale = {
                "id": _id(),
                "state": "completed",
                "amount": {"total": f"{amount:.2f}", "currency": price["currency_code"]},
                "billing_agreement_id": subscription_id,
                "custom": subscription.get("custom_id", ""),
                "create_time": _now(),
            }
            subscription["sales"].append(sale)
            subscription["billing_info"]["last_payment"] = {
                "amount": {"currency_code": price["currency_code"], "value": f"{amount:.2f}"},
                "time": sale["create_time"],
            }
            self._transaction(
                transaction_id=sale["id"],
                reference_id=subscription_id,
                ref_type="SUB",
                event_code="T0002",
                amount=amount,
                currency=price["currency_code"],
                custom=subscription.get("custom_id", ""),
            )
            self._event("PAYMENT.SALE.COMPLETED", sale, "sale")
            return sale

    def capture_refund(self, capture_id: str) -> dict:
        with self.lock:
            for order in self.orders.values():
                for capture in order["purchase_units"][0].get("payments", {}).get("captures", []):
                    if capture["id"] == capture_id:
                        capture["status"] = "REFUNDED"
                        refund = {
                            "id": _id(),
                            "status": "COMPLETED",
                            "amount": capture["amount"],
                            "custom_id": capture.get("custom_id", ""),
                            "links": [{"rel": "up", "href": f"{self.url}/v2/payments/captures/{capture_id}"}],
                        }
                        for tx in self.transactions:
                            if tx["transaction_id"] == capture_id:
                                tx["transaction_status"] = "V"
                        self._event("PAYMENT.CAPTURE.REFUNDED", refund, "refund")
                        return refund
        raise KeyError(capture_id)

    def _public_subscription(self, subscription: dict) -> dict:
        return {k: v for k, v in subscription.items() if k not in ("sales", "return_url", "cancel_url")}

    def handle_api(self, method: str, path: str, body: dict, query: dict) -> tuple[int, dict]:
        """The REST API proper; returns (status, JSON body)."""
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v2/checkout/orders":
            unit = body["purchase_units"][0]
            context = body.get("payment_source", {}).get("paypal", {}).get("experience_context", {})
            context = context or body.get("application_context", {})
            order_id = _id()
            order = {
                "id": order_id,
                "intent": body.get("intent", "CAPTURE"),
                "status": "CREATED",
                "create_time": _now(),
                "purchase_units": [
                    {k: unit[k] for k in ("reference_id", "custom_id", "amount") if k in unit}
                ],
                "return_url": context.get("return_url", ""),
                "cancel_url": context.get("cancel_url", ""),
            }
            self.orders[order_id] = order
            return 200, self._order_view(order)
        if parts[:3] == ["v2", "checkout", "orders"] and len(parts) >= 4:
            order = self.orders.get(parts[3])
            if order is None:
                return 404, {"name": "RESOURCE_NOT_FOUND", "details": [{"issue": "INVALID_RESOURCE_ID"}]}
            if method == "GET" and len(parts) == 4:
                return 200, self._order_view(order)
            if method == "POST" and parts[4:] == ["capture"]:
                if order["status"] == "COMPLETED":
                    return 422, {
                        "name": "UNPROCESSABLE_ENTITY",
                        "details": [{"issue": "ORDER_ALREADY_CAPTURED"}],
                    }
                if order["status"] != "APPROVED":
                    return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": "ORDER_NOT_APPROVED"}]}
                unit = order["purchase_units"][0]
                capture = {
                    "id": _id(),
                    "status": "COMPLETED",
                    "amount": unit["amount"],
                    "custom_id": unit.get("custom_id", ""),
                    "create_time": _now(),
                    "supplementary_data": {"related_ids": {"order_id": order["id"]}},
                }
                unit["payments"] = {"captures": [capture]}
                order["status"] = "COMPLETED"
                self._transaction(
                    transaction_id=capture["id"],
                    reference_id=order["id"],
                    ref_type="ODR",
                    event_code="T0006",
                    amount=unit["amount"]["value"],
                    currency=unit["amount"]["currency_code"],
                    custom=unit.get("custom_id", ""),
                )
                self._event("PAYMENT.CAPTURE.COMPLETED", capture, "capture")
                return 201, self._order_view(order)
        if method == "POST" and path == "/v1/catalogs/products":
            product = {
                "id": _id("PROD-", 12),
                "name": body.get("name", ""),
                "type": body.get("type", "SERVICE"),
            }
            self.products[product["id"]] = product
            return 201, product
        if method == "POST" and path == "/v1/billing/plans":
            if body.get("product_id") not in self.products:
                return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": "INVALID_PRODUCT_ID"}]}
            plan = {**body, "id": _id("P-", 24), "status": "ACTIVE"}
            self.plans[plan["id"]] = plan
            return 201, plan
        if method == "POST" and path == "/v1/billing/subscriptions":
            if body.get("plan_id") not in self.plans:
                return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": "INVALID_PLAN_ID"}]}
            subscription_id = _id("I-", 12)
            context = body.get("application_context", {})
            subscription = {
                "id": subscription_id,
                "plan_id": body["plan_id"],
                "quantity": str(body.get("quantity", "1")),
                "custom_id": body.get("custom_id", ""),
                "status": "APPROVAL_PENDING",
                "status_update_time": _now(),
                "create_time": _now(),
                "billing_info": {"failed_payments_count": 0},
                "sales": [],
                "return_url": context.get("return_url", ""),
                "cancel_url": context.get("cancel_url", ""),
            }
            self.subscriptions[subscription_id] = subscription
            view = self._public_subscription(subscription)
            view["links"] = [
                {
                    "rel": "approve",
                    "href": f"{self.url}/webapps/billing/subscriptions?subscription_id={subscription_id}",
                    "method": "GET",
                },
                {
                    "rel": "self",
                    "href": f"{self.url}/v1/billing/subscriptions/{subscription_id}",
                    "method": "GET",
                },
            ]
            return 201, view
        if parts[:3] == ["v1", "billing", "subscriptions"] and len(parts) >= 4:
            subscription = self.subscriptions.get(parts[3])
            if subscription is None:
                return 404, {"name": "RESOURCE_NOT_FOUND", "details": [{"issue": "INVALID_RESOURCE_ID"}]}
            if method == "GET" and len(parts) == 4:
                return 200, self._public_subscription(subscription)
            if method == "GET" and parts[4:] == ["transactions"]:
                transactions = [
                    {
                        "id": sale["id"],
                        "status": "COMPLETED" if sale["state"] == "completed" else sale["state"].upper(),
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
            if method == "POST" and parts[4:] == ["cancel"]:
                if subscription["status"] in ("CANCELLED", "EXPIRED"):
                    return 422, {
                        "name": "UNPROCESSABLE_ENTITY",
                        "details": [{"issue": "SUBSCRIPTION_STATUS_INVALID"}],
                    }
                subscription["status"] = "CANCELLED"
                subscription["status_update_time"] = _now()
                self._event(
                    "BILLING.SUBSCRIPTION.CANCELLED", self._public_subscription(subscription), "subscription"
                )
                return 204, {}
        if method == "POST" and path == "/v1/notifications/verify-webhook-signature":
            expected = self.signature(
                transmission_id=body.get("transmission_id", ""),
                transmission_time=body.get("transmission_time", ""),
                webhook_id=body.get("webhook_id", ""),
                event=body.get("webhook_event", {}),
            )
            ok = body.get("webhook_id") == self.webhook_id and hmac.compare_digest(
                expected, body.get("transmission_sig", "")
            )
            return 200, {"verification_status": "SUCCESS" if ok else "FAILURE"}
        if method == "GET" and path == "/v1/reporting/transactions":
            start, end = query.get("start_date", [""])[0], query.get("end_date", ["9999"])[0]
            rows = [t for t in self.transactions if start <= t["transaction_initiation_date"] <= end]
            size = int(query.get("page_size", ["100"])[0])
            page = int(query.get("page", ["1"])[0])
            pages = max(1, -(-len(rows) // size))
            chunk = rows[(page - 1) * size : page * size]
            return 200, {
                "transaction_details": [{"transaction_info": t} for t in chunk],
                "page": page,
                "total_items": len(rows),
                "total_pages": pages,
            }
        return 404, {"name": "RESOURCE_NOT_FOUND", "message": f"{method} {path} is not faked"}

    def _order_view(self, order: dict) -> dict:
        view = {k: v for k, v in order.items() if k not in ("return_url", "cancel_url")}
        view["links"] = [
            {"rel": "self", "href": f"{self.url}/v2/checkout/orders/{order['id']}", "method": "GET"},
            {"rel": "payer-action", "href": f"{self.url}/checkoutnow?token={order['id']}", "method": "GET"},
        ]
        return view


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Fake PayPal: approve</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}}
.banner{{background:#fff3c4;color:#222;padding:.5rem 1rem}}button{{font-size:1.1rem;padding:.6rem 1.2rem;
background:#0b4f8a;color:#fff;border:0}}</style></head><body><main>
<p class="banner"><strong>Test mode:</strong> this is Yearbook's fake PayPal. No money moves.</p>
<h1>Approve {what}</h1><p>{amount}</p>
<form method="post" action="{action}"><input type="hidden" name="id" value="{id}">
<button type="submit">Approve</button></form><p><a href="{cancel}">Cancel and return</a></p></main></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    paypal: FakePayPal
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's signature)
        pass

    def _reply(self, status: int, body: bytes, content_type="application/json", headers=None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (an injected timeout)

    def _json(self, status: int, data: dict) -> None:
        self._reply(status, b"" if status == 204 else json.dumps(data).encode())

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):  # noqa: N802
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        fake = self.paypal
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        raw = self._body() if method == "POST" else b""
        if split.path.startswith(("/checkoutnow", "/webapps/")):
            return self._approval(method, split.path, query, raw)
        if split.path == "/v1/oauth2/token":
            return self._oauth()
        if self.headers.get("Authorization", "").removeprefix("Bearer ") not in fake.tokens:
            return self._json(401, {"name": "AUTHENTICATION_FAILURE", "message": "Invalid token."})
        with fake.lock:
            fake.calls += 1
            roll = fake.random.random()
            if fake.fail_next > 0:
                fake.fail_next, roll = fake.fail_next - 1, -1.0
            elif fake.timeout_next > 0:
                fake.timeout_next, roll = fake.timeout_next - 1, fake.fail_rate
        if roll < fake.fail_rate or roll == -1.0:
            return self._json(500, {"name": "INTERNAL_SERVER_ERROR", "message": "Injected failure."})
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._json(400, {"name": "INVALID_REQUEST", "message": "Malformed JSON."})
        request_id = self.headers.get("PayPal-Request-Id", "")
        key = (split.path, request_id)
        with fake.lock:
            if request_id and key in fake.idempotent:
                status, data = fake.idempotent[key]
            else:
                status, data = fake.handle_api(method, split.path, body, query)
                if request_id and status < 500:
                    fake.idempotent[key] = (status, data)
        if roll < fake.fail_rate + fake.timeout_rate or roll == fake.fail_rate:
            time.sleep(fake.timeout_delay)  # the work is done, the answer comes too late
        self._json(status, data)

    def _oauth(self) -> None:
        import base64

        expected = (
            "Basic " + base64.b64encode(f"{self.paypal.client_id}:{self.paypal.secret}".encode()).decode()
        )
        if self.headers.get("Authorization") != expected:
            return self._json(
                401, {"error": "invalid_client", "error_description": "Client Authentication failed"}
            )
        token = "A21AA" + secrets.token_urlsafe(24)
        with self.paypal.lock:
            self.paypal.tokens.add(token)
        self._json(
            200, {"access_token": token, "token_type": "Bearer", "expires_in": 32400, "app_id": "APP-FAKE"}
        )

    def _approval(self, method: str, path: str, query: dict, raw: bytes) -> None:
        fake = self.paypal
        form = parse_qs(raw.decode())
        if path.startswith("/checkoutnow"):
            order_id = (form.get("id") or query.get("token") or [""])[0]
            order = fake.orders.get(order_id)
            if order is None:
                return self._reply(404, b"Unknown order", "text/plain")
            if method == "POST":
                fake.order_approve(order_id)
                target = _with_query(order["return_url"], token=order_id, PayerID="FAKEPAYER")
                return self._reply(303, b"", "text/plain", {"Location": target})
            amount = order["purchase_units"][0]["amount"]
            page = PAGE.format(
                what="your donation",
                amount=html.escape(f"{amount['value']} {amount['currency_code']}"),
                action="/checkoutnow",
                id=html.escape(order_id),
                cancel=html.escape(_with_query(order["cancel_url"], token=order_id)),
            )
            return self._reply(200, page.encode(), "text/html; charset=utf-8")
        subscription_id = (form.get("id") or query.get("subscription_id") or [""])[0]
        subscription = fake.subscriptions.get(subscription_id)
        if subscription is None:
            return self._reply(404, b"Unknown subscription", "text/plain")
        if method == "POST":
            fake.subscription_approve(subscription_id)
            target = _with_query(
                subscription["return_url"],
                subscription_id=subscription_id,
                ba_token="BA-FAKE",  # noqa: S106
                token="EC-FAKE",  # noqa: S106
            )
            return self._reply(303, b"", "text/plain", {"Location": target})
        price = fake.plans[subscription["plan_id"]]["billing_cycles"][0]["pricing_scheme"]["fixed_price"]
        page = PAGE.format(
            what="your monthly donation",
            amount=html.escape(f"{price['value']} {price['currency_code']} every month"),
            action="/webapps/billing/subscriptions",
            id=html.escape(subscription_id),
            cancel=html.escape(_with_query(subscription["cancel_url"], subscription_id=subscription_id)),
        )
        self._reply(200, page.encode(), "text/html; charset=utf-8")
