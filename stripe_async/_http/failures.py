"""Why an attempt failed, named once: the request loop's one classifier.

Every exception an attempt can raise reaches exactly one branch here, which says
what really happened (the rate-limit wait ran out, connecting failed, the reply
was cut off, ...) and whether another attempt may help. Exceptions that are not
an attempt's failure (a caller's cancellation, a bug, a StripeError raised on
purpose) are not classified: the loop lets them through untouched.
"""

from __future__ import annotations

from typing import NamedTuple

import httpx

from ..errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InvalidArgumentError,
    StripeError,
)
from .body import ReplyTooLarge

__all__ = ["FOREIGN_LOOP_MESSAGES", "Failure", "classify", "is_foreign_loop_error"]

#: What asyncio and trio raise when an object of one event loop is used from another
#: (or after its loop has finished): a connection kept in a user's pool from an
#: earlier `asyncio.run`, or opened under the other library.
FOREIGN_LOOP_MESSAGES = (
    "Event loop is closed",
    "attached to a different loop",
    "bound to a different event loop",
    "no running event loop",
    "must be called from async context",
)


class Failure(NamedTuple):
    """A failed attempt: the error the caller gets, and whether to try again."""

    error: StripeError
    retryable: bool
    status: int | None = None  # of a reply that was refused (too large), for the log


def is_foreign_loop_error(exc: BaseException) -> bool:
    """True for the RuntimeErrors that mean "this object belongs to another event loop"."""
    message = str(exc)
    return type(exc) is RuntimeError and any(m in message for m in FOREIGN_LOOP_MESSAGES)


def classify(
    exc: Exception,
    *,
    sending: bool,
    timeout: float,
    loop_bound: bool,
    idempotency_key: str | None,
) -> Failure | None:
    """The failure `exc` means, or None when it is not an attempt's failure.

    `sending`: the attempt got past the client-side rate limit. `loop_bound`: the
    pool is the caller's, so it may hold connections of another event loop.
    """
    key = idempotency_key
    if isinstance(exc, StripeError):
        return None  # raised on purpose, with its own message (a closed client, ...)
    if not sending:
        return _before_sending(exc, timeout, key)
    if isinstance(exc, ReplyTooLarge):
        error = APIError(
            f"The reply (HTTP {exc.status_code}) is larger than {exc.limit} bytes "
            "(max_response_bytes); it was not read",
            http_status=exc.status_code,
            request_id=exc.headers.get("request-id"),
            idempotency_key=key,
            headers=exc.headers,
        )
        return Failure(error, retryable=False, status=exc.status_code)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        refused = InvalidArgumentError(
            f"The request could not be sent as given: {exc}", idempotency_key=key
        )
        return Failure(refused, retryable=False)
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return Failure(_timed_out(exc, timeout, key), retryable=True)
    if isinstance(exc, httpx.ConnectError):
        return Failure(_connection(f"Could not connect to Stripe: {exc}", key), True)
    if isinstance(exc, httpx.DecodingError):
        return Failure(_connection(f"Stripe's reply could not be decoded: {exc}", key), True)
    if isinstance(exc, httpx.RemoteProtocolError):
        return Failure(_connection(f"Stripe's reply broke off or broke HTTP: {exc}", key), True)
    if isinstance(exc, (httpx.RequestError, OSError)):
        name = type(exc).__name__
        return Failure(_connection(f"Could not reach Stripe: {name}: {exc}", key), True)
    if loop_bound and is_foreign_loop_error(exc):
        return Failure(_foreign_loop(exc, key), retryable=True)
    return None  # anything else is a bug and must surface


def _before_sending(exc: Exception, timeout: float, key: str | None) -> Failure | None:
    if isinstance(exc, TimeoutError):
        # Nothing was sent: the whole budget went on waiting for the client-side
        # rate limit, and a retry would only wait again.
        unsent = APITimeoutError(
            f"Timed out after {timeout:g}s waiting for the client-side rate limit "
            "(rate_limit=); the request was not sent",
            idempotency_key=key,
        )
        unsent.request_sent = False
        return Failure(unsent, retryable=False)
    if isinstance(exc, OSError):
        # A rate limiter of the caller's own that lost its backing store.
        error = APIConnectionError(
            f"The client-side rate limiter failed ({type(exc).__name__}: {exc}); "
            "the request was not sent",
            idempotency_key=key,
        )
        return Failure(error, retryable=False)
    return None


def _timed_out(exc: Exception, timeout: float, key: str | None) -> APITimeoutError:
    if isinstance(exc, httpx.ConnectTimeout):
        what = "connecting to Stripe"
    elif isinstance(exc, httpx.PoolTimeout):
        what = "waiting for a free connection in the pool"
    elif isinstance(exc, httpx.WriteTimeout):
        what = "sending the request"
    elif isinstance(exc, httpx.ReadTimeout):
        what = "waiting for Stripe's reply"
    else:  # the attempt's own deadline, wherever it was
        what = "the attempt"
    return APITimeoutError(
        f"Request to Stripe timed out after {timeout:g}s ({what}: {type(exc).__name__})",
        idempotency_key=key,
    )


def _connection(message: str, key: str | None) -> APIConnectionError:
    return APIConnectionError(message, idempotency_key=key)


def _foreign_loop(exc: Exception, key: str | None) -> APIConnectionError:
    return APIConnectionError(
        "The http_client (or transport) passed to StripeClient is bound to an event loop "
        f"that has closed or is not the one running this call ({exc}): an "
        "httpx.AsyncClient belongs to one event loop, so create one per loop "
        "(inside asyncio.run / trio.run), or pass no http_client and let "
        "StripeClient keep a pool per loop itself",
        idempotency_key=key,
    )
