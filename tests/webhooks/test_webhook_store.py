"""InMemoryEventStore: claims with a lease, remembers handled ids, bounded by TTL and size."""

from __future__ import annotations

import pytest

from stripe_async.webhooks import EventStore, InMemoryEventStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_marks_and_remembers() -> None:
    store = InMemoryEventStore()
    assert isinstance(store, EventStore)
    assert not await store.is_processed("evt_1")
    await store.mark_processed("evt_1")
    assert await store.is_processed("evt_1")
    assert not await store.is_processed("evt_2")


async def test_ids_expire_after_the_ttl() -> None:
    clock = Clock()
    store = InMemoryEventStore(ttl=60, clock=clock)
    await store.mark_processed("evt_1")
    clock.now += 30
    await store.mark_processed("evt_2")
    clock.now += 30  # evt_1 is exactly 60s old: expired
    assert not await store.is_processed("evt_1")
    assert await store.is_processed("evt_2")
    assert len(store) == 1


async def test_size_is_bounded_dropping_the_oldest() -> None:
    store = InMemoryEventStore(max_size=3)
    for n in range(10):
        await store.mark_processed(f"evt_{n}")
    assert len(store) == 3
    assert [await store.is_processed(f"evt_{n}") for n in range(10)] == [False] * 7 + [True] * 3


async def test_re_marking_refreshes_an_id() -> None:
    store = InMemoryEventStore(max_size=2)
    await store.mark_processed("evt_a")
    await store.mark_processed("evt_b")
    await store.mark_processed("evt_a")
    await store.mark_processed("evt_c")  # evicts evt_b, the least recently marked
    assert await store.is_processed("evt_a")
    assert not await store.is_processed("evt_b")


@pytest.mark.parametrize("kwargs", [{"ttl": 0}, {"ttl": -1}, {"max_size": 0}, {"max_size": 1.5}])
def test_invalid_bounds_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        InMemoryEventStore(**kwargs)  # type: ignore[arg-type]


async def test_claim_is_exclusive_until_completed() -> None:
    store = InMemoryEventStore()
    assert await store.claim("evt_1", "a") == "claimed"
    assert await store.claim("evt_1", "b") == "held"
    await store.complete("evt_1", "a")
    assert await store.claim("evt_1", "b") == "done"
    assert await store.is_processed("evt_1")


async def test_release_frees_the_claim_only_for_its_claimant() -> None:
    store = InMemoryEventStore()
    assert await store.claim("evt_1", "a") == "claimed"
    await store.release("evt_1", "not-a")
    assert await store.claim("evt_1", "b") == "held"
    await store.release("evt_1", "a")
    assert await store.claim("evt_1", "b") == "claimed"
    assert not await store.is_processed("evt_1")


async def test_an_expired_lease_lets_the_next_delivery_claim() -> None:
    clock = Clock()
    store = InMemoryEventStore(lease=30, clock=clock)
    assert await store.claim("evt_1", "dead-worker") == "claimed"
    clock.now += 29
    assert await store.claim("evt_1", "b") == "held"
    clock.now += 1
    assert await store.claim("evt_1", "b") == "claimed"
    await store.release("evt_1", "dead-worker")  # too late: b keeps its claim
    assert await store.claim("evt_1", "c") == "held"


def test_repr_and_lease_validation() -> None:
    assert "lease=60.0" in repr(InMemoryEventStore())
    with pytest.raises(ValueError, match="lease"):
        InMemoryEventStore(lease=0)
