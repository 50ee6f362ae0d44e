"""The webhook worker the multi-process tests run under uvicorn, one process each.

Configured from the environment: WEBHOOK_SECRET, STORE_URL (the RedisEventStore),
EFFECTS_URL (a second Redis where handlers count their effects), PREFIX, LEASE,
SLOW_SECONDS (a handler to kill mid-run), SLOWER_SECONDS (one slower than the
lease that lives).
"""

from __future__ import annotations

import os

import anyio
import redis.asyncio as aioredis

from stripe_async.models import Event
from stripe_async.redis import RedisEventStore
from stripe_async.webhooks import WebhookRouter, create_app

router = WebhookRouter(
    os.environ["WEBHOOK_SECRET"],
    store=RedisEventStore(
        os.environ["STORE_URL"],
        prefix=os.environ["PREFIX"],
        lease=float(os.environ["LEASE"]),
        timeout=0.5,
    ),
)
effects = aioredis.Redis.from_url(os.environ["EFFECTS_URL"])


@router.on("*")
async def count_effect(event: Event) -> None:
    attempt = await effects.hincrby("started", event.id, 1)
    if event.type == "test.slow" and attempt == 1:  # a worker killed mid-handler
        await anyio.sleep(float(os.environ["SLOW_SECONDS"]))
    if event.type == "test.slower_than_lease" and attempt == 1:
        await anyio.sleep(float(os.environ["SLOWER_SECONDS"]))
    await effects.hincrby("effects", event.id, 1)


app = create_app(router)
