"""PaymentIntents end to end through StripeClient: lifecycle, declines, 3D Secure."""

from __future__ import annotations

from typing import Any

import pytest

from stripe_async import CardError, InvalidRequestError, StripeClient
from stripe_async.testing import StripeEmulator


async def test_lifecycle_to_succeeded_with_a_charge(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = await stripe_client.customers.create(email="jenny@example.com")
    pi = await stripe_client.payment_intents.create(
        amount=1099,
        currency="usd",
        customer=customer.id,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    assert pi.status == "requires_payment_method"
    assert pi.client_secret and pi.client_secret.startswith(f"{pi.id}_secret_")
    pi = await stripe_client.payment_intents.update(pi.id, payment_method="pm_card_visa")
    assert pi.status == "requires_confirmation"
    pi = await stripe_client.payment_intents.confirm(pi.id)
    assert pi.status == "succeeded"
    data = pi.to_dict()
    assert data["amount_received"] == 1099
    charge = stripe_emulator.get(data["latest_charge"])
    assert charge is not None
    assert charge["status"] == "succeeded" and charge["captured"] and charge["paid"]
    assert charge["payment_intent"] == pi.id and charge["customer"] == customer.id
    assert charge["payment_method_details"]["card"]["last4"] == "4242"
    types = [e["type"] for e in stripe_emulator.events()]
    assert types == [
        "customer.created",
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]


async def test_create_and_confirm_in_one_call_and_expand(
    stripe_client: StripeClient, raw: Any
) -> None:
    customer = await stripe_client.customers.create(name="Jenny")
    pi = await stripe_client.payment_intents.create(
        amount=2000,
        currency="usd",
        customer=customer.id,
        payment_method="pm_card_mastercard",
        confirm=True,
        expand=["latest_charge"],
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    data = pi.to_dict()
    assert pi.status == "succeeded"
    assert data["latest_charge"]["object"] == "charge"
    assert data["latest_charge"]["payment_method_details"]["card"]["brand"] == "mastercard"
    expanded = await raw.ok(
        "GET", f"/v1/payment_intents/{pi.id}", {"expand[]": ["customer", "latest_charge.customer"]}
    )
    assert expanded["customer"]["id"] == customer.id
    assert expanded["latest_charge"]["customer"]["email"] is None


async def test_amex_card_and_currency_normalised(stripe_client: StripeClient) -> None:
    pi = await stripe_client.create_payment_intent(
        5000,
        "EUR",
        payment_method="pm_card_amex",
        confirm=True,
        return_url="https://example.com/return",
        expand=["latest_charge"],
    )
    assert pi.currency == "eur"
    assert pi.to_dict()["latest_charge"]["payment_method_details"]["card"]["last4"] == "8431"


async def test_manual_capture_partial(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=3000,
        currency="usd",
        capture_method="manual",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    assert pi.status == "requires_capture"
    assert pi.to_dict()["amount_capturable"] == 3000
    charge_id = pi.to_dict()["latest_charge"]
    charge = stripe_emulator.get(charge_id)
    assert charge is not None and charge["captured"] is False and charge["amount_captured"] == 0
    pi = await stripe_client.payment_intents.capture(pi.id, amount_to_capture=2000)
    assert pi.status == "succeeded"
    assert pi.to_dict()["amount_received"] == 2000
    charge = stripe_emulator.get(charge_id)
    assert charge is not None
    assert charge["captured"] and charge["amount_captured"] == 2000
    assert charge["amount_refunded"] == 1000  # the uncaptured rest is released
    types = [e["type"] for e in stripe_emulator.events()]
    assert "payment_intent.amount_capturable_updated" in types and "charge.captured" in types


async def test_capture_more_than_capturable_is_rejected(stripe_client: StripeClient) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=3000,
        currency="usd",
        capture_method="manual",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.capture(pi.id, amount_to_capture=3001)
    assert info.value.code == "amount_too_large"
    assert info.value.param == "amount_to_capture"


async def test_cancel_and_unexpected_state(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    pi = await stripe_client.payment_intents.cancel(pi.id, cancellation_reason="abandoned")
    assert pi.status == "canceled"
    assert pi.to_dict()["cancellation_reason"] == "abandoned"
    assert pi.to_dict()["canceled_at"] is not None
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert info.value.code == "payment_intent_unexpected_state"
    assert stripe_emulator.events("payment_intent.canceled")


async def test_cancel_an_authorization_releases_the_charge(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1500,
        currency="usd",
        capture_method="manual",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    pi = await stripe_client.payment_intents.cancel(pi.id)
    charge = stripe_emulator.get(pi.to_dict()["latest_charge"])
    assert charge is not None and charge["refunded"] and charge["amount_refunded"] == 1500


async def test_confirm_without_payment_method(stripe_client: StripeClient) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.confirm(pi.id)
    assert info.value.code == "payment_intent_unexpected_state"
    assert "missing a payment method" in info.value.message


async def test_amount_below_minimum(stripe_client: StripeClient) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.create(
            amount=10,
            currency="usd",
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
    assert info.value.code == "amount_too_small"
    assert info.value.param == "amount"
    assert "$0.50" in info.value.message


DECLINES = [
    ("pm_card_chargeDeclined", "card_declined", "generic_decline", "Your card was declined."),
    (
        "pm_card_chargeDeclinedInsufficientFunds",
        "card_declined",
        "insufficient_funds",
        "Your card has insufficient funds.",
    ),
    ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card", "Your card has expired."),
    (
        "pm_card_chargeDeclinedIncorrectCvc",
        "incorrect_cvc",
        "incorrect_cvc",
        "Your card's security code is incorrect.",
    ),
]


@pytest.mark.parametrize(("pm", "code", "decline_code", "message"), DECLINES)
async def test_declines_are_card_errors_with_the_intent_attached(
    stripe_client: StripeClient,
    stripe_emulator: StripeEmulator,
    pm: str,
    code: str,
    decline_code: str,
    message: str,
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    with pytest.raises(CardError) as info:
        await stripe_client.payment_intents.confirm(pi.id, payment_method=pm)
    error = info.value
    assert error.http_status == 402
    assert (error.code, error.decline_code, error.message) == (code, decline_code, message)
    assert error.type == "card_error"
    assert error.doc_url and error.doc_url.startswith("https://stripe.com/docs/error-codes/")
    assert error.request_id and error.request_id.startswith("req_")
    body = error.error
    assert body is not None
    assert body["payment_intent"]["id"] == pi.id
    assert body["payment_intent"]["status"] == "requires_payment_method"
    assert body["charge"].startswith("ch_")
    after = await stripe_client.payment_intents.retrieve(pi.id)
    data = after.to_dict()
    assert after.status == "requires_payment_method"
    assert data["payment_method"] is None
    assert data["last_payment_error"]["decline_code"] == decline_code
    assert data["last_payment_error"]["payment_method"]["card"]["last4"]
    charge = stripe_emulator.get(body["charge"])
    assert charge is not None and charge["status"] == "failed" and charge["failure_code"] == code
    types = [e["type"] for e in stripe_emulator.events()]
    assert types[-2:] == ["charge.failed", "payment_intent.payment_failed"]
    # A decline is not final: another card can still pay.
    pi = await stripe_client.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    assert pi.status == "succeeded"


async def test_authentication_required_then_completed(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method="pm_card_authenticationRequired",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    data = pi.to_dict()
    assert pi.status == "requires_action"
    assert data["next_action"]["type"] == "use_stripe_sdk"
    assert stripe_emulator.events("payment_intent.requires_action")
    done = await stripe_emulator.complete_3ds(pi.id)
    assert done["status"] == "succeeded"
    charge = stripe_emulator.get(done["latest_charge"])
    assert charge is not None
    assert charge["payment_method_details"]["card"]["three_d_secure"]["result"] == "authenticated"


async def test_authentication_redirect_and_failure(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method="pm_card_authenticationRequired",
        confirm=True,
        return_url="https://shop.example/return",
    )
    next_action = pi.to_dict()["next_action"]
    assert next_action["type"] == "redirect_to_url"
    assert next_action["redirect_to_url"]["return_url"] == "https://shop.example/return"
    failed = await stripe_emulator.complete_3ds(pi.id, succeed=False)
    assert failed["status"] == "requires_payment_method"
    assert failed["last_payment_error"]["code"] == "payment_intent_authentication_failure"
    with pytest.raises(ValueError, match="requires_action"):
        await stripe_emulator.complete_3ds(pi.id)


async def test_off_session_authentication_is_a_card_error(stripe_client: StripeClient) -> None:
    with pytest.raises(CardError) as info:
        await stripe_client.payment_intents.create(
            amount=1000,
            currency="usd",
            payment_method="pm_card_authenticationRequired",
            confirm=True,
            error_on_requires_action=True,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
    assert info.value.code == "authentication_required"


async def test_one_off_payment_method_cannot_be_reused(stripe_client: StripeClient) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    used = pi.to_dict()["payment_method"]
    with pytest.raises(InvalidRequestError, match="may not be used again"):
        await stripe_client.payment_intents.create(
            amount=1000,
            currency="usd",
            payment_method=used,
            confirm=True,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )


async def test_setup_future_usage_saves_the_card(
    stripe_client: StripeClient, stripe_emulator: StripeEmulator
) -> None:
    customer = await stripe_client.customers.create(email="saver@example.com")
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        customer=customer.id,
        payment_method="pm_card_visa",
        setup_future_usage="off_session",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    pm = stripe_emulator.get(pi.to_dict()["payment_method"])
    assert pm is not None and pm["customer"] == customer.id
    again = await stripe_client.payment_intents.create(
        amount=500,
        currency="usd",
        customer=customer.id,
        payment_method=pm["id"],
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    assert again.status == "succeeded"


async def test_list_and_filter_by_customer(stripe_client: StripeClient) -> None:
    customer = await stripe_client.customers.create()
    mine = [
        await stripe_client.payment_intents.create(
            amount=1000 + i,
            currency="usd",
            customer=customer.id,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
        for i in range(3)
    ]
    await stripe_client.payment_intents.create(
        amount=999,
        currency="usd",
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    page = await stripe_client.payment_intents.list(customer=customer.id)
    assert [p.id for p in page.data] == [p.id for p in reversed(mine)]
    every: list[Any] = [p async for p in stripe_client.payment_intents.list(limit=2)]
    assert len(every) == 4


async def test_increment_authorization(stripe_client: StripeClient, raw: Any) -> None:
    pi = await stripe_client.payment_intents.create(
        amount=1000,
        currency="usd",
        capture_method="manual",
        payment_method="pm_card_visa",
        confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )
    bigger = await raw.ok(
        "POST", f"/v1/payment_intents/{pi.id}/increment_authorization", {"amount": 1500}
    )
    assert bigger["amount"] == 1500 and bigger["amount_capturable"] == 1500
    done = await stripe_client.payment_intents.capture(pi.id)
    assert done.to_dict()["amount_received"] == 1500


async def test_confirm_needs_return_url_with_redirecting_automatic_methods(
    stripe_client: StripeClient,
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        await stripe_client.payment_intents.create(
            amount=1000, currency="usd", payment_method="pm_card_visa", confirm=True
        )
    assert info.value.message.startswith(
        "A `return_url` must be specified because this Payment Intent is configured"
    )
    pi = await stripe_client.payment_intents.create(amount=1000, currency="usd")
    with pytest.raises(InvalidRequestError):
        await stripe_client.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    ok = [
        await stripe_client.payment_intents.create(
            amount=1000, currency="usd", payment_method="pm_card_visa", confirm=True, **extra
        )
        for extra in (
            {"return_url": "https://example.com/done"},
            {"automatic_payment_methods": {"enabled": True, "allow_redirects": "never"}},
            {"payment_method_types": ["card"]},
        )
    ]
    assert [p.status for p in ok] == ["succeeded"] * 3
