"""One of the processes sharing an API key's budget through RedisRateLimit.

argv: redis_url prefix base_url concurrency api_key... Prints "ready", waits for
a duration in seconds on stdin, then, for each key at once, sends GET /<n>/... (n:
the key's position) as fast as the key's budget allows until the duration is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

import httpx

from stripe_async.redis import RedisRateLimit


async def main() -> None:
    redis_url, prefix, base_url, concurrency, *api_keys = sys.argv[1:]
    policy = RedisRateLimit(redis_url, prefix=prefix, workers=4)
    limiters = [policy.limiter_for(key) for key in api_keys]
    async with httpx.AsyncClient(base_url=base_url) as http:
        # Connect to Redis and the server before the clock starts (another key's budget).
        await policy.limiter_for("sk_test_warmup").acquire(method="GET", path="/warmup")
        await http.get("/warmup")
        print("ready", flush=True)
        duration = float(await asyncio.to_thread(sys.stdin.readline))

        async def caller(n: int) -> None:
            while True:
                await limiters[n].acquire(method="GET", path="/v1/customers")
                await http.get(f"/{n}/v1/customers")

        callers = [caller(n) for n in range(len(limiters)) for _ in range(int(concurrency))]
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.gather(*callers), duration)
    await policy.aclose()


asyncio.run(main())
