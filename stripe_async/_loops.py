"""Which event loop is running: asyncio's or trio's, found without starting either.

Loop-bound objects (connection pools, locks) are kept per loop under this key,
so one client can be used from several `asyncio.run` calls, from trio, and from
loops in several threads at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Generic, TypeVar

import anyio

R = TypeVar("R")


def current_loop() -> object:
    """An object identifying the running event loop (hashable, weak-referenceable).

    The running asyncio loop, or trio's token for the current run. Raises
    RuntimeError outside any event loop (a caller's mistake: call from async code).
    """
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            return trio.lowlevel.current_trio_token()
        except RuntimeError:
            pass
    raise RuntimeError("stripe_async must be called from a running asyncio or trio event loop")


def loop_is_closed(loop: object) -> bool:
    """True when `loop` can no longer run anything (a finished asyncio.run or trio.run)."""
    if isinstance(loop, asyncio.AbstractEventLoop):
        return loop.is_closed()
    trio = sys.modules.get("trio")
    if trio is None:  # pragma: no cover - a trio token implies trio is imported
        return True
    try:
        loop.run_sync_soon(lambda: None)  # type: ignore[attr-defined]
    except trio.RunFinishedError:
        return True
    return False


class Background(Generic[R]):
    """One awaitable run alongside the caller on asyncio or trio, owned by nobody.

    Its outcome is kept until `result()` is awaited, so an abandoned run logs no
    "exception was never retrieved"; `cancel()` is synchronous (safe from `__del__`).
    """

    def __init__(self, run: Callable[[], Awaitable[R]]) -> None:
        self._run = run
        self._finished = anyio.Event()
        self._outcome: tuple[R] | BaseException | None = None
        self._cancel: Callable[[], object] | None = None
        self._cancelled = False
        loop = current_loop()
        if isinstance(loop, asyncio.AbstractEventLoop):
            self._cancel = loop.create_task(self._capture()).cancel
        else:
            trio = sys.modules["trio"]
            trio.lowlevel.spawn_system_task(self._trio_task, context=contextvars.copy_context())

    async def _trio_task(self) -> None:
        trio = sys.modules["trio"]
        with trio.CancelScope() as scope:
            self._cancel = scope.cancel
            if self._cancelled:
                scope.cancel()
            await self._capture()

    async def _capture(self) -> None:
        try:
            self._outcome = (await self._run(),)
        except Exception as exc:
            self._outcome = exc
        finally:
            self._finished.set()

    async def result(self) -> R:
        """The run's value (or its exception raised here); cancels it if the caller is."""
        try:
            await self._finished.wait()
        except BaseException:
            self.cancel()
            raise
        outcome = self._outcome
        if isinstance(outcome, tuple):
            return outcome[0]
        if outcome is None:  # cancelled before it finished, as awaiting a cancelled task is
            raise anyio.get_cancelled_exc_class()
        raise outcome

    def cancel(self) -> None:
        """Stop the run if it is still going; harmless after it finished."""
        self._cancelled = True
        if self._cancel is not None and not self._finished.is_set():
            # RuntimeError: its loop is already closed, so nothing is left to stop.
            with contextlib.suppress(RuntimeError):
                self._cancel()

    async def aclose(self) -> None:
        """Cancel the run and wait until it has stopped."""
        self.cancel()
        with anyio.CancelScope(shield=True):
            await self._finished.wait()


async def close_quietly(close: Callable[[], Awaitable[None]]) -> None:
    # Closing is best effort: a connection of a finished loop cannot be closed.
    with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
        await close()


async def close_when_the_loop_ends(
    close: Callable[[], Awaitable[None]],
) -> AsyncGenerator[None, None]:
    """Advanced once, it runs `close` when the loop finalises its async generators."""
    try:
        yield
    finally:
        await close_quietly(close)


def close_on_its_loop(loop: object, close: Callable[[], Awaitable[None]]) -> None:
    """Schedule `close` on another (maybe finished) loop, from any thread."""
    if loop_is_closed(loop):
        return
    with contextlib.suppress(Exception):
        if isinstance(loop, asyncio.AbstractEventLoop):
            loop.call_soon_threadsafe(lambda: loop.create_task(close_quietly(close)))
        else:
            spawn = sys.modules["trio"].lowlevel.spawn_system_task
            loop.run_sync_soon(lambda: spawn(close_quietly, close))  # type: ignore[attr-defined]
