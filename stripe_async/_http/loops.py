"""`LoopAwareClient`: the client's own pool, one per event loop (built on first use)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import AsyncGenerator, Awaitable, Callable

import httpx

from .._loops import (
    close_on_its_loop,
    close_quietly,
    close_when_the_loop_ends,
    current_loop,
    loop_is_closed,
)
from .body import Outgoing, Reply
from .client import OwnedClient, Proxy

__all__ = ["LoopAwareClient"]


class LoopAwareClient(OwnedClient):
    """The client's own pool, with one pool per event loop it is used from.

    Connections belong to the loop that opened them, so a client reused in a
    second `asyncio.run` (a module-level client, pytest's loop per test), under
    trio, or from loops in several threads at once gets a pool of its own in each
    loop. The first loop uses this object's pool; every other loop gets a sibling
    built on first use. Each loop's pool is closed when that loop finishes
    (asyncio.run and trio.run finalise live async generators before returning).
    """

    def __init__(self, limits: httpx.Limits, *, proxy: Proxy | None = None) -> None:
        super().__init__(limits, proxy=proxy)
        self._limits = limits
        self._proxy = proxy
        self._home: weakref.ref[object] | None = None
        self._siblings: dict[object, OwnedClient] = {}
        self._finalisers: list[tuple[httpx.AsyncClient, AsyncGenerator[None, None]]] = []
        self._lock = threading.Lock()
        self._closing = False  # aclose() was called: refuse new requests
        self._retired = False  # our own pool was closed because its loop finished

    @property
    def is_closed(self) -> bool:
        return self._closing or (super().is_closed and not self._retired)

    async def send_direct(self, out: Outgoing) -> Reply:
        loop = current_loop()
        home = self._home
        if home is None:
            home = await self._bind_home(loop)
        if home() is loop:
            return await super().send_direct(out)
        sibling = self._siblings.get(loop)
        if sibling is None:
            sibling = await self._new_sibling(loop)
        return await sibling.send_direct(out)

    async def _bind_home(self, loop: object) -> weakref.ref[object]:
        with self._lock:
            if self._home is not None:
                return self._home
            self._home = weakref.ref(loop)
        await self._close_at_loop_end(self, self._retire)
        return self._home

    async def _retire(self) -> None:
        self._retired = True
        await super().aclose()

    async def _new_sibling(self, loop: object) -> OwnedClient:
        sibling = OwnedClient(self._limits, proxy=self._proxy)
        with self._lock:
            existing = self._siblings.get(loop)
            if existing is not None:  # another task of this loop got there first
                return existing
            # Forget pools of loops that have finished (their finaliser closed them).
            for other in [other for other in self._siblings if loop_is_closed(other)]:
                del self._siblings[other]
            self._siblings[loop] = sibling
        await self._close_at_loop_end(sibling, sibling.aclose)
        return sibling

    async def _close_at_loop_end(
        self, pool: httpx.AsyncClient, close: Callable[[], Awaitable[None]]
    ) -> None:
        finaliser = close_when_the_loop_ends(close)
        await finaliser.asend(None)
        with self._lock:
            # Kept here because loops hold their async generators only weakly.
            self._finalisers = [(p, f) for p, f in self._finalisers if not p.is_closed]
            self._finalisers.append((pool, finaliser))

    def pools(self) -> int:
        """How many pools are open, over every loop."""
        with self._lock:
            siblings = list(self._siblings.values())
        return sum(not pool.is_closed for pool in siblings) + int(not super().is_closed)

    async def aclose(self) -> None:
        """Close the pool of every loop: here now, on other running loops soon after.

        Pools of loops that have already finished were closed as they finished,
        or cannot be closed any more (their connections need their loop).
        """
        self._closing = True
        loop = current_loop()
        with self._lock:
            siblings = list(self._siblings.items())
            self._siblings.clear()
            home = self._home() if self._home is not None else None
        closes: list[tuple[object, Callable[[], Awaitable[None]]]] = [
            (other, pool.aclose) for other, pool in siblings
        ]
        closes.append((home, super().aclose))
        for other, close in closes:
            if other is None or other is loop:
                await close_quietly(close)
            else:
                close_on_its_loop(other, close)
