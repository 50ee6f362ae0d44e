"""The network layer: one pool per client, who owns it, and how an attempt fails.

- `ownership.HttpPool`: the pool a client sends through and who closes it.
- `loops.LoopAwareClient`: our own pool, one per event loop it is used from.
- `client.OwnedClient`: an AsyncClient whose requests go straight to its transport.
- `pool.Pool`: httpcore's pool with linear bookkeeping and no leaked slots.
- `backend.AsyncioBackend`: an httpcore network backend on asyncio protocols.
- `body`: replies read whole, decoded and capped while streaming.
- `failures.classify`: what an exception of an attempt means, and whether to retry.

Importing this package imports neither httpcore nor TLS: the first request of a
client that builds its own pool does (through `loops`).
"""

from __future__ import annotations

from .._redact import redact_loggers

#: The loggers httpx and httpcore write to: their URLs carry query strings (a
#: PaymentIntent's client_secret, for one) and their traces carry headers.
HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)
redact_loggers(HTTP_LOGGERS)
