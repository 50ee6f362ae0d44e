"""Retry policy: pure functions deciding whether and how long to wait.

The delay schedule comes from the `backoff` library's exponential generator and
full jitter; the request loop owns the actual sleeping (injectable for tests).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping

import backoff

from .errors import header_value

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
JITTER = 0.25
MAX_RETRY_AFTER = 60.0
RETRYABLE_STATUSES = frozenset({409, 429, 500, 502, 503, 504})


def should_retry(
    *,
    attempt: int,
    max_retries: int,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    connection_error: bool = False,
) -> bool:
    """Decide whether attempt number `attempt` (0-based) may be followed by another.

    `Stripe-Should-Retry` decides first when present; then connection errors and
    timeouts, and statuses 409, 429, 500, 502, 503, 504 are retried. Never other 4xx.
    """
    if attempt >= max_retries:
        return False
    if connection_error:
        return True
    if headers is not None:
        verdict = header_value(headers, "Stripe-Should-Retry")
        if verdict is not None:
            if verdict.strip().lower() == "true":
                return True
            if verdict.strip().lower() == "false":
                return False
    return status in RETRYABLE_STATUSES


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds < 0:  # NaN or in the past
        return None
    return seconds


def backoff_delay(attempt: int, *, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... capped at 8 s.

    Each nominal step is stretched by up to a quarter at random, so clients that
    failed together do not retry together; no wait is ever below 0.5 s or above 8 s.
    """
    schedule = backoff.expo(base=2, factor=INITIAL_DELAY, max_value=MAX_DELAY)
    next(schedule)  # the generator primes with None before yielding values
    nominal = INITIAL_DELAY
    for _ in range(attempt + 1):
        nominal = float(next(schedule))
    return min(nominal * (1 + JITTER * rand()), MAX_DELAY)


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    *,
    rand: Callable[[], float] = random.random,
    now: float | None = None,
) -> float:
    """How long to sleep before retry number `attempt + 1`.

    A Retry-After header (honoured up to 60 s) wins over the computed backoff.
    """
    if headers is not None:
        retry_after = parse_retry_after(header_value(headers, "Retry-After"), now=now)
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER)
    return backoff_delay(attempt, rand=rand)
