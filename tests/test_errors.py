from __future__ import annotations

import json

import pytest

import stripe_async
from stripe_async.errors import (
    MAX_MESSAGE_LENGTH,
    APIError,
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    StripeError,
    map_error,
)


def body(**error: object) -> bytes:
    return json.dumps({"error": error}).encode()


@pytest.mark.parametrize(
    ("status", "error_type", "expected"),
    [
        (400, "invalid_request_error", InvalidRequestError),
        (404, "invalid_request_error", NotFoundError),
        (401, "invalid_request_error", AuthenticationError),
        (403, "invalid_request_error", PermissionDeniedError),
        (402, "card_error", CardError),
        (400, "card_error", CardError),
        (400, "idempotency_error", IdempotencyError),
        (409, "idempotency_error", IdempotencyError),
        (429, "rate_limit_error", RateLimitError),
        (500, "api_error", APIError),
        (409, "invalid_request_error", APIError),
    ],
)
def test_mapping_by_status_and_type(status: int, error_type: str, expected: type) -> None:
    err = map_error(status, body(type=error_type, message="boom"), {"Request-Id": "req_1"})
    assert type(err) is expected
    assert err.http_status == status and err.request_id == "req_1" and err.type == error_type


def test_card_error_fields() -> None:
    err = map_error(
        402,
        body(
            type="card_error",
            code="card_declined",
            decline_code="insufficient_funds",
            param="payment_method",
            message="Your card has insufficient funds.",
            doc_url="https://stripe.com/docs/error-codes/card-declined",
        ),
        {"request-id": "req_9"},
        idempotency_key="key-1",
    )
    assert isinstance(err, CardError)
    assert (err.code, err.decline_code, err.param) == (
        "card_declined",
        "insufficient_funds",
        "payment_method",
    )
    assert err.doc_url and err.idempotency_key == "key-1"
    assert err.error is not None and err.error["code"] == "card_declined"
    assert "req_9" in str(err) and "insufficient funds" in str(err)


@pytest.mark.parametrize(
    "raw",
    [
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"error": {"type": "api_err',
        b"",
        b"[1,2]",
        b"null",
    ],
)
def test_non_stripe_bodies_become_api_error(raw: bytes) -> None:
    err = map_error(502, raw, {})
    assert type(err) is APIError and err.http_status == 502
    assert "502" in err.message


@pytest.mark.parametrize("status", [400, 401, 404, 429])
def test_non_stripe_4xx_bodies_are_api_errors_too(status: int) -> None:
    err = map_error(status, b"<html>not found</html>", {})
    assert type(err) is APIError and err.http_status == status


def test_messages_never_contain_secrets() -> None:
    err = map_error(
        401,
        body(type="invalid_request_error", message="Invalid API Key provided: sk_live_abc123xyz"),
        {},
    )
    assert "sk_live_abc123xyz" not in str(err) and "sk_live_abc123xyz" not in repr(err)
    html = map_error(500, b"<p>token sk_test_zzz9999 card 4242424242424242</p>", {})
    assert "sk_test_zzz9999" not in str(html) and "4242424242424242" not in str(html)


def test_every_error_is_importable_from_the_top_level() -> None:
    for name in [
        "StripeError",
        "APIConnectionError",
        "APITimeoutError",
        "APIError",
        "AuthenticationError",
        "PermissionDeniedError",
        "InvalidRequestError",
        "NotFoundError",
        "CardError",
        "IdempotencyError",
        "RateLimitError",
        "SignatureVerificationError",
        "PCIComplianceError",
    ]:
        cls = getattr(stripe_async, name)
        assert issubclass(cls, StripeError)
    assert not issubclass(stripe_async.PermissionDeniedError, PermissionError)
    assert issubclass(stripe_async.APITimeoutError, stripe_async.APIConnectionError)
    assert issubclass(stripe_async.NotFoundError, stripe_async.InvalidRequestError)


def test_secrets_are_hidden_in_every_error_attribute_types_kept() -> None:
    secret = "pi_3Abc_secret_Zyx987"
    raw = json.dumps(
        {
            "error": {
                "type": "card_error",
                "code": "card_declined",
                "message": "Your card was declined.",
                "payment_intent": {
                    "id": "pi_3Abc",
                    "object": "payment_intent",
                    "amount": 1000,
                    "livemode": False,
                    "client_secret": secret,
                    "last_payment_error": {"message": f"declined for {secret}"},
                    "metadata": {"note": "card 4242 4242 4242 4242"},
                    "next_action": None,
                },
            }
        }
    ).encode()
    err = map_error(402, raw, {"request-id": "req_1", "x-echo": secret})
    assert isinstance(err, CardError)
    shown = repr(err.error) + repr(err.json_body) + repr(err.headers) + str(err) + repr(err)
    assert "_secret_" not in shown and "4242 4242" not in shown
    assert err.error is not None
    intent = err.error["payment_intent"]
    assert intent["client_secret"] == "[REDACTED]"
    assert intent["amount"] == 1000 and intent["livemode"] is False
    assert intent["next_action"] is None and intent["id"] == "pi_3Abc"
    assert err.headers["request-id"] == "req_1"


def test_a_card_number_across_the_message_cut_is_redacted_whole() -> None:
    card = "4000056655665556"
    for offset in range(-len(card), 1):
        message = "x" * (MAX_MESSAGE_LENGTH + offset) + card
        err = APIError(message)
        assert "40000566" not in err.message, offset


def all_error_classes() -> list[type[StripeError]]:
    """Every StripeError subclass the package defines (modules that define some imported)."""
    import stripe_async.redis
    import stripe_async.webhooks.router
    import stripe_async.webhooks.store  # noqa: F401

    found: list[type[StripeError]] = []
    pending: list[type[StripeError]] = [StripeError]
    while pending:
        cls = pending.pop()
        if cls.__module__.startswith("stripe_async") and cls not in found:
            found.append(cls)
            pending.extend(cls.__subclasses__())
    return found


def test_every_error_class_is_found() -> None:
    names = {cls.__name__ for cls in all_error_classes()}
    assert {"APIVersionMismatchError", "CardError", "EventStoreError"} <= names
    assert len(names) >= 20


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda cls: cls.__name__)
def test_every_error_round_trips_through_pickle_still_redacted(cls: type[StripeError]) -> None:
    import inspect
    import pickle

    key = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"
    required = {
        name: f"value-{name}"
        for name, p in inspect.signature(cls).parameters.items()
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty
    }
    error = cls(
        f"failed with {key}", **required, **({} if required else {"json_body": {"key": key}})
    )
    error.request_id = "req_123"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert copy.__dict__ == error.__dict__
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert key not in repr(copy.__dict__) and key not in str(copy) and key not in repr(copy)
    for name, value in required.items():
        assert getattr(copy, name) == value
