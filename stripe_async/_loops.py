"""Which event loop is running: asyncio's or trio's, found without starting either.

Loop-bound objects (connection pools, locks) are kept per loop under this key,
so one client can be used from several `asyncio.run` calls, from trio, and from
loops in several threads at once.
"""

from __future__ import annotations

import asyncio
import sys


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
