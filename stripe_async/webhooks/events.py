"""`construct_event`: verify a delivery, then parse it into a typed `Event`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from .. import API_VERSION
from ..errors import InvalidArgumentError, StripeError
from .signature import DEFAULT_TOLERANCE, Payload, verify_signature

if TYPE_CHECKING:
    from ..models.event import Event

__all__ = [
    "APIVersionMismatchError",
    "APIVersionMismatchWarning",
    "InvalidPayloadError",
    "StripeAsyncWarning",
    "VersionMismatchPolicy",
    "check_api_version",
    "construct_event",
    "parse_event",
]

VersionMismatchPolicy = Literal["warn", "error", "ignore"]
_POLICIES = ("warn", "error", "ignore")


class StripeAsyncWarning(UserWarning):
    """Base class of the warnings stripe-async emits (filter on it to silence them)."""


class APIVersionMismatchWarning(StripeAsyncWarning):
    """An event was rendered with an API version other than the one this SDK pins."""


class InvalidPayloadError(StripeError):
    """The body had a valid signature but is not a Stripe event (bad JSON or shape)."""


class APIVersionMismatchError(StripeError):
    """An event's API version differs from the pinned one (`on_version_mismatch="error"`)."""

    def __init__(self, message: str, *, event_version: str, expected_version: str) -> None:
        super().__init__(message)
        self.event_version = event_version
        self.expected_version = expected_version


def parse_event(payload: bytes | str) -> Event:
    """Parse an already-verified body into an `Event`; InvalidPayloadError if it is not one."""
    # Imported here: a receiver that only verifies never pays for building models.
    from ..models.event import Event

    try:
        return Event.model_validate_json(payload)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if any(err["type"] == "json_invalid" for err in errors):
            detail = errors[0].get("ctx", {}).get("error", "invalid JSON")
            raise InvalidPayloadError(
                f"The webhook body has a valid signature but is not valid JSON ({detail}). "
                "Pass the raw request body, not a decoded or re-encoded one."
            ) from None
        where = ", ".join(".".join(str(p) for p in err["loc"]) or "<root>" for err in errors[:3])
        raise InvalidPayloadError(
            f"The webhook body is JSON but not a Stripe event (problem at: {where})"
        ) from None


def check_api_version(
    event: Event, policy: VersionMismatchPolicy, expected: str = API_VERSION
) -> None:
    """Apply `policy` when `event.api_version` differs from `expected`."""
    version = event.api_version
    if policy == "ignore" or version is None or version == expected:
        return
    message = (
        f"Event {event.id} was rendered with API version {version!r}, but stripe-async pins "
        f"{expected!r}; fields may differ from the models. Set the endpoint's API version to "
        f"{expected!r} (Dashboard, or webhook_endpoints.create(api_version=...))."
    )
    if policy == "error":
        raise APIVersionMismatchError(message, event_version=version, expected_version=expected)
    warnings.warn(message, APIVersionMismatchWarning, stacklevel=3)


def validate_policy(policy: object) -> VersionMismatchPolicy:
    if policy not in _POLICIES:
        raise InvalidArgumentError(
            f"on_version_mismatch must be one of {_POLICIES}, not {policy!r}"
        )
    return policy  # type: ignore[return-value]


def construct_event(
    payload: Payload,
    header: str | bytes,
    secret: str | Sequence[str],
    *,
    tolerance: float | None = DEFAULT_TOLERANCE,
    on_version_mismatch: VersionMismatchPolicy = "warn",
) -> Event:
    """Verify `header` against the raw `payload`, then parse it into a typed `Event`.

    Raises SignatureVerificationError when the signature does not verify,
    InvalidPayloadError when the verified body is not a Stripe event, and, with
    `on_version_mismatch="error"`, APIVersionMismatchError when the event was
    rendered with another API version than `stripe_async.API_VERSION` (the
    default, "warn", emits an APIVersionMismatchWarning instead).
    """
    policy = validate_policy(on_version_mismatch)
    verify_signature(payload, header, secret, tolerance=tolerance)
    event = parse_event(bytes(payload) if isinstance(payload, (bytearray, memoryview)) else payload)
    check_api_version(event, policy)
    return event
