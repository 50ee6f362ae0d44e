"""Every error class of stripe 16.1.0 has a counterpart, raised from the same wire shapes."""

from __future__ import annotations

import inspect
import json
import pickle
from typing import Any

import pytest
import stripe._error as official
import stripe.oauth_error as official_oauth
from stripe._api_requestor import _APIRequestor

import stripe_async.errors as errors
import stripe_async.oauth_error as oauth_error
from stripe_async.errors import StripeError, map_error, map_v2_error


def classes(module: Any) -> dict[str, type[BaseException]]:
    return {
        name: value
        for name, value in vars(module).items()
        if inspect.isclass(value) and issubclass(value, BaseException)
    }


OFFICIAL = classes(official)
OFFICIAL_OAUTH = classes(official_oauth)


def counterpart(cls: type[BaseException]) -> type[StripeError]:
    """Our class for one of the official SDK's (OAuth's under `oauth_error`)."""
    module = oauth_error if cls.__module__ == official_oauth.__name__ else errors
    ours = getattr(module, cls.__name__)
    assert issubclass(ours, StripeError)
    return ours  # type: ignore[no-any-return]


def test_every_official_error_class_has_a_counterpart() -> None:
    assert len(OFFICIAL) == 30  # what stripe 16.1.0 defines; a new one fails here
    assert set(OFFICIAL_OAUTH) - {"StripeError"} == {
        "OAuthError",
        "InvalidClientError",
        "InvalidGrantError",
        "InvalidRequestError",
        "InvalidScopeError",
        "UnsupportedGrantTypeError",
        "UnsupportedResponseTypeError",
    }
    for cls in [*OFFICIAL.values(), *OFFICIAL_OAUTH.values()]:
        ours = counterpart(cls)
        # Their hierarchy holds in ours: `except CardError` catches what it catches there.
        for base in cls.__mro__[1:]:
            if base.__module__ in (official.__name__, official_oauth.__name__):
                assert issubclass(ours, counterpart(base)), (cls, base)
    assert errors.PermissionError is errors.PermissionDeniedError
    assert oauth_error.InvalidRequestError is errors.OAuthInvalidRequestError
    assert "PermissionError" not in errors.__all__  # a star import keeps Python's own


def official_error(status: int, body: dict[str, Any], v2: bool) -> BaseException:
    requestor = _APIRequestor()
    raw = json.dumps(body)
    try:
        requestor.handle_error_response(raw, status, body, {}, "V2" if v2 else "V1")
    except official.StripeError as exc:
        return exc
    raise AssertionError("no error raised")


V2_TYPES = [
    "already_canceled",
    "blocked_by_stripe",
    "cannot_proceed",
    "capability_not_enabled",
    "controlled_by_alternate_resource",
    "feature_not_enabled",
    "financial_account_not_open",
    "fx_quote_needs_refresh",
    "insufficient_funds",
    "invalid_payment_method",
    "invalid_payout_method",
    "invalid_vaulted_credential",
    "not_cancelable",
    "quota_exceeded",
    "recipient_not_notifiable",
    "temporary_session_expired",
    "verification_attempt_failed",
    "verification_expired",
    "verification_not_initiated",
    "idempotency_error",
    "rate_limit",
    "invalid_request_error",
    "api_error",
    "some_future_type",
]


@pytest.mark.parametrize("error_type", V2_TYPES)
@pytest.mark.parametrize("status", [400, 402, 409, 429, 500])
def test_v2_shapes_raise_the_official_class(error_type: str, status: int) -> None:
    body = {
        "error": {
            "type": error_type,
            "code": "some_code",
            "message": "No can do",
            "reason": {"kind": "x"},
            "invalid_param": "payment_method",
            "verification_status": "failed",
        }
    }
    theirs = official_error(status, body, v2=True)
    ours = map_v2_error(status, json.dumps(body), {"request-id": "req_1"})
    assert isinstance(ours, counterpart(type(theirs))), (type(theirs), type(ours))
    assert ours.code == "some_code" and ours.request_id == "req_1"
    for name in ("reason", "invalid_param", "verification_status"):
        if hasattr(theirs, name):
            assert getattr(ours, name) == getattr(theirs, name)


V1_SHAPES = [
    (400, {"type": "invalid_request_error", "param": "amount"}),
    (400, {"type": "invalid_request_error", "code": "rate_limit"}),
    (400, {"type": "idempotency_error"}),
    (404, {"type": "invalid_request_error", "code": "resource_missing"}),
    (401, {"type": "invalid_request_error"}),
    (402, {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds"}),
    (403, {"type": "invalid_request_error"}),
    (429, {"type": "rate_limit_error"}),
    (500, {"type": "api_error"}),
    (409, {"type": "invalid_request_error", "code": "lock_timeout"}),
]


@pytest.mark.parametrize(("status", "error"), V1_SHAPES)
def test_v1_shapes_raise_the_official_class(status: int, error: dict[str, Any]) -> None:
    body = {"error": {"message": "m", **error}}
    theirs = official_error(status, body, v2=False)
    ours = map_error(status, json.dumps(body))
    assert isinstance(ours, counterpart(type(theirs))), (type(theirs), type(ours))


@pytest.mark.parametrize(
    "code",
    [
        "invalid_client",
        "invalid_grant",
        "invalid_request",
        "invalid_scope",
        "unsupported_grant_type",
        "unsupported_response_type",
    ],
)
def test_oauth_shapes_raise_the_official_class(code: str) -> None:
    body = {"error": code, "error_description": "described"}
    theirs = official_error(400, body, v2=False)
    ours = map_error(400, json.dumps(body))
    assert type(ours) is counterpart(type(theirs))
    assert ours.code == code and ours.message == "described"


SECRET = "sk_live_51HSecretSecretSecret"


def all_error_instances() -> list[StripeError]:
    made: list[StripeError] = []
    for error_type in V2_TYPES:
        body = {"error": {"type": error_type, "message": f"key {SECRET}", "reason": SECRET}}
        made.append(
            map_v2_error(400, json.dumps(body), {"request-id": "req_1"}, idempotency_key="k")
        )
    for status, error in V1_SHAPES:
        body = {"error": {"message": f"key {SECRET}", **error}}
        made.append(map_error(status, json.dumps(body), {"request-id": "req_1"}))
    for code in ["invalid_grant", "invalid_request", "x"]:
        made.append(map_error(400, json.dumps({"error": code, "error_description": SECRET})))
    return made


@pytest.mark.parametrize("error", all_error_instances(), ids=lambda e: type(e).__name__)
def test_every_error_pickles_with_its_facts_and_without_secrets(error: StripeError) -> None:
    blob = pickle.dumps(error)
    assert SECRET.encode() not in blob
    back = pickle.loads(blob)
    assert type(back) is type(error)
    assert vars(back) == vars(error)
    assert str(back) == str(error)
    for text in (str(error), repr(error), json.dumps(error.json_body), str(vars(error))):
        assert SECRET not in text
