"""`HttpPool`: a client's connection pool and who owns it, decided once.

The request loop asks this object to send; it never looks at the pool's class.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

from .body import Outgoing, Proxy, Reply, send_via_client

__all__ = ["DEFAULT_LIMITS", "HttpPool", "Proxy"]

#: The pool StripeClient builds: enough for 200 concurrent calls, kept alive 30 s.
DEFAULT_LIMITS = httpx.Limits(
    max_connections=200, max_keepalive_connections=200, keepalive_expiry=30
)


_HTTPX_DEFAULT_AGENT = f"python-httpx/{httpx.__version__}"


class HttpPool:
    """A StripeClient's pool: built by the first request, closed by its owner.

    Three kinds, each made by one constructor:

    - `HttpPool.own()`: ours, with a pool per event loop (`LoopAwareClient`);
      requests go straight to its transport. The client closes it.
    - `HttpPool.on_transport(transport)`: an `httpx.AsyncClient` on a transport
      the caller gave (the emulator, `httpx.MockTransport`). The client closes it.
    - `HttpPool.users(client)`: the caller's own `httpx.AsyncClient`, used as is
      and never closed by us.

    Only pools that are not ours can be bound to another event loop (`loop_bound`):
    the request loop maps that RuntimeError to an APIConnectionError for them,
    and lets it surface (a bug) for ours.
    """

    def __init__(
        self,
        factory: Callable[[], httpx.AsyncClient],
        *,
        closes: bool,
        ours: bool,
    ) -> None:
        self._factory = factory
        self._client: httpx.AsyncClient | None = None
        # Loops in several threads may make a client's first requests at once:
        # exactly one pool is built, and every thread gets that one.
        self._building = threading.Lock()
        self._closed = False
        self.closes = closes
        self.ours = ours

    @classmethod
    def own(cls, limits: httpx.Limits = DEFAULT_LIMITS, *, proxy: Proxy | None = None) -> HttpPool:
        def build() -> httpx.AsyncClient:
            # Imported here: building it imports httpcore and sets up TLS, which a
            # client that is never used (or a short-lived process) need not pay for.
            from .loops import LoopAwareClient

            return LoopAwareClient(limits, proxy=proxy)

        return cls(build, closes=True, ours=True)

    @classmethod
    def on_transport(
        cls, transport: httpx.AsyncBaseTransport, limits: httpx.Limits = DEFAULT_LIMITS
    ) -> HttpPool:
        # A given transport decides for itself how it behaves across loops (the
        # emulator's and httpx.MockTransport hold no loop-bound state).
        return cls(
            lambda: httpx.AsyncClient(transport=transport, limits=limits, http2=False),
            closes=True,
            ours=False,
        )

    @classmethod
    def users(cls, client: httpx.AsyncClient) -> HttpPool:
        pool = cls(lambda: client, closes=False, ours=False)
        pool._client = client
        return pool

    @property
    def loop_bound(self) -> bool:
        """True when the pool may hold connections of another event loop."""
        return not self.ours

    def client(self) -> httpx.AsyncClient:
        """The pooled AsyncClient, built now if no request has needed it yet."""
        client = self._client
        if client is None:
            with self._building:
                client = self._client
                if client is None:
                    client = self._client = self._factory()
        return client

    def caller_user_agent(self) -> str | None:
        """The User-Agent set on the caller's own AsyncClient, if it set one.

        httpx's default (`python-httpx/...`) is not the caller's choice, and our own
        pools never set one.
        """
        if self.ours or self.closes or self._client is None:
            return None
        agent: str | None = self._client.headers.get("user-agent")
        if agent is None or agent == _HTTPX_DEFAULT_AGENT:
            return None
        return agent

    @property
    def is_built(self) -> bool:
        return self._client is not None

    @property
    def is_closed(self) -> bool:
        return self._closed or (self._client is not None and self._client.is_closed)

    async def send(self, out: Outgoing) -> Reply:
        """Send one request and read its whole reply (at most `out.max_bytes` decoded)."""
        client = self._client or self.client()
        if self.ours:
            reply: Reply = await client.send_direct(out)  # type: ignore[attr-defined]
            return reply
        return await send_via_client(client, out)

    async def aclose(self) -> None:
        """Close the pool (whoever owns it: callers check `closes` first)."""
        self._closed = True
        if self._client is not None:
            await self._client.aclose()
