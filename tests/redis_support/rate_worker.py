"""One of the processes sharing API keys' budgets through RedisRateLimit.

argv: redis_url prefix base_url concurrency api_key... Prints "ready", waits for
a duration in seconds on stdin, then, for each key at once, lists customers with a
StripeClient whose base URL is `base_url/<n>` (n: the key's position) as fast as
the key's budget allows until the duration is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

from stripe_async import StripeClient
from stripe_async.redis import RedisRateLimit


async def main() -> None:
    redis_url, prefix, base_url, concurrency, *api_keys = sys.argv[1:]
    policy = RedisRateLimit(redis_url, prefix=prefix, workers=4)
    clients = [
        StripeClient(key, base_url=f"{base_url}/{n}", rate_limit=policy, max_retries=0)
        for n, key in enumerate(api_keys)
    ]
    # Connect to Redis and the server before the clock starts (another key's budget).
    async with StripeClient(
        "sk_test_warmup", base_url=f"{base_url}/warmup", rate_limit=policy
    ) as warm:
        await warm.customers.list()
    print("ready", flush=True)
    duration = float(await asyncio.to_thread(sys.stdin.readline))

    async def caller(client: StripeClient) -> None:
        while True:
            await client.customers.list()

    callers = [caller(client) for client in clients for _ in range(int(concurrency))]
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.gather(*callers), duration)
    for client in clients:
        await client.aclose()
    await policy.aclose()


asyncio.run(main())
