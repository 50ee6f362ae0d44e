"""The StripeError hierarchy and the one mapping from an HTTP reply to an error.

Stdlib only (no httpx) so that the webhook verifier can raise these cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._redact import excerpt, redact, redact_and_cut, redact_value

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "CardError",
    "IdempotencyError",
    "InvalidAPIKeyError",
    "InvalidArgumentError",
    "InvalidRequestError",
    "NotFoundError",
    "PCIComplianceError",
    "PermissionDeniedError",
    "RateLimitError",
    "SignatureVerificationError",
    "StripeError",
    "map_error",
]


#: Longer messages (a proxy's whole error page, say) are cut, after redaction.
MAX_MESSAGE_LENGTH = 4096


class StripeError(Exception):
    """Base class of every error this SDK raises.

    The message and every attribute taken from the reply (`json_body`, hence
    `error`, and `headers`) are redacted: they never contain an API key, a webhook
    secret, a client secret or a card number. Their structure and types are kept.
    """

    def __init__(
        self,
        message: str = "",
        *,
        http_status: int | None = None,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        doc_url: str | None = None,
        request_id: str | None = None,
        idempotency_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        type: str | None = None,
    ) -> None:
        # Stripe's messages are short; a proxy's page is not.
        self.message = redact_and_cut(message, MAX_MESSAGE_LENGTH)
        super().__init__(self.message)
        self.http_status = http_status
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.doc_url = doc_url
        self.request_id = request_id
        self.idempotency_key = idempotency_key
        self.headers: dict[str, str] = {k: redact(v) for k, v in (headers or {}).items()}
        self.json_body = redact_value(json_body)
        self.type = type

    @property
    def error(self) -> dict[str, Any] | None:
        """The `error` object of Stripe's reply, when there was one."""
        if isinstance(self.json_body, dict):
            err = self.json_body.get("error")
            if isinstance(err, dict):
                return err
        return None

    def __str__(self) -> str:
        parts = []
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.request_id:
            parts.append(f"request {self.request_id}")
        prefix = f"({', '.join(parts)}) " if parts else ""
        return prefix + self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle rebuilds from the saved (already redacted) attributes rather than by
        # calling the class again: subclasses take keyword-only arguments that
        # `self.args` does not carry, so Celery and multiprocessing could not unpickle them.
        return (_rebuild_error, (type(self), self.args, self.__dict__.copy()))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, http_status={self.http_status!r}, "
            f"code={self.code!r}, request_id={self.request_id!r})"
        )


def _rebuild_error(
    cls: type[StripeError], args: tuple[Any, ...], state: dict[str, Any]
) -> StripeError:
    """Unpickle a StripeError: the instance as it was, without calling its __init__."""
    error = cls.__new__(cls, *args)  # BaseException.__new__ sets `args`
    error.__dict__.update(state)
    return error


class APIConnectionError(StripeError):
    """The request did not reach Stripe, or the reply was lost (network, DNS, TLS)."""

    should_retry = True


class APITimeoutError(APIConnectionError):
    """The attempt took longer than `timeout` seconds.

    `request_sent` is False when the whole budget went on waiting for the
    client-side rate limit: nothing reached Stripe.
    """

    request_sent = True


class APIError(StripeError):
    """Stripe answered with a server error, or with something that is not Stripe's shape."""


class AuthenticationError(StripeError):
    """401: the API key is missing, malformed, revoked or wrong for this mode."""


class PermissionDeniedError(StripeError):
    """403: the key may not perform this request (a restricted key, for instance)."""


class InvalidRequestError(StripeError):
    """400 / 404: the request has invalid parameters or names an unknown object."""


class NotFoundError(InvalidRequestError):
    """404: no such object (or no such URL)."""


class CardError(StripeError):
    """402 / card_error: the card was declined; see `code` and `decline_code`."""


class IdempotencyError(StripeError):
    """The idempotency key was reused with different parameters or another endpoint."""


class RateLimitError(StripeError):
    """429: too many requests."""


class SignatureVerificationError(StripeError):
    """A webhook signature did not verify (wrong secret, tampered body, stale timestamp)."""

    def __init__(self, message: str, sig_header: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.sig_header = sig_header


class InvalidArgumentError(StripeError, ValueError):
    """A bad argument caught before any request (an empty id, a negative timeout...).

    Also a ValueError, so code that guards arguments with `except ValueError` works.
    """


class InvalidAPIKeyError(AuthenticationError, ValueError):
    """A missing or malformed API key, caught before any request (never echoes the key)."""


class PCIComplianceError(StripeError):
    """Raw card data was about to be sent: use Stripe.js/Elements or a token instead."""


_BY_TYPE: dict[str, type[StripeError]] = {
    "card_error": CardError,
    "idempotency_error": IdempotencyError,
    "rate_limit_error": RateLimitError,
    "authentication_error": AuthenticationError,
    "api_connection_error": APIConnectionError,
    "api_error": APIError,
}

_BY_STATUS: dict[int, type[StripeError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    402: CardError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: APIError,
    429: RateLimitError,
}


def _error_class(status: int, error_type: str | None) -> type[StripeError]:
    # The status is the more specific signal for auth/permission/404/429; the
    # error.type decides card and idempotency errors (both arrive as 400/402).
    if error_type in ("card_error", "idempotency_error"):
        return _BY_TYPE[error_type]
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if error_type in _BY_TYPE:
        return _BY_TYPE[error_type]
    if error_type == "invalid_request_error" and 400 <= status < 500:
        return InvalidRequestError
    return APIError


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (httpx.Headers or a plain dict)."""
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        for key, item in headers.items():
            if key.lower() == lower:
                return item
    return value


def map_error(
    status: int,
    body: bytes | str,
    headers: Mapping[str, str] | None = None,
    *,
    idempotency_key: str | None = None,
) -> StripeError:
    """Turn a non-2xx reply into the right StripeError. Pure; never raises.

    A body that is not JSON, or not Stripe's `{"error": {...}}` shape, becomes an
    APIError carrying the status and a short redacted excerpt.
    """
    headers = headers or {}
    request_id = header_value(headers, "request-id")
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    common: dict[str, Any] = {
        "http_status": status,
        "request_id": request_id,
        "idempotency_key": idempotency_key,
        "headers": headers,
    }
    try:
        parsed: Any = json.loads(text)
    except (ValueError, RecursionError):
        parsed = None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if not isinstance(error, dict):
        shown = excerpt(text) if text.strip() else "<empty body>"
        # Not Stripe speaking (a proxy's HTML page, a truncated reply): the status
        # alone says little about what went wrong, so it is an APIError.
        return APIError(
            f"Unexpected reply from Stripe (HTTP {status}): {shown}", json_body=parsed, **common
        )

    def field(name: str) -> str | None:
        value = error.get(name)
        return value if isinstance(value, str) else None

    error_type = field("type")
    message = field("message") or f"Stripe returned HTTP {status} ({error_type or 'unknown'})"
    cls = _error_class(status, error_type)
    return cls(
        message,
        code=field("code"),
        param=field("param"),
        decline_code=field("decline_code"),
        doc_url=field("doc_url"),
        json_body=parsed,
        type=error_type,
        **common,
    )
