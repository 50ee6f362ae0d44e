"""Receive signed webhook events: `create_app` served by uvicorn, with the emulator (or
Stripe, through `stripe listen`) delivering real signed events to it.

    uv run python examples/webhook_receiver.py

Without STRIPE_API_KEY: an in-process emulator registers a webhook endpoint pointing at
this server on a loopback port, then takes a payment; its signed events arrive over HTTP.
With STRIPE_API_KEY=sk_test_... and STRIPE_WEBHOOK_SECRET from
`stripe listen --forward-to localhost:8000/webhooks/stripe`, the same receiver listens on
port 8000 and waits for Stripe's events for the payment it makes.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys

import uvicorn
from _common import client_from_env, run_example  # examples/ is on sys.path when a script runs

from stripe_async import StripeClient
from stripe_async.models import Event, PaymentIntent
from stripe_async.webhooks import WebhookRouter, create_app

EXPECTED = {"customer.created", "payment_intent.created", "payment_intent.succeeded"}


def loopback_socket(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    return sock


def build_router(secret: str, received: asyncio.Queue[Event]) -> WebhookRouter:
    router = WebhookRouter(secret)

    @router.on("payment_intent.succeeded")
    async def fulfil(event: Event) -> None:
        intent = event.data.object
        if isinstance(intent, PaymentIntent):
            print(f"   fulfil order for {intent.id}: {intent.amount} {intent.currency}")

    @router.on("*")
    async def record(event: Event) -> None:
        print(f"   <- {event.type} ({event.id}), signature verified")
        await received.put(event)

    return router


async def serve_until(
    stripe: StripeClient, sock: socket.socket, secret: str, timeout: float
) -> set[str]:
    received: asyncio.Queue[Event] = asyncio.Queue()
    app = create_app(build_router(secret, received), client=stripe)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.01)
    seen: set[str] = set()
    try:
        customer = await stripe.customers.create(email="hooks@example.com")
        intent = await stripe.payment_intents.create(
            amount=4200,
            currency="usd",
            customer=customer.id,
            payment_method="pm_card_visa",
            confirm=True,
            automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
        )
        print(f"2. payment {intent.id}: {intent.status}; waiting for its events")
        deadline = asyncio.get_running_loop().time() + timeout
        while not seen >= EXPECTED:
            remaining = deadline - asyncio.get_running_loop().time()
            seen.add((await asyncio.wait_for(received.get(), max(remaining, 0))).type)
    except asyncio.TimeoutError:
        print(f"timed out; missing {sorted(EXPECTED - seen)}", file=sys.stderr)
    finally:
        server.should_exit = True
        await serving
    return seen


async def main() -> int:
    async with client_from_env() as stripe:
        if stripe.emulator is not None:
            sock = loopback_socket()
            port = sock.getsockname()[1]
            endpoint = await stripe.webhook_endpoints.create(
                url=f"http://127.0.0.1:{port}/webhooks/stripe", enabled_events=["*"]
            )
            secret = endpoint.secret or ""
            print(f"1. webhook endpoint {endpoint.id} -> http://127.0.0.1:{port}/webhooks/stripe")
            timeout = 10.0
        else:
            secret = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
            if not secret:
                print(
                    "Set STRIPE_WEBHOOK_SECRET to the secret printed by "
                    "`stripe listen --forward-to localhost:8000/webhooks/stripe`."
                )
                return 0
            sock = loopback_socket(8000)
            print("1. listening on http://127.0.0.1:8000/webhooks/stripe (stripe listen)")
            timeout = 60.0
        seen = await serve_until(stripe, sock, secret, timeout)
    if not seen >= EXPECTED:
        return 1
    print("succeeded")
    return 0


if __name__ == "__main__":
    run_example(main)
