"""The request loop's one classifier: each exception reaches one branch that names it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from stripe_async import APIConnectionError, APIError, APITimeoutError, StripeClient
from stripe_async._http.body import ReplyTooLarge
from stripe_async._http.failures import Failure, classify
from stripe_async.errors import InvalidArgumentError


def failure(exc: Exception, *, sending: bool = True, loop_bound: bool = False) -> Failure | None:
    return classify(exc, sending=sending, timeout=5, loop_bound=loop_bound, idempotency_key="k")


@pytest.mark.parametrize(
    ("exc", "kind", "words", "retryable"),
    [
        (httpx.ConnectTimeout("t"), APITimeoutError, "connecting to Stripe", True),
        (httpx.PoolTimeout("t"), APITimeoutError, "free connection", True),
        (httpx.WriteTimeout("t"), APITimeoutError, "sending the request", True),
        (httpx.ReadTimeout("t"), APITimeoutError, "waiting for Stripe's reply", True),
        (TimeoutError(), APITimeoutError, "(the attempt", True),
        (httpx.ConnectError("refused"), APIConnectionError, "Could not connect", True),
        (httpx.ReadError("reset"), APIConnectionError, "Could not reach Stripe: ReadError", True),
        (httpx.RemoteProtocolError("cut"), APIConnectionError, "broke off", True),
        (httpx.DecodingError("bad gzip"), APIConnectionError, "could not be decoded", True),
        (ConnectionResetError("reset"), APIConnectionError, "ConnectionResetError", True),
        (httpx.UnsupportedProtocol("ftp"), InvalidArgumentError, "as given", False),
        (ReplyTooLarge(10, 200, httpx.Headers()), APIError, "larger than 10 bytes", False),
    ],
)
def test_each_failure_while_sending_is_named(
    exc: Exception, kind: type[Exception], words: str, retryable: bool
) -> None:
    found = failure(exc)
    assert found is not None and type(found.error) is kind
    assert words in str(found.error) and found.retryable is retryable
    assert found.error.idempotency_key == "k"


def test_before_sending_a_timeout_is_the_rate_limit_wait_and_is_not_retried() -> None:
    found = failure(TimeoutError(), sending=False)
    assert found is not None and isinstance(found.error, APITimeoutError)
    assert "client-side rate limit" in str(found.error) and not found.error.request_sent
    assert not found.retryable


def test_before_sending_another_os_error_is_the_limiter_failing_not_a_wait() -> None:
    found = failure(ConnectionRefusedError("store down"), sending=False)
    assert found is not None and type(found.error) is APIConnectionError
    assert "rate limiter failed (ConnectionRefusedError" in str(found.error)
    assert "timed out" not in str(found.error).lower() and not found.retryable


def test_a_foreign_loop_is_a_connection_error_only_for_a_pool_not_ours() -> None:
    exc = RuntimeError("Event loop is closed")
    assert failure(exc, loop_bound=False) is None  # ours: a bug, it must surface
    found = failure(exc, loop_bound=True)
    assert found is not None and "bound to an event loop" in str(found.error) and found.retryable


@pytest.mark.parametrize("exc", [ValueError("bug"), KeyError("x"), RuntimeError("other")])
def test_what_is_not_an_attempt_failure_is_not_classified(exc: Exception) -> None:
    assert failure(exc) is None and failure(exc, sending=False) is None


async def test_a_limiter_that_raises_os_error_is_reported_as_such() -> None:
    class BrokenLimiter:
        async def acquire(self, *, method: str, path: str) -> None:
            raise ConnectionRefusedError("the limiter's store is down")

    class Policy:
        def limiter_for(self, api_key: str) -> BrokenLimiter:
            return BrokenLimiter()

    sent: list[Any] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
    async with StripeClient("sk_test_x", transport=transport, rate_limit=Policy()) as client:
        with pytest.raises(APIConnectionError, match="rate limiter failed") as caught:
            await client.balance.retrieve()
    assert not isinstance(caught.value, APITimeoutError) and sent == []
