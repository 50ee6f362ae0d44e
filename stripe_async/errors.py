"""The StripeError hierarchy and the one mapping from an HTTP reply to an error.

Stdlib only (no httpx) so that the webhook verifier can raise these cheaply.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._redact import excerpt, redact, redact_and_cut, redact_value

__all__ = [
    "V2_ERRORS",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AlreadyCanceledError",
    "AuthenticationError",
    "BlockedByStripeError",
    "CannotProceedError",
    "CapabilityNotEnabledError",
    "CardError",
    "ControlledByAlternateResourceError",
    "FeatureNotEnabledError",
    "FinancialAccountNotOpenError",
    "FxQuoteNeedsRefreshError",
    "IdempotencyError",
    "InsufficientFundsError",
    "InvalidAPIKeyError",
    "InvalidArgumentError",
    "InvalidClientError",
    "InvalidGrantError",
    "InvalidPaymentMethodError",
    "InvalidPayoutMethodError",
    "InvalidRequestError",
    "InvalidScopeError",
    "InvalidVaultedCredentialError",
    "NotCancelableError",
    "NotFoundError",
    "OAuthError",
    "OAuthInvalidRequestError",
    "PCIComplianceError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RecipientNotNotifiableError",
    "SignatureVerificationError",
    "StripeError",
    "StripeErrorWithParamCode",
    "TemporarySessionExpiredError",
    "UnsupportedGrantTypeError",
    "UnsupportedResponseTypeError",
    "V2Error",
    "VerificationAttemptFailedError",
    "VerificationExpiredError",
    "VerificationNotInitiatedError",
    "map_error",
    "map_v2_error",
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


#: The official SDK's name for `PermissionDeniedError` (the same class). Left out of
#: `__all__`: a star import would shadow Python's own PermissionError.
PermissionError = PermissionDeniedError


class StripeErrorWithParamCode(StripeError):
    """An error that names the parameter at fault (`param`) and Stripe's `code`."""


class InvalidRequestError(StripeErrorWithParamCode):
    """400 / 404: the request has invalid parameters or names an unknown object."""


class NotFoundError(InvalidRequestError):
    """404: no such object (or no such URL)."""


class CardError(StripeErrorWithParamCode):
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


class OAuthError(StripeError):
    """Connect OAuth refused the call; `code` is OAuth's `error`, the message its description.

    OAuth replies `{"error": "invalid_grant", "error_description": "..."}`, not
    Stripe's `{"error": {...}}` object; `error` gives that reply as a dict.
    """

    @property
    def error(self) -> dict[str, Any] | None:
        return self.json_body if isinstance(self.json_body, dict) else None


class InvalidClientError(OAuthError):
    """OAuth `invalid_client`: the client_id is unknown or does not belong to this key."""


class InvalidGrantError(OAuthError):
    """OAuth `invalid_grant`: the code or refresh token is unknown, used, or expired."""


class OAuthInvalidRequestError(OAuthError):
    """OAuth `invalid_request`: a parameter is missing or wrong.

    The official SDK names it `oauth_error.InvalidRequestError` (so does ours).
    """


class InvalidScopeError(OAuthError):
    """OAuth `invalid_scope`: the requested scope is not one OAuth grants."""


class UnsupportedGrantTypeError(OAuthError):
    """OAuth `unsupported_grant_type`: not authorization_code nor refresh_token."""


class UnsupportedResponseTypeError(OAuthError):
    """OAuth `unsupported_response_type`: response_type is not `code`."""


_OAUTH_BY_CODE: dict[str, type[OAuthError]] = {
    "invalid_client": InvalidClientError,
    "invalid_grant": InvalidGrantError,
    "invalid_request": OAuthInvalidRequestError,
    "invalid_scope": InvalidScopeError,
    "unsupported_grant_type": UnsupportedGrantTypeError,
    "unsupported_response_type": UnsupportedResponseTypeError,
}


class V2Error(StripeError):
    """Base of the errors only the v2 API returns (told apart by `error.type`)."""

    #: Fields of v2's error object kept as attributes beside code and message.
    extra_fields: tuple[str, ...] = ()

    def __init__(self, message: str = "", **kwargs: Any) -> None:
        extras = {name: kwargs.pop(name, None) for name in self.extra_fields}
        super().__init__(message, **kwargs)
        for name, value in extras.items():
            setattr(self, name, value)


class AlreadyCanceledError(V2Error):
    """v2 `already_canceled`: the object was canceled already."""


class BlockedByStripeError(V2Error):
    """v2 `blocked_by_stripe`: Stripe blocked this action."""


class CannotProceedError(V2Error):
    """v2 `cannot_proceed`: the object's state does not allow this; see `reason`."""

    extra_fields = ("reason",)
    reason: Any


class CapabilityNotEnabledError(V2Error):
    """v2 `capability_not_enabled`: the account lacks the capability this needs."""


class ControlledByAlternateResourceError(V2Error):
    """v2 `controlled_by_alternate_resource`: another object manages this one."""


class FeatureNotEnabledError(V2Error):
    """v2 `feature_not_enabled`: the feature is not enabled on this account."""


class FinancialAccountNotOpenError(V2Error):
    """v2 `financial_account_not_open`: the financial account is not open."""


class FxQuoteNeedsRefreshError(V2Error):
    """v2 `fx_quote_needs_refresh`: the FX quote is stale; get a new one."""


class InsufficientFundsError(V2Error):
    """v2 `insufficient_funds`: the balance cannot cover the amount."""


class InvalidPaymentMethodError(V2Error):
    """v2 `invalid_payment_method`: the payment method is unusable; see `invalid_param`."""

    extra_fields = ("invalid_param",)
    invalid_param: Any


class InvalidPayoutMethodError(V2Error):
    """v2 `invalid_payout_method`: the payout method is unusable."""


class InvalidVaultedCredentialError(V2Error):
    """v2 `invalid_vaulted_credential`: a vaulted credential is invalid; see `invalid_param`."""

    extra_fields = ("invalid_param",)
    invalid_param: Any


class NotCancelableError(V2Error):
    """v2 `not_cancelable`: the object can no longer be canceled."""


class QuotaExceededError(V2Error):
    """v2 `quota_exceeded`: a quota on this account was reached."""


class RecipientNotNotifiableError(V2Error):
    """v2 `recipient_not_notifiable`: the recipient cannot be notified."""


class TemporarySessionExpiredError(V2Error):
    """v2 `temporary_session_expired`: the session (a meter event session, say) expired."""


class VerificationAttemptFailedError(V2Error):
    """v2 `verification_attempt_failed`; see `verification_status`."""

    extra_fields = ("verification_status",)
    verification_status: Any


class VerificationExpiredError(V2Error):
    """v2 `verification_expired`; see `verification_status`."""

    extra_fields = ("verification_status",)
    verification_status: Any


class VerificationNotInitiatedError(V2Error):
    """v2 `verification_not_initiated`; see `verification_status`."""

    extra_fields = ("verification_status",)
    verification_status: Any


#: v2's `error.type` values and their classes (anything else maps as v1 does).
V2_ERRORS: dict[str, type[StripeError]] = {
    "already_canceled": AlreadyCanceledError,
    "blocked_by_stripe": BlockedByStripeError,
    "cannot_proceed": CannotProceedError,
    "capability_not_enabled": CapabilityNotEnabledError,
    "controlled_by_alternate_resource": ControlledByAlternateResourceError,
    "feature_not_enabled": FeatureNotEnabledError,
    "financial_account_not_open": FinancialAccountNotOpenError,
    "fx_quote_needs_refresh": FxQuoteNeedsRefreshError,
    "insufficient_funds": InsufficientFundsError,
    "invalid_payment_method": InvalidPaymentMethodError,
    "invalid_payout_method": InvalidPayoutMethodError,
    "invalid_vaulted_credential": InvalidVaultedCredentialError,
    "not_cancelable": NotCancelableError,
    "quota_exceeded": QuotaExceededError,
    "recipient_not_notifiable": RecipientNotNotifiableError,
    "temporary_session_expired": TemporarySessionExpiredError,
    "verification_attempt_failed": VerificationAttemptFailedError,
    "verification_expired": VerificationExpiredError,
    "verification_not_initiated": VerificationNotInitiatedError,
    "idempotency_error": IdempotencyError,
    "rate_limit": RateLimitError,
}


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


def _error_class(status: int, error_type: str | None, code: str | None) -> type[StripeError]:
    # The status is the more specific signal for auth/permission/404/429; the
    # error.type decides card and idempotency errors (both arrive as 400/402).
    if error_type in ("card_error", "idempotency_error"):
        return _BY_TYPE[error_type]
    if status == 400 and code == "rate_limit":  # how Stripe once reported rate limits
        return RateLimitError
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
    v2: bool = False,
) -> StripeError:
    """Turn a non-2xx reply into the right StripeError. Pure; never raises.

    Stripe's `{"error": {...}}` maps by status and `error.type` (with `v2=True`,
    v2's own error types first, see `V2_ERRORS`); OAuth's `{"error": "<code>",
    "error_description": ...}` maps to an `OAuthError`. Any other body (not JSON,
    a proxy's page) becomes an APIError carrying the status and a short redacted
    excerpt.
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
    if isinstance(error, str) and error:
        description = parsed.get("error_description")
        oauth_class = _OAUTH_BY_CODE.get(error, OAuthError)
        return oauth_class(
            description if isinstance(description, str) and description else error,
            code=error,
            json_body=parsed,
            type=error,
            **common,
        )
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
    code = field("code")
    message = field("message") or f"Stripe returned HTTP {status} ({error_type or 'unknown'})"
    cls = (V2_ERRORS.get(error_type or "") if v2 else None) or _error_class(
        status, error_type, code
    )
    extras: dict[str, Any] = {}
    if issubclass(cls, V2Error):
        extras = {name: redact_value(error.get(name)) for name in cls.extra_fields}
    return cls(
        message,
        code=code,
        param=field("param"),
        decline_code=field("decline_code"),
        doc_url=field("doc_url"),
        json_body=parsed,
        type=error_type,
        **extras,
        **common,
    )


def map_v2_error(
    status: int,
    body: bytes | str,
    headers: Mapping[str, str] | None = None,
    *,
    idempotency_key: str | None = None,
) -> StripeError:
    """`map_error` for a reply of the v2 API: its own error types map to their classes."""
    return map_error(status, body, headers, idempotency_key=idempotency_key, v2=True)
