"""Client CPU time per `payment_intents.create`, one implementation per process.

    python benchmarks/http_clients.py IMPL --port PORT --concurrency C --calls N

IMPL is one of: stripe_async, stripe_async_aiohttp, stripe_python, httpx_bare,
aiohttp_bare.
Prints one JSON object: CPU microseconds per call (process time of this process
only; the server runs elsewhere) for each measured round, and wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payloads import CREATE_FORM

API_KEY = "sk_test_51BenchmarkKeyNotARealOne"
Call = Callable[[], Awaitable[Any]]
Closer = Callable[[], Awaitable[None]]


def stripe_async_client(base: str, transport: str) -> tuple[Call, Closer]:
    import httpx

    from stripe_async import StripeClient

    http_client = None
    if transport == "aiohttp":
        from httpx_aiohttp import AiohttpTransport

        http_client = httpx.AsyncClient(transport=AiohttpTransport())
    client = StripeClient(API_KEY, base_url=base, rate_limit=None, http_client=http_client)

    async def call() -> Any:
        pi = await client.payment_intents.create(
            amount=2000,
            currency="usd",
            automatic_payment_methods={"enabled": True},
            metadata={"order_id": "6735"},
        )
        assert pi.id
        return pi

    async def close() -> None:
        await client.aclose()
        if http_client is not None:
            await http_client.aclose()

    return call, close


def stripe_python_client(base: str) -> tuple[Call, Closer]:
    import stripe

    http_client = stripe.HTTPXClient()
    client = stripe.StripeClient(API_KEY, base_addresses={"api": base}, http_client=http_client)

    async def call() -> Any:
        pi = await client.v1.payment_intents.create_async(
            params={
                "amount": 2000,
                "currency": "usd",
                "automatic_payment_methods": {"enabled": True},
                "metadata": {"order_id": "6735"},
            }
        )
        assert pi.id
        return pi

    async def close() -> None:
        await http_client.close_async()

    return call, close


def httpx_bare_client(base: str) -> tuple[Call, Closer]:
    import httpx

    client = httpx.AsyncClient()
    url = base + "/v1/payment_intents"
    body = urlencode(CREATE_FORM).encode()
    headers = {
        "Authorization": f"Bearer {API_KEY}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Stripe-Version": "2026-10-28.endive",
    }

    async def call() -> Any:
        response = await client.post(
            url, content=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}
        )
        obj = response.json()
        assert obj["id"]
        return obj

    return call, client.aclose


def aiohttp_bare_client(base: str) -> tuple[Call, Closer]:
    """The floor on aiohttp: one ClientSession posting the same form, parsing the JSON."""
    import aiohttp

    session: aiohttp.ClientSession | None = None
    url = base + "/v1/payment_intents"
    body = urlencode(CREATE_FORM).encode()
    headers = {
        "Authorization": f"Bearer {API_KEY}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Stripe-Version": "2026-10-28.endive",
    }

    async def call() -> Any:
        nonlocal session
        if session is None:  # a session belongs to the running loop: made inside it
            session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))
        async with session.post(
            url, data=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}
        ) as response:
            obj = json.loads(await response.read())
        assert obj["id"]
        return obj

    async def close() -> None:
        if session is not None:
            await session.close()

    return call, close


def build(impl: str, base: str) -> tuple[Call, Closer]:
    if impl == "stripe_async":
        return stripe_async_client(base, "httpx")
    if impl == "stripe_async_aiohttp":
        return stripe_async_client(base, "aiohttp")
    if impl == "stripe_python":
        return stripe_python_client(base)
    if impl == "httpx_bare":
        return httpx_bare_client(base)
    if impl == "aiohttp_bare":
        return aiohttp_bare_client(base)
    raise SystemExit(f"unknown implementation {impl!r}")


async def run_calls(call: Call, calls: int, concurrency: int) -> None:
    remaining = iter(range(calls))

    async def worker() -> None:
        for _ in remaining:
            await call()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def measure(
    impl: str, port: int, concurrency: int, calls: int, rounds: int
) -> dict[str, Any]:
    call, close = build(impl, f"http://127.0.0.1:{port}")
    try:
        await run_calls(call, max(200, concurrency * 4), concurrency)  # warm up the pool
        cpu_us: list[float] = []
        wall_s: list[float] = []
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            await run_calls(call, calls, concurrency)
            cpu_us.append((time.process_time() - cpu) / calls * 1e6)
            wall_s.append(time.perf_counter() - wall)
    finally:
        await close()
    return {
        "impl": impl,
        "concurrency": concurrency,
        "calls": calls,
        "cpu_us_per_call": cpu_us,
        "wall_s": wall_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("impl")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result = asyncio.run(measure(args.impl, args.port, args.concurrency, args.calls, args.rounds))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
