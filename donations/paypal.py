"""A small PayPal REST client: OAuth2 token, Orders v2, Subscriptions, webhook verification, transaction search.

Every POST carries a PayPal-Request-Id chosen by the caller (stored on the intent), and a retry after a timeout
or a 5xx repeats the same id, so PayPal answers with the original result instead of charging twice. A logical
call, retries and waits included, ends within PAYPAL_DEADLINE seconds, so a web worker is never killed mid-call.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings

from donations.currencies import paypal_value


class PayPalError(Exception):
    """PayPal refused or could not be reached; ``name`` is PayPal's error name when it gave one."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        name: str = "",
        retryable: bool = False,
        debug_id: str = "",
        links: list | None = None,
    ):
        super().__init__(f"{message} (PayPal debug_id {debug_id})" if debug_id else message)
        self.status = status
        self.name = name
        self.retryable = retryable
        self.debug_id = debug_id  # what PayPal's support asks for
        self.links = links or []

    def link(self, rel: str) -> str:
        return next((link.get("href", "") for link in self.links if link.get("rel") == rel), "")


@dataclass(frozen=True)
class Capture:
    capture_id: str
    status: str  # COMPLETED, PENDING, DECLINED, FAILED, PARTIALLY_REFUNDED, REFUNDED
    amount: Decimal
    currency: str
    custom_id: str
    reason: str = ""  # status_details.reason: ECHECK, PENDING_REVIEW, ...


_token_lock = threading.Lock()
_tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (base URL, client id) → (token, expiry)


# The transaction search lists at most 31 days per call (reporting_transactions_v1, end_date).
SEARCH_WINDOW = timedelta(days=31)


def money(value: dict) -> tuple[Decimal, str]:
    """PayPal's {currency_code, value} (v2) or {currency, total} (v1 sales) as (Decimal, currency)."""
    if "value" in value:
        return Decimal(value["value"]), value["currency_code"]
    return Decimal(value["total"]), value["currency"]


def search_windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Consecutive ranges of at most 31 days covering start..end, for the transaction search."""
    windows = []
    while start < end:
        stop = min(start + SEARCH_WINDOW - timedelta(seconds=1), end)
        windows.append((start, stop))
        start = stop + timedelta(seconds=1)
    return windows


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return 0.0


class PayPalClient:
    def __init__(
        self, *, base_url: str | None = None, timeout: float | None = None, attempts: int | None = None
    ):
        self.base_url = (base_url or settings.PAYPAL_BASE_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.PAYPAL_TIMEOUT
        self.attempts = max(1, attempts if attempts is not None else settings.PAYPAL_ATTEMPTS)
        self.deadline = settings.PAYPAL_DEADLINE
        self.client_id = settings.PAYPAL_CLIENT_ID
        self.secret = settings.PAYPAL_CLIENT_SECRET

    # -- transport ------------------------------------------------------------------------------------------

    def _token(self, *, refresh: bool = False) -> str:
        key = (self.base_url, self.client_id)
        with _token_lock:
            cached = _tokens.get(key)
            if cached and not refresh and cached[1] > time.monotonic():
                return cached[0]
        data = self._send(
            "POST",
            "/v1/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self.secret),
        )
        token = data["access_token"]
        with _token_lock:
            # Renew a minute early so a request never goes out with a token about to expire.
            _tokens[key] = (token, time.monotonic() + max(int(data.get("expires_in", 300)) - 60, 30))
        return token

    def _send(self, method: str, path: str, *, request_id: str = "", **kwargs) -> Any:
        """One logical call with bounded retries; the same PayPal-Request-Id on every attempt.

        Retries stop at PAYPAL_DEADLINE: each attempt's timeout and each wait (PayPal's Retry-After on a 429,
        else a short backoff) is cut to the time left, and a wait that does not fit ends the call.
        """
        headers = kwargs.pop("headers", {})
        if request_id:
            headers["PayPal-Request-Id"] = request_id
        give_up_at = time.monotonic() + self.deadline
        last: PayPalError | None = None
        wait = 0.0
        for attempt in range(self.attempts):
            if attempt:
                wait = wait or min(0.05 * 2**attempt, 1.0)
                if time.monotonic() + wait >= give_up_at:
                    break
                time.sleep(wait)
            left = give_up_at - time.monotonic()
            if left <= 0.05:
                break
            wait = 0.0
            try:
                response = httpx.request(
                    method,
                    self.base_url + path,
                    headers=headers,
                    timeout=min(self.timeout, left),
                    **kwargs,
                )
            except httpx.HTTPError as exc:  # timeouts and refused connections: try again
                last = PayPalError(f"PayPal did not answer ({exc.__class__.__name__}).", retryable=True)
                continue
            debug_id = response.headers.get("Paypal-Debug-Id", "")
            if response.status_code >= 500 or response.status_code == 429:
                wait = _retry_after(response) if response.status_code == 429 else 0.0
                last = PayPalError(
                    f"PayPal answered {response.status_code}.",
                    status=response.status_code,
                    retryable=True,
                    debug_id=debug_id,
                )
                continue
            if response.status_code >= 400:
                raise self._refusal(response, debug_id)
            return response.json() if response.content else {}
        raise last or PayPalError("PayPal could not be reached in time.", retryable=True)

    @staticmethod
    def _refusal(response: httpx.Response, debug_id: str) -> PayPalError:
        """PayPal's error body as a PayPalError: its issue (INSTRUMENT_DECLINED...), debug_id and links."""
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        name = body.get("name") or body.get("error") or ""
        details = body.get("details") or [{}]
        first = details[0] if isinstance(details, list) and details and isinstance(details[0], dict) else {}
        issue = first.get("issue", "")
        return PayPalError(
            f"PayPal refused the request: {name or response.status_code} {issue}".strip(),
            status=response.status_code,
            name=issue or name,
            debug_id=body.get("debug_id") or debug_id,
            links=body.get("links") if isinstance(body.get("links"), list) else [],
        )

    def _api(
        self, method: str, path: str, *, request_id: str = "", json: Any = None, params=None, prefer: str = ""
    ) -> Any:
        headers = {"Authorization": f"Bearer {self._token()}", "Content-Type": "application/json"}
        if prefer:
            headers["Prefer"] = prefer
        try:
            return self._send(method, path, request_id=request_id, json=json, params=params, headers=headers)
        except PayPalError as exc:
            if exc.status != 401:
                raise
        headers["Authorization"] = f"Bearer {self._token(refresh=True)}"  # expired token: renew once
        return self._send(method, path, request_id=request_id, json=json, params=params, headers=headers)

    # -- Orders v2 (one-off gifts) --------------------------------------------------------------------------

    def order_create(
        self,
        *,
        request_id: str,
        amount: Decimal,
        currency: str,
        custom_id: str,
        description: str,
        return_url: str,
        cancel_url: str,
    ) -> dict:
        body = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": custom_id,
                    "custom_id": custom_id,
                    "description": description[:127],
                    "amount": {"currency_code": currency, "value": paypal_value(amount, currency)},
                }
            ],
            "payment_source": {
                "paypal": {
                    "experience_context": {
                        "return_url": return_url,
                        "cancel_url": cancel_url,
                        "user_action": "PAY_NOW",
                        "shipping_preference": "NO_SHIPPING",
                    }
                }
            },
        }
        return self._api("POST", "/v2/checkout/orders", request_id=request_id, json=body)

    def order_get(self, order_id: str) -> dict:
        return self._api("GET", f"/v2/checkout/orders/{order_id}")

    def order_capture(self, *, order_id: str, request_id: str) -> dict:
        """Capture an approved order; the full representation, so the captures and their statuses come back."""
        return self._api(
            "POST",
            f"/v2/checkout/orders/{order_id}/capture",
            request_id=request_id,
            json={},
            prefer="return=representation",
        )

    def capture_get(self, capture_id: str) -> dict:
        return self._api("GET", f"/v2/payments/captures/{capture_id}")

    @staticmethod
    def approve_url(resource: dict) -> str:
        for link in resource.get("links", []):
            if link.get("rel") in ("approve", "payer-action"):
                return link["href"]
        raise PayPalError("PayPal gave no approval link.")

    @staticmethod
    def captures(order: dict) -> list[Capture]:
        result = []
        for unit in order.get("purchase_units", []):
            for capture in unit.get("payments", {}).get("captures", []):
                amount, currency = money(capture["amount"])
                result.append(
                    Capture(
                        capture["id"],
                        capture["status"],
                        amount,
                        currency,
                        capture.get("custom_id", ""),
                        (capture.get("status_details") or {}).get("reason", ""),
                    )
                )
        return result

    # -- Subscriptions (monthly gifts) ----------------------------------------------------------------------

    def product_create(self, *, request_id: str, name: str) -> dict:
        body = {"name": name, "type": "SERVICE", "category": "CHARITY"}
        return self._api("POST", "/v1/catalogs/products", request_id=request_id, json=body)

    def plan_create(self, *, request_id: str, product_id: str, amount: Decimal, currency: str) -> dict:
        body = {
            "product_id": product_id,
            "name": f"Monthly gift {paypal_value(amount, currency)} {currency}",
            "status": "ACTIVE",
            "billing_cycles": [
                {
                    "frequency": {"interval_unit": "MONTH", "interval_count": 1},
                    "tenure_type": "REGULAR",
                    "sequence": 1,
                    "total_cycles": 0,
                    "pricing_scheme": {
                        "fixed_price": {"value": paypal_value(amount, currency), "currency_code": currency}
                    },
                }
            ],
            "payment_preferences": {"auto_bill_outstanding": True, "payment_failure_threshold": 3},
        }
        return self._api("POST", "/v1/billing/plans", request_id=request_id, json=body)

    def subscription_create(
        self, *, request_id: str, plan_id: str, custom_id: str, return_url: str, cancel_url: str
    ) -> dict:
        body = {
            "plan_id": plan_id,
            "custom_id": custom_id,
            "application_context": {
                "return_url": return_url,
                "cancel_url": cancel_url,
                "user_action": "SUBSCRIBE_NOW",
                "shipping_preference": "NO_SHIPPING",
            },
        }
        return self._api("POST", "/v1/billing/subscriptions", request_id=request_id, json=body)

    def subscription_get(self, subscription_id: str) -> dict:
        return self._api("GET", f"/v1/billing/subscriptions/{subscription_id}")

    def subscription_transactions(self, subscription_id: str, *, start: str, end: str) -> list[dict]:
        data = self._api(
            "GET",
            f"/v1/billing/subscriptions/{subscription_id}/transactions",
            params={"start_time": start, "end_time": end},
        )
        return data.get("transactions", [])

    def subscription_cancel(self, *, subscription_id: str, request_id: str, reason: str) -> None:
        self._api(
            "POST",
            f"/v1/billing/subscriptions/{subscription_id}/cancel",
            request_id=request_id,
            json={"reason": reason[:127]},
        )

    # -- Webhooks and reporting -----------------------------------------------------------------------------

    def webhook_verify(self, *, headers: dict[str, str], event: dict) -> bool:
        """Ask PayPal whether this notification really came from it, for our webhook ID."""
        lower = {k.lower(): v for k, v in headers.items()}
        fields = ["auth-algo", "cert-url", "transmission-id", "transmission-sig", "transmission-time"]
        if not all(lower.get(f"paypal-{f}") for f in fields):
            return False
        body = {f.replace("-", "_"): lower[f"paypal-{f}"] for f in fields}
        body.update({"webhook_id": settings.PAYPAL_WEBHOOK_ID, "webhook_event": event})
        data = self._api("POST", "/v1/notifications/verify-webhook-signature", json=body)
        return data.get("verification_status") == "SUCCESS"

    def transactions_search(self, *, start: datetime, end: datetime) -> list[dict]:
        """Every transaction between two times, all pages, asked in windows of at most 31 days."""
        result = []
        for window_start, window_end in search_windows(start, end):
            page = 1
            while True:
                data = self._api(
                    "GET",
                    "/v1/reporting/transactions",
                    params={
                        "start_date": _rfc3339(window_start),
                        "end_date": _rfc3339(window_end),
                        "fields": "all",
                        "page_size": 500,
                        "page": page,
                    },
                )
                # Each row is the transaction_info, with the detail's payer_info beside it (the donor's
                # email, name and country, which a gift lost in a restore is rebuilt from).
                result.extend(
                    {**d["transaction_info"], "payer_info": d.get("payer_info") or {}}
                    for d in data.get("transaction_details", [])
                )
                if page >= int(data.get("total_pages", 1) or 1):
                    break
                page += 1
        return result
