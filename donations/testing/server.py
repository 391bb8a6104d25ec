"""The fake PayPal on HTTP: OAuth2, the REST routes (with failures, rate limits and idempotent replays), and the
pages where the donor approves a payment and chooses how to pay."""

from __future__ import annotations

import base64
import html
import json
import secrets
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from donations.testing.fake import OUTCOMES, FakePayPal, Payer, new_id
from donations.testing.routes import route

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Fake PayPal: approve</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}}
.banner{{background:#fff3c4;color:#222;padding:.5rem 1rem}}button{{font-size:1.1rem;padding:.6rem 1.2rem;
background:#0b4f8a;color:#fff;border:0}}fieldset{{margin:1rem 0}}</style></head><body><main>
<p class="banner"><strong>Test mode:</strong> this is Yearbook's fake PayPal. No money moves.</p>
<h1>Approve {what}</h1><p>{amount}</p>
<form method="post" action="{action}"><input type="hidden" name="id" value="{id}">{choices}
<button type="submit">Approve</button></form><p><a href="{cancel}">Cancel and return</a></p></main></body></html>"""

PAYER = """<fieldset><legend>PayPal account</legend>
<p><label for="email">Payer's email</label> <input id="email" name="email" type="email"
value="donor@example.org"></p>
<p><label for="given_name">Given name</label> <input id="given_name" name="given_name" value="Alex"></p>
<p><label for="surname">Surname</label> <input id="surname" name="surname" value="Payer"></p>
<p><label for="country_code">Country code</label> <input id="country_code" name="country_code" value="GB"
maxlength="2"></p></fieldset>"""
CHOICES = """<fieldset><legend>Pay with</legend>{options}</fieldset>""" + PAYER


def _payer(form: dict) -> Payer:
    """The account the approval form names; a field left out keeps the sandbox account's default."""
    given = {name: (form.get(name) or [""])[0] for name in ("email", "given_name", "surname", "country_code")}
    return Payer(**{name: value for name, value in given.items() if value})


def _with_query(url: str, **params: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def http_server(fake: FakePayPal, host: str, port: int) -> ThreadingHTTPServer:
    class Handler(_Handler):
        paypal = fake

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


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
            self.send_header("Paypal-Debug-Id", new_id(length=13).lower())
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (an injected timeout)

    def _json(self, status: int, data: dict, headers=None) -> None:
        self._reply(status, b"" if status == 204 else json.dumps(data).encode(), headers=headers)

    def do_GET(self):  # noqa: N802
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        fake = self.paypal
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else b""
        if split.path.startswith(("/checkoutnow", "/webapps/")):
            return self._approval(method, split.path, query, raw)
        if split.path == "/v1/oauth2/token":
            return self._oauth()
        if self.headers.get("Authorization", "").removeprefix("Bearer ") not in fake.tokens:
            return self._json(401, {"name": "AUTHENTICATION_FAILURE", "message": "Invalid token."})
        late = False
        with fake.lock:
            fake.calls += 1
            roll = fake.random.random()
            if fake.rate_limit_next > 0:
                fake.rate_limit_next -= 1
                return self._json(
                    429,
                    {
                        "name": "RATE_LIMIT_REACHED",
                        "message": "Too many requests. Blocked due to rate limiting.",
                    },
                    headers={"Retry-After": str(fake.retry_after)},
                )
            if fake.fail_next > 0 or roll < fake.fail_rate:
                fake.fail_next = max(0, fake.fail_next - 1)
                return self._json(500, {"name": "INTERNAL_SERVER_ERROR", "message": "Injected failure."})
            if fake.timeout_next > 0 or roll < fake.fail_rate + fake.timeout_rate:
                fake.timeout_next, late = max(0, fake.timeout_next - 1), True
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._json(400, {"name": "INVALID_REQUEST", "message": "Request is not well-formed."})
        request_id = self.headers.get("PayPal-Request-Id", "")
        key = (split.path, request_id)
        with fake.lock:
            if request_id and key in fake.idempotent:
                status, data = fake.idempotent[key]  # the same request again: the first answer again
            else:
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, data = route(fake, method, split.path, body=body, query=query, headers=headers)
                if request_id and status < 500:
                    fake.idempotent[key] = (status, data)
        if late:
            time.sleep(fake.timeout_delay)  # the work is done, the answer comes too late
        self._json(status, data)

    def _oauth(self) -> None:
        credentials = f"{self.paypal.client_id}:{self.paypal.secret}".encode()
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(credentials).decode():
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
        form = parse_qs(raw.decode())
        if path.startswith("/checkoutnow"):
            return self._order_approval(method, query, form)
        return self._subscription_approval(method, query, form)

    def _order_approval(self, method: str, query: dict, form: dict) -> None:
        fake = self.paypal
        order_id = (form.get("id") or query.get("token") or [""])[0]
        order = fake.orders.get(order_id)
        if order is None:
            return self._reply(404, b"Unknown order", "text/plain")
        if method == "POST":
            funding = (form.get("funding") or ["balance"])[0]
            if funding not in OUTCOMES:
                return self._reply(400, b"Unknown funding choice", "text/plain")
            fake.order_approve(order_id, funding=funding, payer=_payer(form))
            target = _with_query(order["_return_url"], token=order_id, PayerID="FAKEPAYER")
            return self._reply(303, b"", "text/plain", {"Location": target})
        amount = order["purchase_units"][0]["amount"]
        options = "".join(
            f'<p><input type="radio" id="funding-{key}" name="funding" value="{key}"'
            f'{" checked" if key == "balance" else ""}> <label for="funding-{key}">{html.escape(o.label)}</label></p>'
            for key, o in OUTCOMES.items()
        )
        page = PAGE.format(
            what="your donation",
            amount=html.escape(f"{amount['value']} {amount['currency_code']}"),
            action="/checkoutnow",
            id=html.escape(order_id),
            choices=CHOICES.format(options=options),
            cancel=html.escape(_with_query(order["_cancel_url"], token=order_id)),
        )
        return self._reply(200, page.encode(), "text/html; charset=utf-8")

    def _subscription_approval(self, method: str, query: dict, form: dict) -> None:
        fake = self.paypal
        subscription_id = (form.get("id") or query.get("subscription_id") or [""])[0]
        subscription = fake.subscriptions.get(subscription_id)
        if subscription is None:
            return self._reply(404, b"Unknown subscription", "text/plain")
        if method == "POST":
            fake.subscription_approve(subscription_id, payer=_payer(form))
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
            choices=PAYER,
            cancel=html.escape(_with_query(subscription["cancel_url"], subscription_id=subscription_id)),
        )
        self._reply(200, page.encode(), "text/html; charset=utf-8")
