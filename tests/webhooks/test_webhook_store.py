"""InMemoryEventStore: remembers handled ids, bounded by TTL and size."""

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
