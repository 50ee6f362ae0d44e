"""Loop identity, background runs and cross-loop closing on asyncio and trio."""

from __future__ import annotations

import asyncio
import threading

import anyio
import pytest
from loop_backends import on_both_loops

from stripe_async._loops import (
    Background,
    RunCancelled,
    close_on_its_loop,
    current_loop,
    loop_is_closed,
)


def test_current_loop_outside_any_loop_is_a_usage_error() -> None:
    with pytest.raises(RuntimeError, match="asyncio or trio"):
        current_loop()


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_loop_is_closed_once_its_run_has_finished(backend: str) -> None:
    async def main() -> object:
        loop = current_loop()
        assert loop is current_loop() and not loop_is_closed(loop)
        return loop

    assert loop_is_closed(anyio.run(main, backend=backend))


@on_both_loops
async def test_background_keeps_the_outcome_until_asked() -> None:
    async def fails() -> int:
        await anyio.sleep(0)
        raise KeyError("boom")

    async def works() -> int:
        await anyio.sleep(0)
        return 7

    failing, working = Background(fails), Background(works)
    with pytest.raises(KeyError):
        await failing.result()
    assert await working.result() == 7
    working.cancel()  # after the fact: harmless
    assert await working.result() == 7


@on_both_loops
async def test_background_cancelled_before_it_ran() -> None:
    ran: list[bool] = []

    async def never() -> None:
        ran.append(True)

    run = Background(never)
    run.cancel()
    await run.aclose()
    with pytest.raises(RunCancelled):
        await run.result()
    assert ran == []


@on_both_loops
async def test_a_caller_cancelled_while_waiting_cancels_the_run() -> None:
    stopped = anyio.Event()

    async def slow() -> None:
        try:
            await anyio.sleep_forever()
        finally:
            stopped.set()

    run = Background(slow)
    with anyio.move_on_after(0.01):
        await run.result()
    with anyio.fail_after(5):
        await stopped.wait()


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_close_on_another_running_loop(backend: str) -> None:
    """A close scheduled from one thread runs on the other thread's loop."""
    ready = threading.Event()
    closed_on: list[object] = []
    loops: list[object] = []

    async def close() -> None:
        closed_on.append(current_loop())

    async def other() -> None:
        loops.append(current_loop())
        ready.set()
        with anyio.fail_after(10):
            while not closed_on:
                await anyio.sleep(0.005)

    thread = threading.Thread(target=anyio.run, args=(other,), kwargs={"backend": backend})
    thread.start()
    assert ready.wait(10)
    close_on_its_loop(loops[0], close)
    thread.join(10)
    assert closed_on == loops
    close_on_its_loop(loops[0], close)  # that loop has finished: nothing happens
    assert closed_on == loops


def test_close_on_a_closed_asyncio_loop_is_skipped() -> None:
    loop = asyncio.new_event_loop()
    loop.close()

    async def close() -> None:  # pragma: no cover - must never run
        raise AssertionError

    close_on_its_loop(loop, close)
