"""Micro-benchmarks, one per process: `python benchmarks/micro.py NAME [--port P]`.

NAME is one of: verify, construct_event, list_parse, import, webhooks_import, first_call,
limiter, limiter_server, paging, card_guard.
Each prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payloads import customer_page, dumps, event, payment_intent

SECRET = "whsec_test_benchmark_secret_0123456789abcdef"


def per_call_us(fn: Callable[[], object], *, target_s: float = 0.3, repeat: int = 5) -> float:
    """Best-of-`repeat` time per call, in microseconds, with enough calls per timing."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * target_s / 0.2))
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def signed_event() -> tuple[bytes, str]:
    from stripe_async.webhooks import generate_test_header

    payload = json.dumps(event(), indent=2).encode()  # Stripe sends pretty-printed JSON
    return payload, generate_test_header(payload, SECRET)


def bench_verify() -> dict[str, Any]:
    from stripe_async.webhooks import verify_signature

    payload, header = signed_event()
    timestamp = int(header.split(",")[0][2:])
    signature = header.split("v1=")[1]
    key = SECRET.encode()

    def bare() -> None:
        signed = str(timestamp).encode() + b"." + payload
        expected = hmac.new(key, signed, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(expected, signature)

    return {
        "payload_bytes": len(payload),
        "stripe_async_us": per_call_us(lambda: verify_signature(payload, header, SECRET)),
        "bare_hmac_us": per_call_us(bare),
    }


def bench_construct_event() -> dict[str, Any]:
    import stripe

    payload, header = signed_event()
    result: dict[str, Any] = {
        "payload_bytes": len(payload),
        "stripe_python_us": per_call_us(
            lambda: stripe.Webhook.construct_event(payload, header, SECRET)
        ),
    }
    try:
        from stripe_async.webhooks import construct_event  # type: ignore[attr-defined]
    except ImportError:
        result["stripe_async_us"] = None
        result["note"] = "stripe_async.webhooks.construct_event is not available in this build"
        return result
    evt = construct_event(payload, header, SECRET)
    assert evt.type == "payment_intent.succeeded"
    result["stripe_async_us"] = per_call_us(lambda: construct_event(payload, header, SECRET))
    return result


def bench_list_parse() -> dict[str, Any]:
    from stripe._util import convert_to_stripe_object

    from stripe_async.models import Customer, ListObject

    body = dumps(customer_page(0, per_page=100))
    model = ListObject[Customer]
    page = model.model_validate_json(body)
    assert len(page.data) == 100 and page.data[0].email
    theirs = convert_to_stripe_object(json.loads(body), "sk_test_x")
    assert len(theirs.data) == 100
    return {
        "page_bytes": len(body),
        "stripe_async_us": per_call_us(lambda: model.model_validate_json(body)),
        "stripe_python_us": per_call_us(
            lambda: convert_to_stripe_object(json.loads(body), "sk_test_x"), repeat=3
        ),
    }


# CPU time (user + system) is what an import costs; on a shared machine it is also far
# steadier than wall time, which waits for the other processes.
_IMPORT_PROBE = """
import resource, sys, time
t = time.process_time()
{code}
elapsed = time.process_time() - t
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "httpx" in sys.modules)
"""

#: (label, statements): each runs in a fresh process, best of 5 for time and peak RSS.
IMPORT_PROBES = [
    ("python", "pass"),
    (
        "floor: import httpx, pydantic, anyio, backoff",
        "import httpx, pydantic, anyio, backoff",
    ),
    ("floor: from pydantic import BaseModel", "from pydantic import BaseModel"),
    ("stripe_async", "import stripe_async"),
    ("stripe_async_webhooks", "import stripe_async.webhooks"),
    (
        "from stripe_async.webhooks import WebhookRouter, construct_event",
        "from stripe_async.webhooks import WebhookRouter, construct_event",
    ),
    (
        "from stripe_async import StripeClient + a client",
        "from stripe_async import StripeClient\nclient = StripeClient('sk_test_bench')",
    ),
    ("stripe_python", "import stripe"),
    ("import stripe + a client", "import stripe\nclient = stripe.StripeClient('sk_test_bench')"),
]


def _import_once(code: str) -> tuple[float, int, bool]:
    out = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE.format(code=code)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1]), out[2] == "True"


def bench_import(rounds: int = 9) -> dict[str, Any]:
    # Rounds interleave the probes, so a burst of load on the machine hits them all alike.
    runs: dict[str, list[tuple[float, int, bool]]] = {label: [] for label, _ in IMPORT_PROBES}
    for _ in range(rounds):
        for label, code in IMPORT_PROBES:
            runs[label].append(_import_once(code))
    result: dict[str, Any] = {}
    for label, measured in runs.items():
        result[label] = {
            "import_ms": min(r[0] for r in measured) * 1000,
            "peak_rss_mb": min(r[1] for r in measured) / 1024,
            "imports_httpx": measured[0][2],
        }
    return result


_FIRST_CALL_PROBE = """
import asyncio, json, time
import httpx
from stripe_async import StripeClient

BODY = json.dumps({"id": "cs_1", "object": "checkout.session", "mode": "payment",
                   "status": "open", "url": "https://checkout.stripe.com/c/pay/cs_1"})

async def main():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=BODY))
    client = StripeClient("sk_test_bench", transport=transport, rate_limit=None)
    await client.balance.retrieve()  # builds the pool: not what is measured here
    times = []
    for _ in range(3):
        t = time.process_time()
        await client.checkout.sessions.create(mode="payment", success_url="https://x.test")
        times.append(time.process_time() - t)
    print(json.dumps({"first_ms": times[0] * 1000, "second_ms": min(times[1:]) * 1000}))

asyncio.run(main())
"""


def bench_first_call() -> dict[str, Any]:
    """A method's first call (imports its service, builds its model) against its second.

    CPU time, like the imports: the cost is ours, not the machine's other load.
    """
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_CALL_PROBE], check=True, capture_output=True, text=True
        ).stdout
        runs.append(json.loads(out))
    best = min(runs, key=lambda r: r["first_ms"] - r["second_ms"])
    return {"first_ms": best["first_ms"], "second_ms": best["second_ms"]}


_STATEMENT_PROBE = """
import time
t = time.perf_counter()
{statement}
print(time.perf_counter() - t)
"""


def _statement_ms(statement: str, runs: int = 5) -> float:
    """Best-of-`runs` time of `statement` in a fresh process, in milliseconds."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _STATEMENT_PROBE.format(statement=statement)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times.append(float(out.split()[0]) * 1000)
    return min(times)


def bench_webhooks_import() -> dict[str, Any]:
    """A verifier-only receiver's import, against pydantic's own (its floor)."""
    return {
        "pydantic_ms": _statement_ms("from pydantic import BaseModel"),
        "webhooks_ms": _statement_ms(
            "from stripe_async.webhooks import WebhookRouter, construct_event"
        ),
    }


def busiest_window(times: list[float], width: float = 1.0) -> int:
    """Most events in any half-open window [t, t + width)."""
    best = start = 0
    for end, t in enumerate(times):
        while times[start] <= t - width:
            start += 1
        best = max(best, end - start + 1)
    return best


async def _limiter(calls: int, rate: float) -> dict[str, Any]:
    import httpx

    from stripe_async import StripeClient

    sent: list[float] = []
    body = dumps(payment_intent())

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        return httpx.Response(200, content=body)

    async with StripeClient(
        "sk_test_limiter", transport=httpx.MockTransport(reply), rate_limit=rate
    ) as client:
        # Every call is issued at once: the limiter alone spaces them out.
        await asyncio.gather(
            *(client.payment_intents.create(amount=100, currency="usd") for _ in range(calls))
        )
    sent.sort()
    return {
        "rate_limit": rate,
        "calls": calls,
        "achieved_per_s": (len(sent) - 1) / (sent[-1] - sent[0]),
        "busiest_1s_window": busiest_window(sent),
        "wall_s": sent[-1] - sent[0],
    }


async def _limiter_at_server(
    port: int, rate: float, callers: int, seconds: float
) -> dict[str, Any]:
    """Callers hammering GET /v1/balance for `seconds`; windows counted at the server."""
    import anyio
    import httpx

    from stripe_async import LocalRateLimit, StripeClient

    base = f"http://127.0.0.1:{port}"
    # A policy of its own, so that no earlier run's budget carries over.
    policy = LocalRateLimit(rate)
    async with StripeClient("sk_test_limiter", base_url=base, rate_limit=policy) as client:

        async def hammer() -> None:
            while True:
                await client.balance.retrieve()

        with anyio.move_on_after(seconds):
            async with anyio.create_task_group() as tg:
                for _ in range(callers):
                    tg.start_soon(hammer)
    async with httpx.AsyncClient() as plain:
        arrivals = sorted((await plain.get(f"{base}/bench/arrivals")).json())
    first = arrivals[0]
    return {
        "rate_limit": rate,
        "callers": callers,
        "busiest_1s_window": busiest_window(arrivals),
        "achieved_per_s": sum(t < first + seconds for t in arrivals) / seconds,
    }


def bench_limiter_at_server(port: int) -> dict[str, Any]:
    return {
        f"rate{int(rate)}": asyncio.run(_limiter_at_server(port, rate, 500, 3.0))
        for rate in (25.0, 100.0)
    }


async def _paging(port: int, prefetch: bool, work_per_page_s: float) -> float:
    from stripe_async import StripeClient

    async with StripeClient(
        "sk_test_paging", base_url=f"http://127.0.0.1:{port}", rate_limit=None
    ) as client:
        pager = client.customers.list(limit=100)
        pager.prefetch = prefetch
        started = time.perf_counter()
        count = 0
        async for _ in pager:
            count += 1
            if work_per_page_s and count % 100 == 0:
                await asyncio.sleep(work_per_page_s)  # the caller's own I/O per page
        elapsed = time.perf_counter() - started
    assert count == 2000, count
    return elapsed


def bench_paging(port: int) -> dict[str, Any]:
    result: dict[str, Any] = {"pages": 20, "latency_s": 0.05}
    for work in (0.0, 0.05):
        for prefetch in (False, True):
            runs = [asyncio.run(_paging(port, prefetch, work)) for _ in range(3)]
            key = f"{'prefetch' if prefetch else 'no_prefetch'}_work{int(work * 1000)}ms_s"
            result[key] = min(runs)
    return result


def bench_card_guard() -> dict[str, Any]:
    """The raw-card-data guard's cost on a payment_intents.create, beside its encoding."""
    from stripe_async._encoding import encode_pairs, form_from_pairs
    from stripe_async._pci import check_request

    params = {
        "amount": 2000,
        "currency": "usd",
        "automatic_payment_methods": {"enabled": True},
        "customer": "cus_NffrFeUfNV2Hib",
        "description": "Order #1042 for Jenny Rosen",
        "receipt_email": "jenny.rosen@example.com",
        "metadata": {
            "order_id": "6735",
            "cart": "f47ac10b-58cc-4372-a567-0e02b2c3d479",
            "created": "1700000000",
            "sku": "SKU-123-ABC",
        },
    }
    headers = [("Stripe-Version", "2026-10-28.endive"), ("Idempotency-Key", "order-1042-1")]

    pairs = list(encode_pairs(params))
    # Timed apart: the guard is a few percent of the encoding, below the noise of a
    # difference between two timings.
    return {
        "encode_us": per_call_us(lambda: form_from_pairs(encode_pairs(params)).encode("ascii")),
        "guard_us": per_call_us(lambda: check_request(pairs, "/v1/payment_intents", headers)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("name")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    if args.name == "verify":
        result = bench_verify()
    elif args.name == "construct_event":
        result = bench_construct_event()
    elif args.name == "list_parse":
        result = bench_list_parse()
    elif args.name == "import":
        result = bench_import()
    elif args.name == "first_call":
        result = bench_first_call()
    elif args.name == "webhooks_import":
        result = bench_webhooks_import()
    elif args.name == "limiter":
        result = asyncio.run(_limiter(args.calls, 100.0))
    elif args.name == "limiter_server":
        result = bench_limiter_at_server(args.port)
    elif args.name == "paging":
        result = bench_paging(args.port)
    elif args.name == "card_guard":
        result = bench_card_guard()
    else:
        raise SystemExit(f"unknown benchmark {args.name!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
