"""The fake PayPal is as strict as PayPal's published specs, so passing against it means something."""

from decimal import Decimal

import pytest

from donations.paypal import PayPalClient, PayPalError


def order(
    client: PayPalClient, value: str = "10.00", currency: str = "EUR", custom_id: str = "abc-1"
) -> dict:
    body = {
        "intent": "CAPTURE",
        "purchase_units": [{"custom_id": custom_id, "amount": {"currency_code": currency, "value": value}}],
        "payment_source": {
            "paypal": {"experience_context": {"return_url": "http://x/r", "cancel_url": "http://x/c"}}
        },
    }
    return client._api(
        "POST", "/v2/checkout/orders", request_id=f"req-{value}-{currency}-{custom_id}", json=body
    )


def test_an_order_with_payment_source_waits_for_the_payers_action(fake_paypal):
    """checkout_orders_v2: with payment_source.paypal the order is PAYER_ACTION_REQUIRED, linked by payer-action."""
    created = order(PayPalClient())
    assert created["status"] == "PAYER_ACTION_REQUIRED"
    assert PayPalClient.approve_url(created).startswith(fake_paypal.url + "/checkoutnow")


@pytest.mark.parametrize(
    ("value", "currency", "custom_id", "issue"),
    [
        ("3000.00", "JPY", "ok", "DECIMALS_NOT_SUPPORTED"),
        ("10.001", "EUR", "ok", "DECIMAL_PRECISION"),
        ("ten", "EUR", "ok", "INVALID_PARAMETER_SYNTAX"),
        ("10.00", "EUR", "not allowed!", "INVALID_PARAMETER_SYNTAX"),
    ],
)
def test_orders_paypal_would_refuse_are_refused_with_its_issue(
    fake_paypal, value, currency, custom_id, issue
):
    with pytest.raises(PayPalError) as refused:
        order(PayPalClient(), value, currency, custom_id)
    assert refused.value.name == issue and refused.value.debug_id


def test_the_capture_answer_is_minimal_unless_the_representation_is_asked_for(fake_paypal):
    """Prefer: return=minimal is the default: id, status and links, without the captures."""
    client = PayPalClient()
    created = order(client)
    fake_paypal.order_approve(created["id"])
    minimal = client._api("POST", f"/v2/checkout/orders/{created['id']}/capture", request_id="cap-1", json={})
    assert set(minimal) == {"id", "status", "links"}
    full = client.order_get(created["id"])
    assert client.captures(full)[0].status == "COMPLETED"


def test_refunds_cannot_exceed_what_is_left_and_carry_the_running_total(fake_paypal):
    client = PayPalClient()
    created = order(client, "30.00")
    fake_paypal.order_approve(created["id"])
    captured = client.order_capture(order_id=created["id"], request_id="cap-2")
    capture_id = client.captures(captured)[0].capture_id
    status, refund = fake_paypal.capture_refund(capture_id, Decimal("10"))
    assert status == 201 and refund["seller_payable_breakdown"]["total_refunded_amount"]["value"] == "10.00"
    assert [link["rel"] for link in refund["links"]] == ["self", "up"]
    status, refused = fake_paypal.capture_refund(capture_id, Decimal("25"))
    assert status == 422 and refused["details"][0]["issue"] == "REFUND_AMOUNT_EXCEEDED"
    assert [r["transaction_event_code"] for r in fake_paypal.transactions] == ["T0006", "T1107"]
    assert fake_paypal.transactions[1]["transaction_amount"]["value"] == "-10.00"


def test_the_search_refuses_page_sizes_over_500(fake_paypal):
    with pytest.raises(PayPalError) as refused:
        PayPalClient()._api(
            "GET",
            "/v1/reporting/transactions",
            params={
                "start_date": "2026-01-01T00:00:00Z",
                "end_date": "2026-01-02T00:00:00Z",
                "page_size": 501,
            },
        )
    assert refused.value.status == 400
