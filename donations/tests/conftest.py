"""The fake PayPal on a loopback port, pointed at by the settings, and helpers that play the donor at PayPal."""

from urllib.parse import urlsplit

import httpx
import pytest

from donations.testing import FakePayPal


@pytest.fixture
def fake_paypal(settings):
    fake = FakePayPal(seed=1234)
    settings.PAYPAL_MODE = "fake"
    settings.PAYPAL_BASE_URL = settings.PAYPAL_CHECKOUT_ORIGIN = fake.serve()
    settings.PAYPAL_CLIENT_ID, settings.PAYPAL_CLIENT_SECRET = fake.client_id, fake.secret
    settings.PAYPAL_WEBHOOK_ID = fake.webhook_id
    settings.PAYPAL_TIMEOUT = 2.0
    settings.PAYPAL_ATTEMPTS = 5
    yield fake
    fake.stop()


def approve_at_paypal(approve_url: str, funding: str = "balance", **payer: str) -> str:
    """Click "Approve" on the fake's page (as the donor's browser would), paying with ``funding`` (a key of
    donations.testing.OUTCOMES) from the PayPal account ``payer`` names (email, given_name, surname,
    country_code); returns the path+query PayPal sends the donor back to."""
    split = urlsplit(approve_url)
    query = dict(part.split("=", 1) for part in split.query.split("&"))
    resource_id = query.get("token") or query.get("subscription_id")
    response = httpx.post(
        f"{split.scheme}://{split.netloc}{split.path}",
        data={"id": resource_id, "funding": funding, **payer},
    )
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"


def form_data(**overrides) -> dict:
    data = {
        "frequency": "one_off",
        "preset": "25",
        "custom_amount": "",
        "currency": "EUR",
        "dedication": "none",
        "honoree_name": "",
        "dedication_message": "",
        "ecard_email": "",
        "name": "Ama Mensah",
        "email": "ama@example.org",
        "country": "GH",
        "form_token": "token-1",
        "website": "",
    }
    data.update(overrides)
    return data
