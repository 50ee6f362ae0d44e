from __future__ import annotations

import email.utils

import pytest

from stripe_async._retry import (
    MAX_DELAY,
    backoff_delay,
    parse_retry_after,
    retry_delay,
    should_retry,
)


@pytest.mark.parametrize("status", [409, 429, 500, 502, 503, 504])
def test_retryable_statuses(status: int) -> None:
    assert should_retry(attempt=0, max_retries=2, status=status, headers={})


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 422])
def test_other_4xx_never_retried(status: int) -> None:
    assert not should_retry(attempt=0, max_retries=2, status=status, headers={})


def test_should_retry_header_decides_first() -> None:
    assert should_retry(
        attempt=0, max_retries=2, status=400, headers={"Stripe-Should-Retry": "true"}
    )
    assert not should_retry(
        attempt=0, max_retries=2, status=503, headers={"stripe-should-retry": "false"}
    )


def test_budget_and_connection_errors() -> None:
    assert should_retry(attempt=1, max_retries=2, connection_error=True)
    assert not should_retry(attempt=2, max_retries=2, connection_error=True)
    assert not should_retry(attempt=0, max_retries=0, status=500, headers={})


def test_backoff_grows_from_half_a_second_and_caps_at_eight() -> None:
    low = [backoff_delay(n, rand=lambda: 0.0) for n in range(8)]
    assert low == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]
    top = [backoff_delay(n, rand=lambda: 1.0) for n in range(5)]
    assert top == [0.625, 1.25, 2.5, 5.0, 8.0]
    assert all(0.5 <= backoff_delay(n) <= MAX_DELAY for n in range(20))


def test_retry_after_wins_and_is_capped() -> None:
    assert retry_delay(0, {"Retry-After": "3"}, rand=lambda: 1.0) == 3.0
    assert retry_delay(0, {"retry-after": "600"}) == 60.0
    assert retry_delay(2, {"Retry-After": "garbage"}, rand=lambda: 0.0) == 2.0
    assert retry_delay(0, None, rand=lambda: 0.0) == 0.5


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 5, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(5.0)
    assert parse_retry_after("-1") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after(email.utils.formatdate(now - 5, usegmt=True), now=now) is None
