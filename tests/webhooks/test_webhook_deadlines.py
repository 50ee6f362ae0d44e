"""Handler deadlines and lease renewal: no hung handler holds its event, no event runs
twice at once. On asyncio and trio, with the in-memory store (Redis: test_redis_lease.py).
"""

from __future__ import annotations

import threading
import time

import anyio
import httpx
import pytest
from loop_backends import on_both_loops
from webhook_helpers import SECRET, event_body, signed

from stripe_async.models import Event
from stripe_async.webhooks import (
    DEFAULT_HANDLER_TIMEOUT,
    ClaimLostError,
    ClaimResult,
    EventInProgressError,
    HandlerTimeoutError,
    InMemoryEventStore,
    RenewableEventStore,
    WebhookRouter,
    create_app,
)
from stripe_async.webhooks.store import DEFAULT_LEASE

WEBHOOK = "/webhooks/stripe"
# What a slow, shared machine may add to a deadline before the reply is out.
SLACK = 2.0


def delivery(event_id: str = "evt_1") -> tuple[bytes, str]:
    body = event_body(event_id=event_id)
    return body, signed(body)


async def post(http: httpx.AsyncClient, event_id: str = "evt_1") -> httpx.Response:
    body, header = delivery(event_id)
    return await http.post(WEBHOOK, content=body, headers={"stripe-signature": header})


def receiver(router: WebhookRouter) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(router))
    return httpx.AsyncClient(transport=transport, base_url="http://receiver")


def test_the_default_deadline_is_documented_and_shorter_than_the_lease() -> None:
    assert WebhookRouter(SECRET).handler_timeout == DEFAULT_HANDLER_TIMEOUT == 30.0
    assert DEFAULT_HANDLER_TIMEOUT < DEFAULT_LEASE
    assert WebhookRouter(SECRET, handler_timeout=None).handler_timeout is None
    assert isinstance(InMemoryEventStore(), RenewableEventStore)
    with pytest.raises(ValueError, match="handler_timeout"):
        WebhookRouter(SECRET, handler_timeout=0)
    with pytest.raises(TypeError, match="handler_timeout"):
        WebhookRouter(SECRET, handler_timeout="30")  # type: ignore[arg-type]


@on_both_loops
async def test_a_hung_handler_fails_its_delivery_and_the_redelivery_runs_afresh() -> None:
    store = InMemoryEventStore()
    router = WebhookRouter(SECRET, store=store, handler_timeout=1.0)
    runs: list[str] = []

    @router.on("*")
    async def hangs_the_first_time(event: Event) -> None:
        runs.append("started")
        if len(runs) == 1:
            await anyio.sleep_forever()
        runs.append("finished")

    replies: dict[str, httpx.Response] = {}
    took: dict[str, float] = {}

    async def deliver(name: str) -> None:
        started = time.monotonic()
        replies[name] = await post(http)
        took[name] = time.monotonic() - started

    async with receiver(router) as http:
        async with anyio.create_task_group() as group:
            group.start_soon(deliver, "first")
            await anyio.sleep(0.3)
            # The case: a redelivery to the same worker while the first hangs.
            group.start_soon(deliver, "during")
        retry = await post(http)
    assert replies["first"].status_code == 500
    assert replies["first"].json() == {"error": "handler timed out"}
    assert 0.9 <= took["first"] < 1.0 + SLACK, took
    assert replies["during"].status_code == 500 and took["during"] < 1.0 + SLACK, took
    assert retry.status_code == 200 and runs == ["started", "started", "finished"]
    assert await store.is_processed("evt_1")


@on_both_loops
async def test_a_handler_slower_than_its_lease_keeps_its_claim_and_runs_once() -> None:
    store = InMemoryEventStore(lease=0.6)
    workers = [WebhookRouter(SECRET, store=store) for _ in "ab"]
    runs: list[str] = []

    async def slow(event: Event) -> None:
        runs.append("run")
        await anyio.sleep(2.0)  # more than three leases

    for router in workers:
        router.add_handler("*", slow)
    outcomes: list[str] = []
    async with anyio.create_task_group() as group:
        group.start_soon(workers[0].dispatch, *delivery())
        started = time.monotonic()
        await anyio.sleep(0.1)
        while time.monotonic() - started < 1.5:  # redeliveries to the other worker
            try:
                result = await workers[1].dispatch(*delivery())
            except EventInProgressError:
                outcomes.append("in progress")
            else:
                outcomes.append("duplicate" if result.duplicate else "ran")
            await anyio.sleep(0.1)
    assert runs == ["run"] and len(outcomes) >= 5 and set(outcomes) == {"in progress"}
    assert (await workers[1].dispatch(*delivery())).duplicate


class LosesItsClaim(InMemoryEventStore):
    """Renewal finds the claim gone, as when a stalled worker's lease lapsed."""

    async def renew(self, event_id: str, token: str) -> bool:
        return False


class CannotRenew(InMemoryEventStore):
    """The store is unreachable for every renewal."""

    tries = 0

    async def renew(self, event_id: str, token: str) -> bool:
        self.tries += 1
        raise ConnectionError("store down")


@on_both_loops
@pytest.mark.parametrize(
    ("kind", "within", "reason"),
    [
        (LosesItsClaim, 0.2, "its lease lapsed"),
        (CannotRenew, 0.4, "could not renew it in time"),
    ],
)
async def test_a_lost_claim_stops_the_handler(
    kind: type[InMemoryEventStore], within: float, reason: str
) -> None:
    store = kind(lease=0.6)
    router = WebhookRouter(SECRET, store=store)
    stopped: list[str] = []

    @router.on("*")
    async def slow(event: Event) -> None:
        try:
            await anyio.sleep(30)
        finally:
            stopped.append("stopped")

    started = time.monotonic()
    with pytest.raises(ClaimLostError, match=reason):
        await router.dispatch(*delivery())
    # Stopped before the 0.6 s lease could have lapsed to another delivery.
    assert within <= time.monotonic() - started < within + SLACK
    assert stopped == ["stopped"] and not await store.is_processed("evt_1")
    # One retry a third of a lease later, then stopped: the next could come too late.
    assert getattr(store, "tries", 2) == 2


class NoRenewal:
    """A store of an earlier release: claim/complete/release and a lease, no renew."""

    lease = 0.5

    def __init__(self) -> None:
        self.inner = InMemoryEventStore(lease=self.lease)

    async def claim(self, event_id: str, token: str) -> ClaimResult:
        return await self.inner.claim(event_id, token)

    async def complete(self, event_id: str, token: str) -> None:
        await self.inner.complete(event_id, token)

    async def release(self, event_id: str, token: str) -> None:
        await self.inner.release(event_id, token)


@on_both_loops
async def test_a_store_that_cannot_renew_bounds_the_handler_by_its_lease() -> None:
    store = NoRenewal()
    router = WebhookRouter(SECRET, store=store, handler_timeout=None)

    @router.on("*")
    async def hangs(event: Event) -> None:
        await anyio.sleep_forever()

    started = time.monotonic()
    with pytest.raises(HandlerTimeoutError, match=r"90% of the store's 0.5s lease"):
        await router.dispatch(*delivery())
    assert 0.4 <= time.monotonic() - started < 0.45 + SLACK
    assert await store.claim("evt_1", "next") == "claimed"  # released, not left to lapse


@on_both_loops
async def test_a_callers_cancellation_wins_over_deadline_and_heartbeat() -> None:
    store = InMemoryEventStore(lease=0.3)
    router = WebhookRouter(SECRET, store=store, handler_timeout=5.0)

    @router.on("*")
    async def hangs(event: Event) -> None:
        await anyio.sleep_forever()

    with anyio.move_on_after(0.5) as scope:  # past a renewal or two
        await router.dispatch(*delivery())
    assert scope.cancelled_caught
    assert await store.claim("evt_1", "next") == "claimed"


@on_both_loops
async def test_a_handlers_own_error_passes_through_the_deadline_unchanged() -> None:
    router = WebhookRouter(SECRET, store=InMemoryEventStore(lease=0.3))

    @router.on("*")
    async def broken(event: Event) -> None:
        await anyio.sleep(0.2)
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        await router.dispatch(*delivery())


@on_both_loops
async def test_a_sync_handler_past_its_deadline_keeps_its_claim_while_its_thread_runs() -> None:
    store = InMemoryEventStore()
    router = WebhookRouter(SECRET, store=store, handler_timeout=0.3)
    release = threading.Event()

    @router.on("*")
    def blocks(event: Event) -> None:
        release.wait(10)

    try:
        started = time.monotonic()
        with pytest.raises(HandlerTimeoutError, match=r"handler_timeout=0.3s"):
            await router.dispatch(*delivery())
        assert time.monotonic() - started < 0.3 + SLACK
        # The thread cannot be stopped: no redelivery may run alongside it.
        with pytest.raises(EventInProgressError):
            await router.dispatch(*delivery())
    finally:
        release.set()


class CountsRenewals(InMemoryEventStore):
    renewals = 0

    async def renew(self, event_id: str, token: str) -> bool:
        self.renewals += 1
        return await super().renew(event_id, token)


@on_both_loops
@pytest.mark.parametrize(("handler_timeout", "renewed"), [(0.4, False), (5.0, True)])
async def test_the_heartbeat_runs_only_when_the_deadline_lies_beyond_the_lease(
    handler_timeout: float, renewed: bool
) -> None:
    store = CountsRenewals(lease=0.6)
    router = WebhookRouter(SECRET, store=store, handler_timeout=handler_timeout)

    @router.on("*")
    async def takes_a_while(event: Event) -> None:
        await anyio.sleep(0.35)  # past the first renewal, at 0.2 s

    assert (await router.dispatch(*delivery())).handlers_run == 1
    assert (store.renewals > 0) is renewed


async def test_the_in_memory_store_renews_only_its_holders_live_claim() -> None:
    now = [0.0]
    store = InMemoryEventStore(lease=10, clock=lambda: now[0])
    assert await store.claim("evt_1", "a") == "claimed"
    now[0] = 9.0
    assert await store.renew("evt_1", "a") and not await store.renew("evt_1", "b")
    now[0] = 18.0  # 19 s after the claim, within the renewed lease
    assert await store.claim("evt_1", "b") == "held"
    now[0] = 19.5
    assert not await store.renew("evt_1", "a")  # lapsed: it may be someone else's now
    assert await store.claim("evt_1", "b") == "claimed"
    assert not await store.renew("evt_2", "a")
