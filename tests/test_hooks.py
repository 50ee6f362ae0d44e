"""on_request / on_response: once per attempt, sync or async, never a secret, never fatal."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import anyio
import httpx
import pytest
import respx
from client_support import TEST_KEY, RecordingSleep
from loop_backends import on_both_loops

from stripe_async import APIConnectionError, InvalidRequestError, StripeClient
from stripe_async.hooks import RequestEvent, ResponseEvent

CUSTOMER = {"id": "cus_1", "object": "customer"}


class Recorder:
    def __init__(self) -> None:
        self.events: list[RequestEvent | ResponseEvent] = []

    def sync(self, event: Any) -> None:
        self.events.append(event)

    async def coro(self, event: Any) -> None:
        await anyio.sleep(0)
        self.events.append(event)


def secretless(event: object) -> None:
    fields = dataclasses.asdict(event)  # type: ignore[call-overload]
    # A duration's digits may spell "4242" by chance: only the other fields are read.
    text = str({k: v for k, v in fields.items() if k != "duration"})
    assert TEST_KEY not in text and "4242" not in text and "a@b.co" not in text


@on_both_loops
async def test_hooks_see_each_attempt_of_a_retried_call() -> None:
    seen = Recorder()
    sleeps = RecordingSleep()
    with respx.mock(base_url="https://api.stripe.com") as mock:
        route = mock.post("/v1/customers")
        route.side_effect = [
            httpx.Response(429, json={"error": {"type": "rate_limit_error"}}),
            httpx.ConnectError("refused"),
            httpx.Response(200, json=CUSTOMER, headers={"Request-Id": "req_ok"}),
        ]
        async with StripeClient(
            TEST_KEY,
            rate_limit=None,
            sleep=sleeps,
            stripe_account="acct_9",
            on_request=seen.sync,
            on_response=seen.coro,
        ) as client:
            await client.customers.create(email="a@b.co", idempotency_key="order-1")
    kinds = [(type(e).__name__, e.attempt) for e in seen.events]
    assert kinds == [
        ("RequestEvent", 1),
        ("ResponseEvent", 1),
        ("RequestEvent", 2),
        ("ResponseEvent", 2),
        ("RequestEvent", 3),
        ("ResponseEvent", 3),
    ]
    responses = [e for e in seen.events if isinstance(e, ResponseEvent)]
    assert [e.status for e in responses] == [429, None, 200]
    assert [e.will_retry for e in responses] == [True, True, False]
    assert [e.error_type for e in responses] == ["RateLimitError", "APIConnectionError", None]
    assert responses[2].request_id == "req_ok"
    for event in seen.events:
        assert (event.method, event.path, event.base) == ("POST", "/v1/customers", "api")
        assert event.idempotency_key == "order-1"
        assert event.stripe_account == "acct_9"
        secretless(event)
    assert all(e.duration >= 0 for e in responses)


async def test_the_final_error_is_reported_before_it_is_raised(
    api: respx.MockRouter,
) -> None:
    seen = Recorder()
    api.get("/v1/customers/cus_x").respond(
        404, json={"error": {"type": "invalid_request_error"}}, headers={"Request-Id": "req_404"}
    )
    async with StripeClient(TEST_KEY, rate_limit=None, on_response=seen.sync) as client:
        with pytest.raises(InvalidRequestError):
            await client.customers.retrieve("cus_x")
    (event,) = seen.events
    assert isinstance(event, ResponseEvent)
    assert (event.status, event.request_id, event.error_type, event.will_retry) == (
        404,
        "req_404",
        "NotFoundError",
        False,
    )
    assert event.idempotency_key is None


@on_both_loops
async def test_a_hook_that_raises_is_logged_and_the_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("metrics backend down")

    async def broken_async(event: object) -> None:
        raise ValueError("also down")

    with respx.mock(base_url="https://api.stripe.com") as mock:
        mock.post("/v1/customers").respond(200, json=CUSTOMER)
        async with StripeClient(
            TEST_KEY, rate_limit=None, on_request=broken, on_response=broken_async
        ) as client:
            with caplog.at_level(logging.ERROR, logger="stripe_async"):
                customer = await client.customers.create()
    assert customer.id == "cus_1"
    logged = [r for r in caplog.records if "hook raised" in r.getMessage()]
    assert len(logged) == 2
    assert {type(r.exc_info[1]).__name__ for r in logged if r.exc_info} == {
        "RuntimeError",
        "ValueError",
    }


@on_both_loops
async def test_cancellation_wins_while_an_async_hook_runs() -> None:
    entered = anyio.Event()

    async def slow(event: object) -> None:
        entered.set()
        await anyio.sleep(30)

    with respx.mock(base_url="https://api.stripe.com", assert_all_called=False) as mock:
        route = mock.post("/v1/customers").respond(200, json=CUSTOMER)
        async with StripeClient(TEST_KEY, rate_limit=None, on_request=slow) as client:
            with anyio.move_on_after(10) as outer:
                async with anyio.create_task_group() as tasks:
                    tasks.start_soon(client.customers.create)
                    await entered.wait()
                    tasks.cancel_scope.cancel()
            assert not outer.cancelled_caught
    assert not route.called


async def test_hooks_are_kept_by_with_options_copies(api: respx.MockRouter) -> None:
    seen = Recorder()
    api.get("/v1/balance").respond(200, json={"object": "balance"})
    client = StripeClient(TEST_KEY, rate_limit=None, on_response=seen.sync)
    await client.with_options(stripe_account="acct_2").balance.retrieve()
    assert [getattr(e, "stripe_account", None) for e in seen.events] == ["acct_2"]


async def test_a_closed_client_shows_an_attempt_without_a_status(api: respx.MockRouter) -> None:
    seen = Recorder()
    client = StripeClient(TEST_KEY, rate_limit=None, on_request=seen.sync, on_response=seen.sync)
    await client.aclose()
    with pytest.raises(APIConnectionError):
        await client.balance.retrieve()
    # A closed client still "attempts" once: the hooks show it, without a status.
    assert [type(e).__name__ for e in seen.events] == ["RequestEvent", "ResponseEvent"]
    assert seen.events[1].status is None  # type: ignore[union-attr]


def test_a_hook_must_be_callable() -> None:
    from stripe_async import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="on_request"):
        StripeClient(TEST_KEY, on_request="print")  # type: ignore[arg-type]
