from __future__ import annotations

import datetime
import decimal
import enum
import hashlib
import io
import random
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from stripe_async import PCIComplianceError, StripeClient, _pci
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


# --- The guard sees what is encoded: every key, value, path segment and header ---

CARD = "4242424242424242"
OK_BODY = b'{"id": "pi_1", "object": "payment_intent"}'


class _Wire:
    """A transport that records every request that would have reached Stripe."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if request.method == "GET" and request.url.path == "/v1/customers":
            return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})
        return httpx.Response(200, content=OK_BODY)


class _Kind(enum.IntEnum):
    CARD = int(CARD)


class _Plain(enum.Enum):
    CARD = int(CARD)


class _WithId:
    id = CARD


def _assert_redacted(error: PCIComplianceError) -> None:
    for shown in (str(error), repr(error), str(error.param), repr(error.args)):
        assert CARD not in shown
        assert "4242 4242" not in shown


async def _refused(call: Callable[[StripeClient], Awaitable[object]]) -> PCIComplianceError:
    wire = _Wire()
    async with StripeClient(
        TEST_KEY, rate_limit=None, max_retries=0, transport=httpx.MockTransport(wire)
    ) as stripe:
        with pytest.raises(PCIComplianceError) as info:
            await call(stripe)
    assert wire.sent == []
    _assert_redacted(info.value)
    return info.value


async def _sent(
    call: Callable[[StripeClient], Awaitable[object]], **options: Any
) -> list[httpx.Request]:
    wire = _Wire()
    async with StripeClient(
        TEST_KEY, rate_limit=None, max_retries=0, transport=httpx.MockTransport(wire), **options
    ) as stripe:
        await call(stripe)
    return wire.sent


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(decimal.Decimal(CARD), id="Decimal"),
        pytest.param(float(CARD), id="float"),
        pytest.param(CARD.encode(), id="bytes"),
        pytest.param(_Kind.CARD, id="IntEnum"),
        pytest.param(_Plain.CARD, id="Enum"),
        pytest.param(_WithId(), id="object-with-id"),
    ],
)
async def test_a_card_number_in_any_type_is_refused(value: Any) -> None:
    error = await _refused(
        lambda s: s.payment_intents.create(amount=100, currency="usd", metadata={"note": value})
    )
    assert error.param == "metadata[note]"
    # Not only in metadata: any parameter, at any depth, on GET requests too.
    await _refused(lambda s: s.customers.create(description=value))
    await _refused(lambda s: s.customers.list(email=value))


async def test_a_card_number_as_a_metadata_key_is_refused() -> None:
    error = await _refused(
        lambda s: s.payment_intents.create(amount=100, currency="usd", metadata={CARD: "x"})
    )
    assert error.param == "metadata[[REDACTED]]"


async def test_a_card_number_as_a_path_id_is_refused() -> None:
    await _refused(lambda s: s.customers.retrieve(CARD))
    await _refused(lambda s: s.customers.update("4242 4242 4242 4242", description="x"))
    await _refused(lambda s: s.request("get", f"/v1/customers/{CARD}"))
    await _refused(lambda s: s.request("get", "/v1/customers?email=4242+4242+4242+4242"))


async def test_a_card_number_in_the_idempotency_key_is_refused() -> None:
    await _refused(
        lambda s: s.payment_intents.create(
            amount=100, currency="usd", idempotency_key=f"order-{CARD}"
        )
    )


async def test_a_card_number_in_a_header_is_refused() -> None:
    await _refused(lambda s: s.customers.retrieve("cus_1", stripe_account=CARD))
    await _refused(lambda s: s.with_options(stripe_account=CARD).customers.retrieve("cus_1"))
    await _refused(lambda s: s.customers.retrieve("cus_1", stripe_version=f"2024-06-20; x={CARD}"))


async def test_the_opt_out_still_sends_everything() -> None:
    sent = await _sent(
        lambda s: s.payment_intents.create(
            amount=100,
            currency="usd",
            metadata={CARD: cast(str, decimal.Decimal(CARD))},
            idempotency_key=f"order-{CARD}",
        ),
        allow_raw_card_data=True,
    )
    assert f"metadata[{CARD}]={CARD}".encode() in httpx.URL("?" + sent[0].content.decode()).query
    assert sent[0].headers["Idempotency-Key"] == f"order-{CARD}"
    sent = await _sent(lambda s: s.customers.retrieve(CARD), allow_raw_card_data=True)
    assert sent[0].url.path == f"/v1/customers/{CARD}"


async def test_ordinary_calls_are_not_refused() -> None:
    rng = random.Random(17)
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(300)]

    metadata: Any = {
        "order": "4242424242424241",  # 16 digits, fails Luhn
        "big": 12345678901234567890123,  # too long to be a card number
        "created": "1700000000",
        "when": datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc),
        "price": decimal.Decimal("4242.4242424242"),
        "phone": "+1 415 555 0123",
        "iban": "DE89 3704 0044 0532 0130 00",
    }

    async def calls(s: StripeClient) -> None:
        await s.payment_intents.create(
            amount=123456789,
            currency="usd",
            customer="cus_NffrFeUfNV2Hib",
            metadata=metadata,
            idempotency_key=uuids[0],
        )
        await s.customers.retrieve("cus_1700000000123456", stripe_account="acct_1032D82eZvKYlo2C")
        await s.customers.list(created={"gte": 1700000000}, limit=100)
        for value in uuids:
            await s.customers.update("cus_1", metadata={"ref": value}, idempotency_key=value)

    assert len(await _sent(calls)) == 3 + len(uuids)


def test_no_false_positive_on_uuids_and_hex_digests() -> None:
    # A pre-filter that only looks for digit runs would refuse about one UUID in 440
    # and one SHA-256 hex digest in 250: the digits are glued to letters or hyphens.
    rng = random.Random(1)
    for _ in range(20_000):
        value = uuid.UUID(int=rng.getrandbits(128), version=4)
        assert find_raw_card_data({"a": str(value), "b": value.hex}) is None
        digest = hashlib.sha256(value.bytes).hexdigest()
        assert find_raw_card_data({"c": digest}) is None


async def test_uploads_check_fields_and_file_names_not_file_contents() -> None:
    upload = io.BytesIO(f"receipt for card {CARD}".encode())
    sent = await _sent(lambda s: s.files.create(purpose="dispute_evidence", file=upload))
    assert CARD.encode() in sent[0].content  # read once, sent as it is
    error = await _refused(
        lambda s: s.files.create(
            purpose="dispute_evidence",
            file=(f"{CARD}.png", b"\x89PNG"),
        )
    )
    assert error.param == "file"
    await _refused(
        lambda s: s.files.create(
            purpose="dispute_evidence",
            file=b"\x89PNG",
            file_link_data={"create": True, "metadata": {"n": cast(str, decimal.Decimal(CARD))}},
        )
    )


async def test_card_fields_are_refused_after_encoding_too() -> None:
    error = await _refused(
        lambda s: s.payment_methods.create(
            type="card",
            card={"number": cast(str, decimal.Decimal("4242424242424241")), "cvc": cast(str, 314)},
        )
    )
    assert error.param == "card[number]"
    error = await _refused(
        lambda s: s.request("post", "/v1/tokens", params={"cvc": 123, "exp_month": 1})
    )
    assert error.param == "cvc"


@pytest.mark.parametrize(
    "text",
    [
        "4242 4242 4242 4242 1230",  # with the expiry after it
        "card: 4242-4242-4242-4242.",
        "(4242424242424242)",
        "4242424242424242\n",
        "Visa 4242424242424242 exp 12/30",
    ],
)
def test_a_card_number_in_text_is_found(text: str) -> None:
    assert find_raw_card_data({"description": text}) == "description"


@pytest.mark.parametrize(
    "text",
    [
        "pi_3MtwBwLkdIwHu7ix28a3tqPa",
        "cus_1700000000123456",  # digits glued to an id's prefix
        "ref4242424242424242",
        "42424242424242420",  # 17 digits, fails Luhn
        "12345678901234567890",  # 20 digits
        "2026-10-28.endive",
        "1700000000-1700000001",
    ],
)
def test_ids_and_long_numbers_are_not_card_numbers(text: str) -> None:
    assert find_raw_card_data({"description": text}) is None


@given(st.text(alphabet="0123456789 -+_aZé%\x00", max_size=60))
def test_the_pre_filter_never_hides_a_card_number(text: str) -> None:
    if _pci._CARD_NUMBER.search(text):
        assert _pci._may_hold_card_number(text)
