"""Creates survive resets, lost replies, 5xx, 409, 429 and timeouts without double charges."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from stripe_async import APIConnectionError, APIError, RateLimitError, StripeClient, StripeError

if TYPE_CHECKING:
    from conftest import FaultServer, InstantSleep

CLIENT_TIMEOUT = 0.5


def make_client(server: FaultServer, sleep: InstantSleep, **kwargs: object) -> StripeClient:
    options: dict[str, object] = {
        "base_url": server.base_url,
        "rate_limit": None,
        "timeout": CLIENT_TIMEOUT,
        "sleep": sleep,
    }
    options.update(kwargs)
    return StripeClient("sk_test_faults", **options)  # type: ignore[arg-type]


async def test_concurrent_creates_at_30_percent_faults_make_one_object_each(
    fault_server: FaultServer, instant_sleep: InstantSleep
) -> None:
    fault_server.fault_rate = 0.3
    # `timeout` bounds each attempt as a whole, waiting for a pooled connection
    # included: 300 calls at once on a busy CI machine need more than the default
    # here, or healthy attempts time out too.
    timeout = CLIENT_TIMEOUT * 3
    fault_server.slow_delay = timeout * 3
    calls = 300
    async with make_client(fault_server, instant_sleep, max_retries=8, timeout=timeout) as client:
        results = await asyncio.gather(
            *(
                client.payment_intents.create(
                    amount=100 + n, currency="usd", metadata={"order": str(n)}
                )
                for n in range(calls)
            )
        )

    # Every logical call succeeded, and got back the very object the server holds for it.
    assert len(results) == calls
    assert len(fault_server.objects) == calls
    orders = sorted(int(pi.metadata["order"]) for pi in results if pi.metadata)
    assert orders == list(range(calls))
    for pi in results:
        assert fault_server.objects[pi.id]["amount"] == pi.amount
    # No POST ever went out without a key, and each call kept its key across retries.
    assert fault_server.posts_without_key() == []
    keys = {s.headers["idempotency-key"] for s in fault_server.seen}
    assert len(keys) == calls
    # The run really exercised every failure, including lost replies that had to be replayed.
    assert set(fault_server.faults) == set(
        ("reset_before", "reset_after", "status_500", "html_503", "lock_409", "rate_429", "slow")
    )
    assert fault_server.replays >= fault_server.faults["reset_after"]


@pytest.mark.parametrize(
    "kind",
    ["reset_before", "reset_after", "status_500", "html_503", "lock_409", "rate_429", "slow"],
)
async def test_each_fault_is_retried_with_the_same_key(
    fault_server: FaultServer, instant_sleep: InstantSleep, kind: str
) -> None:
    fault_server.force_kind = kind
    fault_server.force_count = 2
    fault_server.slow_delay = CLIENT_TIMEOUT * 2
    async with make_client(fault_server, instant_sleep, max_retries=2) as client:
        pi = await client.payment_intents.create(amount=500, currency="usd")

    assert list(fault_server.objects) == [pi.id]
    assert [s.fault for s in fault_server.seen] == [kind, kind, None]
    assert len({s.headers["idempotency-key"] for s in fault_server.seen}) == 1
    assert pi.last_response is not None
    # A lost reply (reset or timeout after the work) comes back as a replay, not a new object.
    work_done_first = kind in ("reset_after", "slow")
    assert pi.last_response.idempotent_replayed is work_done_first
    assert len(instant_sleep.delays) == 2
    if kind == "rate_429":
        assert instant_sleep.delays == [1.0, 1.0]  # Retry-After wins over backoff


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("reset_before", APIConnectionError),
        ("reset_after", APIConnectionError),
        ("status_500", APIError),
        ("html_503", APIError),
        ("lock_409", APIError),
        ("rate_429", RateLimitError),
    ],
)
async def test_exhausted_retries_raise_a_stripe_error_carrying_the_key(
    fault_server: FaultServer, instant_sleep: InstantSleep, kind: str, error: type[StripeError]
) -> None:
    fault_server.force_kind = kind
    fault_server.force_count = 3
    async with make_client(fault_server, instant_sleep, max_retries=2) as client:
        with pytest.raises(error) as caught:
            await client.payment_intents.create(amount=500, currency="usd")
        # The key in the error lets the caller retry the same logical call safely later.
        key = caught.value.idempotency_key
        assert key is not None
        assert {s.headers["idempotency-key"] for s in fault_server.seen} == {key}
        pi = await client.payment_intents.create(amount=500, currency="usd", idempotency_key=key)

    assert list(fault_server.objects) == [pi.id]
    assert len(fault_server.seen) == 4


async def test_html_503_error_is_readable(
    fault_server: FaultServer, instant_sleep: InstantSleep
) -> None:
    fault_server.force_kind = "html_503"
    fault_server.force_count = 1
    async with make_client(fault_server, instant_sleep, max_retries=0) as client:
        with pytest.raises(APIError) as caught:
            await client.payment_intents.create(amount=500, currency="usd")
    assert caught.value.http_status == 503
    assert "503 Service Unavailable" in str(caught.value)
