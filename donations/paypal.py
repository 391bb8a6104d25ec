"""A small PayPal REST client: OAuth2 token, Orders v2, Subscriptions, webhook verification, transaction search.

Every POST carries a PayPal-Request-Id chosen by the caller (stored on the intent), and a retry after a timeout
or a 5xx repeats the same id, so PayPal answers with the original result instead of charging twice.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings


class PayPalError(Exception):
    """PayPal refused or could not be reached; ``name`` is PayPal's error name when it gave one."""

    def __init__(self, message: str, *, status: int = 0, name: str = "", retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.name = name
        self.retryable = retryable


@dataclass(frozen=True)
class Capture:
    capture_id: str
    status: str
    amount: Decimal
    currency: str
    custom_id: str


_token_lock = threading.Lock()
_tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (base URL, client id) → (token, expiry)


def money(value: dict) -> tuple[Decimal, str]:
    """PayPal's {currency_code, value} (v2) or {currency, total} (v1 sales) as (Decimal, currency)."""
    if "value" in value:
        return Decimal(value["value"]), value["currency_code"]
    return Decimal(value["total"]), value["currency"]


class PayPalClient:
    def __init__(
        self, *, base_url: str | None = None, timeout: float | None = None, attempts: int | None = None
    ):
        self.base_url = (base_url or settings.PAYPAL_BASE_URL).rstrip("/")
        self.timeout = timeout if timeout is not None else settings.PAYPAL_TIMEOUT
        self.attempts = max(1, attempts if attempts is not None else settings.PAYPAL_ATTEMPTS)
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
        """One logical call with bounded retries; the same PayPal-Request-Id on every attempt."""
        headers = kwargs.pop("headers", {})
        if request_id:
            headers["PayPal-Request-Id"] = request_id
        last: PayPalError | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(min(0.05 * 2**attempt, 1.0))
            try:
                response = httpx.request(
                    method, self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
                )
            except httpx.HTTPError as exc:  # timeouts and refused connections: try again
                last = PayPalError(f"PayPal did not answer ({exc.__class__.__name__}).", retryable=True)
                continue
            if response.status_code >= 500 or response.status_code == 429:
                last = PayPalError(
                    f"PayPal answered {response.status_code}.", status=response.status_code, retryable=True
                )
                continue
            if response.status_code >= 400:
                try:
                    body = response.json()
                except ValueError:
                    body = {}
                name = body.get("name") or body.get("error") or ""
                details = body.get("details") or [{}]
                issue = details[0].get("issue", "") if isinstance(details, list) and details else ""
                raise PayPalError(
                    f"PayPal refused the request: {name or response.status_code} {issue}".strip(),
                    status=response.status_code,
                    name=issue or name,
                )
            return response.json() if response.content else {}
        raise last or PayPalError("PayPal could not be reached.", retryable=True)

    def _api(self, method: str, path: str, *, request_id: str = "", json: Any = None, params=None) -> Any:
        headers = {"Authorization": f"Bearer {self._token()}", "Content-Type": "application/json"}
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
                    "amount": {"currency_code": currency, "value": f"{amount:.2f}"},
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
        return self._api("POST", f"/v2/checkout/orders/{order_id}/capture", request_id=request_id, json={})

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
                    Capture(capture["id"], capture["status"], amount, currency, capture.get("custom_id", ""))
                )
        return result

    # -- Subscriptions (monthly gifts) ----------------------------------------------------------------------

    def product_create(self, *, request_id: str, name: str) -> dict:
        body = {"name": name, "type": "SERVICE", "category": "CHARITY"}
        return self._api("POST", "/v1/catalogs/products", request_id=request_id, json=body)

    def plan_create(self, *, request_id: str, product_id: str, amount: Decimal, currency: str) -> dict:
        body = {
            "product_id": product_id,
            "name": f"Monthly gift {amount:.2f} {currency}",
            "status": "ACTIVE",
            "billing_cycles": [
                {
                    "frequency": {"interval_unit": "MONTH", "interval_count": 1},
                    "tenure_type": "REGULAR",
                    "sequence": 1,
                    "total_cycles": 0,
                    "pricing_scheme": {"fixed_price": {"value": f"{amount:.2f}", "currency_code": currency}},
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

    def transactions_search(self, *, start: str, end: str) -> list[dict]:
        """Every transaction between two RFC 3339 times, all pages."""
        page, result = 1, []
        while True:
            data = self._api(
                "GET",
                "/v1/reporting/transactions",
                params={
                    "start_date": start,
                    "end_date": end,
                    "fields": "all",
                    "page_size": 500,
                    "page": page,
                },
            )
            result.extend(d["transaction_info"] for d in data.get("transaction_details", []))
            if page >= int(data.get("total_pages", 1) or 1):
                return result
            page += 1
