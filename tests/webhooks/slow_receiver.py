"""A receiver whose handler is slow, run under serve's uvicorn settings in its own process.

Usage: python slow_receiver.py PORT MAX_CONCURRENT_DELIVERIES HANDLER_SECONDS
"""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from webhook_helpers import SECRET

from stripe_async import API_VERSION, HealthStatus
from stripe_async.models import Event
from stripe_async.webhooks import WebhookRouter, create_app
from stripe_async.webhooks.serve import uvicorn_config


class Healthy:
    async def health_check(self) -> HealthStatus:
        return HealthStatus(status="ok", latency_ms=1.0, api_version=API_VERSION)


def main() -> None:
    port, cap, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    router = WebhookRouter(SECRET)

    async def slow(event: Event) -> None:
        await asyncio.sleep(seconds)

    router.add_handler("*", slow)
    app = create_app(router, client=Healthy(), max_concurrent_deliveries=cap)
    uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=port, log_level="error")).run()


if __name__ == "__main__":
    main()
