"""Cost of the Redis extra: per request of RedisRateLimit, per delivery of RedisEventStore.

    uv run python benchmarks/redis_scaleout.py [--quick]

Starts a redis-server on 127.0.0.1 (no persistence), measures in one process and
prints one JSON object: client CPU time and wall latency (median and p99) per
operation, next to the per-process equivalents.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payloads import event


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    exe = shutil.which("redis-server")
    if exe is None:
        raise SystemExit("redis-server is not installed (Debian package redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    args = ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([exe, *args], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.02)
    raise SystemExit("redis-server did not start")


async def measure(op: Callable[[int], Awaitable[object]], n: int) -> dict[str, float]:
    """CPU microseconds per op (process time, so the server's share is excluded) and
    wall latency percentiles in microseconds, ops run one after another."""
    for i in range(min(200, n)):  # warm up connections, scripts and caches
        await op(-1 - i)
    latencies = []
    cpu_start = time.process_time()
    for i in range(n):
        started = time.perf_counter()
        await op(i)
        latencies.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu_start
    latencies.sort()
    return {
        "cpu_us": cpu / n * 1e6,
        "p50_us": statistics.median(latencies) * 1e6,
        "p99_us": latencies[int(n * 0.99) - 1] * 1e6,
    }


async def run(url: str, n: int) -> dict[str, Any]:
    from stripe_async._ratelimit import RateLimiter
    from stripe_async.redis import RedisEventStore, RedisRateLimit
    from stripe_async.webhooks import InMemoryEventStore, WebhookRouter
    from stripe_async.webhooks.events import parse_event

    # A budget far above the request rate: this measures the limiter's own cost.
    policy = RedisRateLimit(url, rate=1_000_000, prefix="bench:")
    redis_limiter = policy.limiter_for("sk_test_bench")
    local_limiter = RateLimiter(1_000_000, 1_000_000, 1_000_000)

    async def redis_acquire(i: int) -> None:
        await redis_limiter.acquire(method="POST", path="/v1/payment_intents")

    async def local_acquire(i: int) -> None:
        await local_limiter.acquire(method="POST", path="/v1/payment_intents")

    body = json.dumps(event())
    events = [parse_event(body.replace(event()["id"], f"evt_bench_{i}")) for i in range(-250, n)]
    store = RedisEventStore(url, prefix="bench:")
    redis_router = WebhookRouter("whsec_bench", store=store)
    memory_router = WebhookRouter("whsec_bench", store=InMemoryEventStore())
    for router in (redis_router, memory_router):
        router.add_handler("*", _noop)

    def deliver(router: WebhookRouter) -> Callable[[int], Awaitable[object]]:
        async def one(i: int) -> object:
            return await router.handle(events[i + 250])

        return one

    results = {
        "limiter_redis": await measure(redis_acquire, n),
        "limiter_local": await measure(local_acquire, n),
        "store_redis": await measure(deliver(redis_router), n),
        "store_memory": await measure(deliver(memory_router), n),
        "operations": n,
    }
    await policy.aclose()
    await store.aclose()
    return results


async def _noop(event: object) -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    process, url = start_redis()
    try:
        result = asyncio.run(run(url, 500 if args.quick else 5000))
    finally:
        process.kill()
        process.wait()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
