"""WebhookRouter: routing, sync and async handlers, exactly-once per event id."""

from __future__ import annotations

import asyncio
import functools
import threading
from typing import Any

import pytest
from webhook_helpers import SECRET, event_body, signed

from stripe_async.models import Event
from stripe_async.webhooks import (
    ClaimResult,
    EventInProgressError,
    EventStoreError,
    HandlerFailedError,
    InMemoryEventStore,
    InvalidPayloadError,
    SignatureVerificationError,
    WebhookRouter,
)


def delivery(
    event_type: str = "payment_intent.succeeded", event_id: str = "evt_1"
) -> tuple[bytes, str]:
    body = event_body(event_type, event_id=event_id)
    return body, signed(body)


async def test_handlers_run_in_registration_order_with_wildcards() -> None:
    router = WebhookRouter(SECRET)
    calls: list[str] = []

    @router.on("*")
    async def everything(event: Event) -> None:
        calls.append(f"*:{event.type}")

    @router.on("payment_intent.succeeded")
    async def first(event: Event) -> None:
        calls.append("first")

    @router.on("payment_intent.*")
    def prefix(event: Event) -> None:
        calls.append("prefix")

    @router.on("payment_intent.succeeded")
    def second(event: Event) -> None:
        calls.append("second")

    @router.on("charge.refunded")
    async def other(event: Event) -> None:
        calls.append("other")

    result = await router.dispatch(*delivery())
    assert calls == ["*:payment_intent.succeeded", "first", "prefix", "second"]
    assert (result.duplicate, result.handlers_run, result.event.id) == (False, 4, "evt_1")
    assert router.handlers_for("charge.refunded") == [everything, other]
    assert router.handlers_for("payment_intent.created") == [everything, prefix]
    assert first.__name__ == "first"  # the decorator returns the function unchanged


async def test_sync_handlers_run_off_the_event_loop_thread() -> None:
    router = WebhookRouter(SECRET)
    threads: list[int] = []
    router.add_handler("*", lambda event: threads.append(threading.get_ident()))
    await router.dispatch(*delivery())
    assert threads and threads[0] != threading.get_ident()


async def test_async_callables_and_partials_are_awaited() -> None:
    router = WebhookRouter(SECRET)
    seen: list[str] = []

    class Handler:
        async def __call__(self, event: Event) -> None:
            seen.append("object")

    async def tagged(tag: str, event: Event) -> None:
        seen.append(tag)

    router.add_handler("*", Handler())
    router.add_handler("*", functools.partial(tagged, "partial"))
    await router.dispatch(*delivery())
    assert seen == ["object", "partial"]


async def test_event_without_handlers_is_acknowledged_and_recorded() -> None:
    store = InMemoryEventStore()
    router = WebhookRouter(SECRET, store=store)
    result = await router.dispatch(*delivery("customer.created", "evt_nohandler"))
    assert (result.duplicate, result.handlers_run) == (False, 0)
    assert await store.is_processed("evt_nohandler")


async def test_a_redelivered_event_runs_its_handlers_once() -> None:
    router = WebhookRouter(SECRET)
    calls: list[str] = []
    router.add_handler("*", lambda event: calls.append(event.id))
    first = await router.dispatch(*delivery(event_id="evt_dup"))
    again = await router.dispatch(*delivery(event_id="evt_dup"))  # re-signed, as Stripe does
    other = await router.dispatch(*delivery(event_id="evt_other"))
    assert calls == ["evt_dup", "evt_other"]
    assert (first.duplicate, again.duplicate, other.duplicate) == (False, True, False)


async def test_a_failed_handler_leaves_the_event_for_redelivery() -> None:
    store = InMemoryEventStore()
    router = WebhookRouter(SECRET, store=store)
    attempts: list[int] = []
    after: list[int] = []

    @router.on("payment_intent.succeeded")
    async def flaky(event: Event) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database down")

    @router.on("payment_intent.succeeded")
    async def later(event: Event) -> None:
        after.append(1)

    with pytest.raises(RuntimeError, match="database down"):
        await router.dispatch(*delivery(event_id="evt_flaky"))
    assert not await store.is_processed("evt_flaky")
    assert after == []  # the handlers after the failing one did not run

    result = await router.dispatch(*delivery(event_id="evt_flaky"))
    assert (result.duplicate, result.handlers_run) == (False, 2)
    assert (len(attempts), len(after)) == (2, 1)
    assert await store.is_processed("evt_flaky")


async def test_concurrent_duplicate_deliveries_run_handlers_once() -> None:
    router = WebhookRouter(SECRET)
    started = asyncio.Event()
    release = asyncio.Event()
    calls: list[str] = []

    @router.on("*")
    async def slow(event: Event) -> None:
        calls.append(event.id)
        started.set()
        await release.wait()

    body, header = delivery(event_id="evt_race")
    tasks = [asyncio.create_task(router.dispatch(body, header)) for _ in range(5)]
    await started.wait()
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(*tasks)
    assert calls == ["evt_race"]
    assert sorted(r.duplicate for r in results) == [False, True, True, True, True]


async def test_concurrent_duplicate_of_a_failing_delivery_fails_too() -> None:
    router = WebhookRouter(SECRET)
    started = asyncio.Event()
    release = asyncio.Event()

    @router.on("*")
    async def failing(event: Event) -> None:
        started.set()
        await release.wait()
        raise RuntimeError("boom")

    body, header = delivery(event_id="evt_fail_race")
    first = asyncio.create_task(router.dispatch(body, header))
    await started.wait()
    second = asyncio.create_task(router.dispatch(body, header))
    await asyncio.sleep(0.01)
    release.set()
    outcomes = await asyncio.gather(first, second, return_exceptions=True)
    assert isinstance(outcomes[0], RuntimeError)
    assert isinstance(outcomes[1], HandlerFailedError)


async def test_verification_failures_never_reach_handlers() -> None:
    router = WebhookRouter(SECRET)
    calls: list[Any] = []
    router.add_handler("*", calls.append)
    body, _ = delivery()
    with pytest.raises(SignatureVerificationError):
        await router.dispatch(body, signed(body, secret="whsec_wrong"))
    with pytest.raises(InvalidPayloadError):
        await router.dispatch(b"not json", signed(b"not json"))
    assert calls == []


async def test_rotation_secret_list() -> None:
    router = WebhookRouter(["whsec_old", "whsec_new"])
    body = event_body()
    assert not (await router.dispatch(body, signed(body, "whsec_new"))).duplicate


async def test_legacy_check_then_mark_store_still_works_with_a_deprecation() -> None:
    class RecordingStore:
        def __init__(self) -> None:
            self.done: set[str] = {"evt_seen_elsewhere"}
            self.marked: list[str] = []

        async def is_processed(self, event_id: str) -> bool:
            return event_id in self.done

        async def mark_processed(self, event_id: str) -> None:
            self.marked.append(event_id)
            self.done.add(event_id)

    store = RecordingStore()
    with pytest.warns(DeprecationWarning, match="claim/complete/release"):
        router = WebhookRouter(SECRET, store=store)
    calls: list[str] = []
    router.add_handler("*", lambda event: calls.append(event.id))
    assert (await router.dispatch(*delivery(event_id="evt_seen_elsewhere"))).duplicate
    await router.dispatch(*delivery(event_id="evt_new"))
    assert (calls, store.marked) == (["evt_new"], ["evt_new"])


def test_bad_configuration_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="secret"):
        WebhookRouter("")
    with pytest.raises(ValueError, match="tolerance=None"):
        WebhookRouter(SECRET, tolerance=0)
    with pytest.raises(ValueError, match="on_version_mismatch"):
        WebhookRouter(SECRET, on_version_mismatch="shout")  # type: ignore[arg-type]
    router = WebhookRouter(SECRET)
    with pytest.raises(ValueError, match="event_type"):
        router.on("")
    with pytest.raises(TypeError):
        router.add_handler("*", "not callable")  # type: ignore[arg-type]


def test_repr_shows_routes_not_the_secret() -> None:
    router = WebhookRouter(SECRET)
    router.add_handler("charge.succeeded", print)
    assert "charge.succeeded" in repr(router) and SECRET not in repr(router)


async def test_sync_callable_returning_a_coroutine_is_awaited() -> None:
    router = WebhookRouter(SECRET)
    seen: list[str] = []

    async def notify(event: Event) -> None:
        seen.append(event.id)

    router.add_handler("*", lambda event: notify(event))
    await router.dispatch(*delivery(event_id="evt_lambda"))
    assert seen == ["evt_lambda"]


class SharedStore(InMemoryEventStore):
    """Two routers on one store stand for two workers sharing Redis."""


async def test_a_delivery_to_another_worker_while_the_claim_is_held_is_not_acknowledged() -> None:
    store = SharedStore()
    first, second = WebhookRouter(SECRET, store=store), WebhookRouter(SECRET, store=store)
    started, finish = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    async def slow(event: Event) -> None:
        runs.append("first")
        started.set()
        await finish.wait()

    first.add_handler("*", slow)
    second.add_handler("*", lambda event: runs.append("second"))
    task = asyncio.create_task(first.dispatch(*delivery()))
    await started.wait()
    with pytest.raises(EventInProgressError, match="evt_1"):
        await second.dispatch(*delivery())
    finish.set()
    assert not (await task).duplicate
    assert (await second.dispatch(*delivery())).duplicate
    assert runs == ["first"]


async def test_a_failed_claimant_releases_so_the_next_delivery_runs_it() -> None:
    store = SharedStore()
    first, second = WebhookRouter(SECRET, store=store), WebhookRouter(SECRET, store=store)

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    first.add_handler("*", broken)
    ran: list[str] = []
    second.add_handler("*", lambda event: ran.append(event.id))
    with pytest.raises(RuntimeError):
        await first.dispatch(*delivery())
    assert not await store.is_processed("evt_1")
    assert (await second.dispatch(*delivery())).handlers_run == 1
    assert ran == ["evt_1"] and await store.is_processed("evt_1")


async def test_a_cancelled_claimant_releases_its_claim() -> None:
    store = InMemoryEventStore()
    router = WebhookRouter(SECRET, store=store)
    started = asyncio.Event()

    async def hangs(event: Event) -> None:
        started.set()
        await asyncio.sleep(3600)

    router.add_handler("*", hangs)
    task = asyncio.create_task(router.dispatch(*delivery()))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await store.claim("evt_1", "next") == "claimed"


class BrokenStore:
    def __init__(self, fail_on: str) -> None:
        self.fail_on = fail_on
        self.inner = InMemoryEventStore()

    async def claim(self, event_id: str, token: str) -> ClaimResult:
        if self.fail_on == "claim":
            raise ConnectionError("store down")
        return await self.inner.claim(event_id, token)

    async def complete(self, event_id: str, token: str) -> None:
        if self.fail_on == "complete":
            raise ConnectionError("store down")
        await self.inner.complete(event_id, token)

    async def release(self, event_id: str, token: str) -> None:
        raise ConnectionError("store down")


@pytest.mark.parametrize("fail_on", ["claim", "complete"])
async def test_a_failing_store_is_an_event_store_error_and_nothing_is_done(fail_on: str) -> None:
    store = BrokenStore(fail_on)
    router = WebhookRouter(SECRET, store=store)
    ran: list[str] = []
    router.add_handler("*", lambda event: ran.append(event.id))
    with pytest.raises(EventStoreError, match=f"failed to {fail_on} event evt_1"):
        await router.dispatch(*delivery())
    assert not await store.inner.is_processed("evt_1")
    assert ran == ([] if fail_on == "claim" else ["evt_1"])


async def test_an_unreleasable_claim_is_logged_and_the_handler_error_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = WebhookRouter(SECRET, store=BrokenStore("release"))

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    router.add_handler("*", broken)
    with pytest.raises(RuntimeError, match="boom"):
        await router.dispatch(*delivery())
    assert "could not release the claim on stripe event evt_1" in caplog.text


async def test_concurrent_duplicates_in_one_process_see_a_store_failure_too() -> None:
    store = BrokenStore("complete")
    router = WebhookRouter(SECRET, store=store)

    async def handler(event: Event) -> None:
        await asyncio.sleep(0.01)

    router.add_handler("*", handler)
    results = await asyncio.gather(
        router.dispatch(*delivery()), router.dispatch(*delivery()), return_exceptions=True
    )
    assert [type(r) for r in results] == [EventStoreError, EventStoreError]


def test_a_store_without_either_protocol_is_refused() -> None:
    with pytest.raises(TypeError, match="claim/complete/release"):
        WebhookRouter(SECRET, store=object())  # type: ignore[arg-type]
