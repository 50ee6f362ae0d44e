"""Scale out on Redis: exactly-once webhook handling and one rate budget across workers.

Needs the `redis` extra (`pip install 'stripe-async[redis]'`, redis-py's asyncio
client). Both classes take a Redis URL or a `redis.asyncio.Redis` client:

```python
from stripe_async import StripeClient
from stripe_async.redis import RedisEventStore, RedisRateLimit
from stripe_async.webhooks import WebhookRouter

router = WebhookRouter(secret, store=RedisEventStore("redis://localhost:6379/0"))
stripe = StripeClient(rate_limit=RedisRateLimit("redis://localhost:6379/0"))
```

redis-py's asyncio client runs on asyncio only: under trio the limiter falls back
to the per-process limiter (with a warning) and the store raises EventStoreError.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import random
import time
import uuid
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar, Union
from urllib.parse import urlsplit, urlunsplit

import anyio

try:
    import redis.asyncio as aioredis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import NoScriptError, RedisError
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "stripe_async.redis needs redis-py, an optional extra: pip install 'stripe-async[redis]'"
    ) from exc

from ._ratelimit import SEARCH_RATE, RateLimiter, RequestBudget, default_rate, request_budget
from .errors import APIConnectionError, InvalidArgumentError
from .webhooks.store import DEFAULT_LEASE, DEFAULT_TTL, ClaimResult, EventStoreError

__all__ = ["RedisEventStore", "RedisRateLimit", "RedisSource", "RedisUnavailableError"]

logger = logging.getLogger("stripe_async.redis")

RedisSource = Union[str, "aioredis.Redis"]
T = TypeVar("T")
DEFAULT_PREFIX = "stripe_async:"

# What a Redis outage looks like from the client: its own errors, a socket error,
# or our deadline expiring on a server that stopped answering.
_REDIS_FAILURES = (RedisError, OSError, TimeoutError)


class RedisUnavailableError(APIConnectionError):
    """Redis could not grant a request slot and the limiter is set to fail closed."""


def _unavailable(exc: BaseException | None) -> RedisUnavailableError:
    reason = f" ({type(exc).__name__})" if exc is not None else ""
    return RedisUnavailableError(
        f"The Redis rate limiter is unavailable{reason} and set to fail closed "
        '(on_redis_error="fail")'
    )


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number")
    if not value > 0:
        raise InvalidArgumentError(f"{name} must be positive")
    return float(value)


def _safe_url(url: str) -> str:
    """The URL without its password, for reprs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


class _Connection:
    """The Redis client to use on the running event loop.

    A client built from a URL holds connections bound to the loop that opened
    them, so a URL gets one client per loop; a client passed in is used as is.
    """

    def __init__(self, source: RedisSource, timeout: float) -> None:
        if isinstance(source, str):
            if not source.startswith(("redis://", "rediss://", "unix://")):
                raise InvalidArgumentError(
                    "the Redis URL must start with redis://, rediss:// or unix://"
                )
            self._url: str | None = source
            self._given: aioredis.Redis | None = None
        elif isinstance(source, aioredis.Redis):
            self._url, self._given = None, source
        else:
            raise TypeError("pass a Redis URL or a redis.asyncio.Redis client")
        self._timeout = timeout
        self._per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = (
            weakref.WeakKeyDictionary()
        )

    def client(self) -> aioredis.Redis:
        """The client for the running loop; RuntimeError outside asyncio (e.g. trio)."""
        loop = asyncio.get_running_loop()
        if self._given is not None:
            return self._given
        client = self._per_loop.get(loop)
        if client is None:
            assert self._url is not None
            client = aioredis.Redis.from_url(
                self._url,
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
            )
            self._per_loop[loop] = client
        return client

    async def call(
        self, client: aioredis.Redis, command: Callable[[aioredis.Redis], Awaitable[T]]
    ) -> T:
        """Run `command`, once more on a fresh connection if a pooled one had gone stale.

        After a Redis restart every idle pooled connection fails once; dropping them
        spares each later call that failure. The commands used here are safe to
        repeat (a repeated claim by the same token is still that token's claim).
        """
        try:
            return await command(client)
        except RedisConnectionError:
            await client.connection_pool.disconnect(inuse_connections=False)
            return await command(client)

    async def aclose(self) -> None:
        """Close the client this object created on the running loop."""
        if self._given is not None:
            return
        client = self._per_loop.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()

    def describe(self) -> str:
        return _safe_url(self._url) if self._url is not None else "<client>"


class _Script:
    """A Lua script run by its SHA1, loaded on first use (or after a server restart)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()

    async def __call__(self, client: aioredis.Redis, keys: list[str], args: list[Any]) -> Any:
        try:
            return await client.evalsha(self.sha, len(keys), *keys, *args)
        except NoScriptError:
            return await client.eval(self.source, len(keys), *keys, *args)


# A delivery claims an id that is neither done nor held, atomically.
_CLAIM = _Script("""
local state = redis.call('GET', KEYS[1])
if not state then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 'claimed'
end
if state == 'done' then
    return 'done'
end
if state == ARGV[1] then
    return 'claimed'
end
return 'held'
""")

# Only the claimant frees its claim: after its lease expired, the id may be someone else's.
_RELEASE = _Script("""
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
""")

# A live claimant extends its lease, only while the key still holds its token: once
# the lease lapsed the id may be another delivery's, whose claim must stand.
_RENEW = _Script("""
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
""")


class RedisEventStore:
    """An `EventStore` on Redis: each event's handlers run once across every worker.

    One key per event id (`{prefix}event:{id}`) holds either the claimant's token,
    expiring after `lease` seconds, or "done", expiring after `ttl` (Stripe's
    three-day retry horizon). Every operation is bounded by `timeout` seconds; a
    failure raises EventStoreError, which the receiver answers with 503.

    While the handlers run past the lease's reach, the router renews it every
    `lease / 3` seconds (`renew`), so a handler may outlast it; a worker that dies
    stops renewing and its claim lapses after at most `lease`. When a renewal finds
    the claim lost the router cancels the handlers, so that no redelivery overlaps
    them.
    """

    def __init__(
        self,
        redis: RedisSource,
        *,
        prefix: str = DEFAULT_PREFIX,
        lease: float = DEFAULT_LEASE,
        ttl: float = DEFAULT_TTL,
        timeout: float = 1.0,
    ) -> None:
        self.prefix = prefix
        self.lease = _positive("lease", lease)
        self.ttl = _positive("ttl", ttl)
        self.timeout = _positive("timeout", timeout)
        self._connection = _Connection(redis, self.timeout)

    def _key(self, event_id: str) -> str:
        return f"{self.prefix}event:{event_id}"

    async def _run(
        self, operation: str, event_id: str, call: Callable[[aioredis.Redis], Awaitable[Any]]
    ) -> Any:
        try:
            client = self._connection.client()
        except RuntimeError:
            raise EventStoreError(
                "RedisEventStore runs on asyncio only (redis-py's asyncio client)"
            ) from None
        try:
            with anyio.fail_after(self.timeout):
                return await self._connection.call(client, call)
        except _REDIS_FAILURES as exc:
            raise EventStoreError(
                f"Redis failed to {operation} event {event_id} ({type(exc).__name__}); "
                "it is not recorded as done and Stripe will retry it"
            ) from None

    async def claim(self, event_id: str, token: str) -> ClaimResult:
        lease_ms = max(1, int(self.lease * 1000))
        state = await self._run(
            "claim",
            event_id,
            lambda client: _CLAIM(client, [self._key(event_id)], [f"claim:{token}", lease_ms]),
        )
        text = state.decode() if isinstance(state, bytes) else str(state)
        if text not in ("claimed", "done", "held"):  # pragma: no cover - script contract
            raise EventStoreError(f"unexpected reply from the claim script: {text!r}")
        return text  # type: ignore[return-value]

    async def complete(self, event_id: str, token: str) -> None:
        ttl_ms = max(1, int(self.ttl * 1000))
        await self._run(
            "complete", event_id, lambda client: client.set(self._key(event_id), "done", px=ttl_ms)
        )

    async def release(self, event_id: str, token: str) -> None:
        await self._run(
            "release",
            event_id,
            lambda client: _RELEASE(client, [self._key(event_id)], [f"claim:{token}"]),
        )

    async def renew(self, event_id: str, token: str) -> bool:
        """Extend `token`'s claim on `event_id` by a full lease; False if it lapsed."""
        lease_ms = max(1, int(self.lease * 1000))
        renewed = await self._run(
            "renew",
            event_id,
            lambda client: _RENEW(client, [self._key(event_id)], [f"claim:{token}", lease_ms]),
        )
        return bool(renewed)

    async def is_processed(self, event_id: str) -> bool:
        """Whether `event_id` is recorded as done."""
        state = await self._run("read", event_id, lambda client: client.get(self._key(event_id)))
        return state in (b"done", "done")

    async def aclose(self) -> None:
        """Close the connections this store opened (not those of a client passed in)."""
        await self._connection.aclose()

    def __repr__(self) -> str:
        return (
            f"RedisEventStore({self._connection.describe()}, prefix={self.prefix!r}, "
            f"lease={self.lease!r}, ttl={self.ttl!r})"
        )


# Two phases, both on the Redis server's clock (microseconds).
#
# Pacing (GCRA): the TAT key holds the next free slot; a caller reserves it and
# sleeps until then, unless it lies beyond the horizon (then it comes back later).
# Slots are `interval` apart, so callers queue without polling Redis.
#
# Admission (a sliding log): a sleeper can wake late (a busy loop, a descheduled
# process) and arrive together with on-time callers, so a slot is only a turn to
# ask. The log admits a request only while fewer than `limit` were admitted in the
# last `log_window`; the request is sent right after. A caller whose slot is now
# does both in one call.
#
# Switching back after an outage: Redis never saw what the per-process fallbacks
# granted, and the processes notice its return at different moments. The first
# process back that used its fallback sets a switch time `settle` ahead (long
# enough for every other process to notice too); until then every caller is told
# to wait (state 3), and those that used a fallback keep using it. At the switch,
# the log is filled as if the whole budget had been used in the window before it,
# so Redis admits new requests only as fast as the fallbacks' grants age out.
_RATE = _Script("""
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local log_window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local recovery = redis.call('HMGET', KEYS[3], 'at', 'seeded')
local switch_at = tonumber(recovery[1])
if not switch_at and ARGV[5] == '1' then
    switch_at = now + tonumber(ARGV[6])
    redis.call('HSET', KEYS[3], 'at', string.format('%.0f', switch_at))
    redis.call('PEXPIRE', KEYS[3], math.floor((switch_at - now + 2 * log_window) / 1000) + 1000)
end
if switch_at then
    if now < switch_at then
        return {3, string.format('%.0f', switch_at - now)}
    end
    if not recovery[2] then
        redis.call('HSET', KEYS[3], 'seeded', '1')
        local step = log_window / limit
        for k = 1, limit do
            redis.call('ZADD', KEYS[2], string.format('%.0f', switch_at - log_window + k * step),
                       'fallback:' .. k .. ':' .. switch_at)
        end
        redis.call('PEXPIRE', KEYS[2], math.floor(log_window / 1000) + 1000)
    end
end
if ARGV[1] == 'reserve' then
    local interval = tonumber(ARGV[7])
    local horizon = tonumber(ARGV[8])
    local tat = tonumber(redis.call('GET', KEYS[1]))
    if not tat or tat < now then
        tat = now
    end
    local wait = tat - now
    if wait > horizon then
        return {0, string.format('%.0f', wait - horizon)}
    end
    local next_tat = tat + interval
    redis.call('SET', KEYS[1], string.format('%.0f', next_tat),
               'PX', math.floor((next_tat - now) / 1000) + 1000)
    if wait > 0 then
        return {1, string.format('%.0f', wait)}
    end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.0f', now - log_window))
if redis.call('ZCARD', KEYS[2]) < limit then
    redis.call('ZADD', KEYS[2], string.format('%.0f', now), ARGV[4])
    redis.call('PEXPIRE', KEYS[2], math.floor(log_window / 1000) + 1000)
    return {2, '0'}
end
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
return {1, string.format('%.0f', tonumber(oldest[2]) + log_window - now)}
""")

_RESERVED, _ADMITTED, _SWITCHING = 1, 2, 3
# Slots 1.08 s / rate apart, and the log counts 1.08 s: a request may reach Stripe
# up to 80 ms later than the ones admitted after it (a process waiting for a CPU,
# a new connection, the network) and still no 1-second window there holds more
# than the rate. Between processes on busy machines 50 ms proved too little.
_PACING_WINDOW = 1.08
_LOG_WINDOW = 1.08
# Slots are reserved at most this far ahead (beyond it a caller's own deadline
# would often cancel it first, wasting the slot).
_HORIZON = 1.0


class RedisRateLimit:
    """A rate-limit policy shared by every process using the same Redis.

    Pass it as `StripeClient(rate_limit=RedisRateLimit(url))`. Each API key gets
    one budget across all workers, split as Stripe counts it: reads and writes
    separately at 100/s in live mode and 25/s in test mode, search at 20/s
    (`rate=` and `search_rate=` override). Keys are stored hashed, never as is.

    Requests are paced 1.08 s / rate apart and admitted only while fewer than
    the rate were admitted in the last 1.08 s (both on the Redis server's clock):
    the headroom keeps any 1-second window at Stripe within the rate, for 7% of
    the budget.

    When Redis fails or answers slower than `timeout`, `on_redis_error="local"`
    (the default) logs one warning and falls back to a per-process limiter at
    `rate / workers` until Redis answers again (retried every `retry_after`
    seconds); `"fail"` raises RedisUnavailableError instead.
    """

    def __init__(
        self,
        redis: RedisSource,
        *,
        prefix: str = DEFAULT_PREFIX,
        rate: float | None = None,
        search_rate: float = SEARCH_RATE,
        timeout: float = 1.0,
        retry_after: float = 1.0,
        on_redis_error: Literal["local", "fail"] = "local",
        workers: int = 1,
    ) -> None:
        if on_redis_error not in ("local", "fail"):
            raise InvalidArgumentError('on_redis_error must be "local" or "fail"')
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise InvalidArgumentError("workers must be a positive int")
        self.prefix = prefix
        self.rate = None if rate is None else _positive("rate", rate)
        self.search_rate = _positive("search_rate", search_rate)
        self.timeout = _positive("timeout", timeout)
        self.retry_after = _positive("retry_after", retry_after)
        self.on_redis_error = on_redis_error
        self.workers = workers
        self._connection = _Connection(redis, self.timeout)
        self._down_until = 0.0
        self._degraded = False
        self._warned_not_asyncio = False

    def rates_for(self, api_key: str) -> dict[RequestBudget, float]:
        """Requests per second in each budget for `api_key`."""
        rate = default_rate(api_key) if self.rate is None else self.rate
        return {"read": rate, "write": rate, "search": min(rate, self.search_rate)}

    def limiter_for(self, api_key: str) -> _RedisLimiter:
        """The limiter of one client (one API key)."""
        return _RedisLimiter(self, api_key)

    async def aclose(self) -> None:
        """Close the connections this policy opened (not those of a client passed in)."""
        await self._connection.aclose()

    def _is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, exc: BaseException) -> None:
        self._down_until = time.monotonic() + self.retry_after
        if not self._degraded:
            self._degraded = True
            fallback = (
                "requests fail until it is back"
                if self.on_redis_error == "fail"
                else f"each process now limits itself to 1/{self.workers} of the budget"
            )
            logger.warning(
                "Redis rate limiter unavailable at %s (%s); %s",
                self._connection.describe(),
                type(exc).__name__,
                fallback,
            )

    def _succeeded(self) -> None:
        if self._degraded:
            self._degraded = False
            logger.warning("Redis rate limiter at %s is back", self._connection.describe())

    def __repr__(self) -> str:
        rate = "key-aware" if self.rate is None else f"{self.rate}/s"
        return (
            f"RedisRateLimit({self._connection.describe()}, rate={rate}, "
            f"on_redis_error={self.on_redis_error!r})"
        )


class _RedisLimiter:
    """One API key's budgets in Redis, with the per-process fallback."""

    def __init__(self, policy: RedisRateLimit, api_key: str) -> None:
        self._policy = policy
        rates = policy.rates_for(api_key)
        digest = hashlib.sha256(b"stripe-async rate budget\0" + api_key.encode()).hexdigest()
        # The braces are a Redis Cluster hash tag: a budget's two keys share a slot,
        # as a script touching both requires.
        base = f"{policy.prefix}rate:{{{digest[:32]}"
        self._keys = {
            b: [f"{base}:{b}}}", f"{base}:{b}}}:log", f"{base}:{b}}}:switch"] for b in rates
        }
        self._limits = {b: max(1, int(r)) for b, r in rates.items()}
        self._intervals = {b: round(_PACING_WINDOW * 1_000_000 / r) for b, r in rates.items()}
        # When this process last granted from its fallback, and until when Redis
        # (back after an outage) wants the fallbacks to keep going.
        self._last_fallback = dict.fromkeys(rates, float("-inf"))
        self._switch_at = dict.fromkeys(rates, float("-inf"))
        self._on_fallback = dict.fromkeys(rates, False)
        share = policy.workers
        self._fallback = RateLimiter(
            rates["read"] / share, rates["write"] / share, rates["search"] / share
        )

    async def acquire(self, *, method: str, path: str) -> None:
        """Wait for a slot in the shared budget this request draws from."""
        policy = self._policy
        budget = request_budget(method, path)
        try:
            client = policy._connection.client()
        except RuntimeError:
            if not policy._warned_not_asyncio:
                policy._warned_not_asyncio = True
                logger.warning(
                    "RedisRateLimit needs asyncio (redis-py); under this event loop each "
                    "process uses its own limiter"
                )
            await self._fallback.acquire(method=method, path=path)
            return
        keys = self._keys[budget]
        admit = ["admit", round(_LOG_WINDOW * 1_000_000), self._limits[budget], "", "0", 0]
        reserve = [*admit, self._intervals[budget], round(_HORIZON * 1_000_000)]
        reserve[0] = "reserve"
        args = reserve
        while True:
            if policy._is_down() or time.monotonic() < self._switch_at[budget]:
                if await self._degraded(method, path, budget):
                    return
                continue  # Redis is back and the switch is due: take a slot there
            args[3] = uuid.uuid4().hex  # the log's member: unique per admission
            # Coming back from the fallback: Redis must hold off until every process
            # has stopped granting from theirs.
            fell_back = time.monotonic() - self._last_fallback[budget] < _LOG_WINDOW
            args[4] = "1" if fell_back else "0"
            args[5] = round((policy.retry_after + policy.timeout) * 1_000_000)
            asked = time.monotonic()
            try:
                with anyio.fail_after(policy.timeout):
                    state, wait_us = await policy._connection.call(
                        client, functools.partial(_RATE, keys=keys, args=args)
                    )
            except _REDIS_FAILURES as exc:
                policy._failed(exc)
                if policy.on_redis_error == "fail":
                    raise _unavailable(exc) from None
                continue
            policy._succeeded()
            state = int(state)
            if state == _ADMITTED:
                self._on_fallback[budget] = False
                return
            wait = int(wait_us) / 1_000_000
            if state == _SWITCHING:
                # Counted from before the call, so this process stops early, not late.
                self._switch_at[budget] = asked + wait
                args = reserve
            elif state == _RESERVED:
                args = admit  # our turn comes after the sleep
                await anyio.sleep(wait)
            else:
                # Beyond the horizon: come back when the queue has moved, spread
                # out so that such waiters do not all return at once.
                await anyio.sleep(wait + random.uniform(0, 0.05))

    async def _degraded(self, method: str, path: str, budget: RequestBudget) -> bool:
        """A slot from the per-process fallback; False when Redis should grant it instead."""
        policy = self._policy
        switching = not policy._is_down()
        if policy.on_redis_error == "fail" and not switching:
            raise _unavailable(None)
        if switching and time.monotonic() - self._last_fallback[budget] >= _LOG_WINDOW:
            # Redis is back and this process granted nothing of its own lately:
            # it waits for the switch rather than adding fallback grants.
            await anyio.sleep(max(0.0, self._switch_at[budget] - time.monotonic()))
            return False
        if not self._on_fallback[budget]:
            # Taking over from Redis, whose grants of the last second still count.
            self._on_fallback[budget] = True
            self._fallback.hold_back(budget)
        await self._fallback.acquire(method=method, path=path)
        # Still no word that Redis is back, or told to keep going until the switch.
        if policy._degraded or time.monotonic() < self._switch_at[budget]:
            self._last_fallback[budget] = time.monotonic()
            return True
        return False  # the switch came while this caller waited: Redis decides
