from __future__ import annotations

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from stripe_async import PCIComplianceError, StripeClient
from stripe_async._pci import ensure_no_raw_card_data, find_raw_card_data
from stripe_async._redact import luhn_valid

TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"


def test_card_fields_and_numbers_found_anywhere() -> None:
    assert find_raw_card_data({"card": {"number": "4242424242424242"}}) == "card[number]"
    assert find_raw_card_data({"card": {"cvc": "123"}}) == "card[cvc]"
    assert (
        find_raw_card_data({"payment_method_data": {"card": {"number": "4000000000000002"}}})
        == "payment_method_data[card][number]"
    )
    assert find_raw_card_data({"metadata": {"note": "4242 4242 4242 4242"}}) == "metadata[note]"
    assert find_raw_card_data({"items": [{"x": 4242424242424242}]}) == "items[0][x]"
    # A card hash under another name, even with a number that fails Luhn.
    source = {"object": "card", "number": "4242424242424241", "cvc": "123"}
    assert find_raw_card_data({"source": source}) == "source[number]"
    assert find_raw_card_data({"pm": {"exp_month": 1, "exp_year": 30, "cvc": "1"}}) == "pm[cvc]"


def test_ordinary_params_pass() -> None:
    params = {
        "amount": 1000,
        "currency": "usd",
        "payment_method": "pm_card_visa",
        "card": {"token": "tok_visa"},
        "phone": {"number": "+14155550123"},
        "metadata": {"order": "4242424242424241", "ts": "1700000000"},
        "confirm": True,
    }
    assert find_raw_card_data(params) is None
    ensure_no_raw_card_data(params)


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_any_luhn_valid_number_is_refused(digits: str) -> None:
    number = next(digits + c for c in "0123456789" if luhn_valid(digits + c))
    with pytest.raises(PCIComplianceError) as info:
        ensure_no_raw_card_data({"description": number})
    assert number not in str(info.value)


async def test_client_refuses_raw_card_data_without_touching_the_network(
    api: respx.MockRouter,
) -> None:
    route = api.post("/v1/payment_methods").respond(json={"id": "pm_1", "object": "payment_method"})
    async with StripeClient(TEST_KEY, rate_limit=None) as stripe:
        with pytest.raises(PCIComplianceError) as info:
            await stripe._requester.request(
                "POST",
                "/v1/payment_methods",
                {"type": "card", "card": {"number": "4242424242424242", "cvc": "314"}},
            )
    assert not route.called
    assert "4242424242424242" not in str(info.value)
    assert "allow_raw_card_data=True" in str(info.value)


async def test_allow_raw_card_data_lets_it_through(api: respx.MockRouter) -> None:
    route = api.post("/v1/payment_methods").respond(json={"id": "pm_1", "object": "payment_method"})
    async with StripeClient(TEST_KEY, rate_limit=None, allow_raw_card_data=True) as stripe:
        await stripe._requester.request(
            "POST", "/v1/payment_methods", {"type": "card", "card": {"number": "4242424242424242"}}
        )
    request: httpx.Request = route.calls.last.request
    assert b"card[number]=4242424242424242" in request.content
