"""The fake PayPal's webhook events: their envelope, their signature, and delivery like PayPal's.

PayPal retries a delivery that is not answered 2xx; deliveries here can also be duplicated and shuffled, as
PayPal's are under load. The signature is an HMAC that only the fake's verify endpoint checks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from datetime import UTC, datetime

import httpx

SIGNING_KEY = b"fake-paypal-signing-key"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def event(event_type: str, resource: dict, resource_type: str, *, created: str) -> dict:
    """PayPal's event envelope (notifications webhooks-event), with a copy of the resource as it is now."""
    return {
        "id": "WH-" + secrets.token_hex(10).upper(),
        "event_version": "1.0",
        "create_time": created,
        "resource_type": resource_type,
        "resource_version": "1.0" if resource_type == "sale" else "2.0",
        "event_type": event_type,
        "summary": event_type.replace(".", " ").lower(),
        "resource": json.loads(json.dumps(resource)),
    }


def signature(*, transmission_id: str, transmission_time: str, webhook_id: str, event: dict) -> str:
    digest = hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()
    message = f"{transmission_id}|{transmission_time}|{webhook_id}|{digest}".encode()
    return hmac.new(SIGNING_KEY, message, hashlib.sha256).hexdigest()


def signed_headers(fake, event: dict) -> dict[str, str]:
    transmission_id, transmission_time = secrets.token_hex(12), _now()
    return {
        "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        "PAYPAL-CERT-URL": f"{fake.url}/v1/notifications/certs/CERT-fake",
        "PAYPAL-TRANSMISSION-ID": transmission_id,
        "PAYPAL-TRANSMISSION-TIME": transmission_time,
        "PAYPAL-TRANSMISSION-SIG": signature(
            transmission_id=transmission_id,
            transmission_time=transmission_time,
            webhook_id=fake.webhook_id,
            event=event,
        ),
    }


def deliver(
    fake,
    batch: list[dict],
    url: str,
    *,
    copies: int = 1,
    shuffle: bool = False,
    workers: int = 1,
    attempts: int = 8,
) -> dict[str, int]:
    """Post each event ``copies`` times (shuffled if asked) from ``workers`` threads; retry non-2xx answers."""
    deliveries = [event for event in batch for _ in range(copies)]
    if shuffle:
        fake.random.shuffle(deliveries)
    stats = {"delivered": 0, "failed": 0}
    lock = threading.Lock()

    def post(event: dict) -> None:
        for attempt in range(attempts):
            try:
                response = httpx.post(url, json=event, headers=signed_headers(fake, event), timeout=30)
                if 200 <= response.status_code < 300:
                    with lock:
                        stats["delivered"] += 1
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05 * (attempt + 1))
        with lock:
            stats["failed"] += 1

    def worker() -> None:
        while True:
            with lock:
                if not deliveries:
                    return
                event = deliveries.pop()
            post(event)

    threads = [threading.Thread(target=worker) for _ in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats
