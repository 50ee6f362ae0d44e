"""Checkout with Stripe.js and the Payment Element; our server only creates the PaymentIntent.

    uv run python examples/checkout/server.py          # then open http://127.0.0.1:4242

The browser loads Stripe.js, mounts the Payment Element with the intent's
client_secret and confirms with `stripe.confirmPayment`: card details go from the
browser straight to Stripe and never reach this server (PCI SAQ A).

Environment:
    STRIPE_API_KEY           sk_test_... (no key: the in-process emulator; see README.md)
    STRIPE_PUBLISHABLE_KEY   pk_test_... for the page (without it the page cannot pay)
    STRIPE_API_BASE          another API base URL (a local fake Stripe), optional
    STRIPE_JS_URL            where the page loads Stripe.js (default https://js.stripe.com/v3/)
    HOST, PORT               where to listen (default 127.0.0.1:4242)
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from stripe_async import StripeClient, StripeError

STATIC = Path(__file__).with_name("static")
DEFAULT_STRIPE_JS_URL = "https://js.stripe.com/v3/"

# Prices live on the server: the page says what it wants, never what it costs.
CATALOG = {"tshirt": ("T-shirt", 1999), "mug": ("Mug", 1200)}
CURRENCY = "usd"
MAX_QUANTITY = 10

logger = logging.getLogger("checkout")


class OrderError(ValueError):
    """The page asked for something we do not sell."""


def order_amount(items: object) -> int:
    """Total in cents for `[{"id": "tshirt", "quantity": 1}, ...]`, from the catalog."""
    if not isinstance(items, list) or not items:
        raise OrderError("items must be a non-empty list")
    total = 0
    for item in items:
        if not isinstance(item, dict) or item.get("id") not in CATALOG:
            raise OrderError("unknown item")
        quantity = item.get("quantity", 1)
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise OrderError("quantity must be an integer")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise OrderError(f"quantity must be between 1 and {MAX_QUANTITY}")
        total += CATALOG[item["id"]][1] * quantity
    return total


def create_app(
    stripe: StripeClient,
    *,
    publishable_key: str | None,
    stripe_js_url: str = DEFAULT_STRIPE_JS_URL,
) -> Starlette:
    """The checkout app; `stripe` is used only to create PaymentIntents."""
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    page = template.replace("{{ stripe_js_url }}", html.escape(stripe_js_url)).replace(
        "{{ publishable_key }}", html.escape(publishable_key or "")
    )

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page)

    async def complete(request: Request) -> HTMLResponse:
        # Stripe redirects here only for payment methods that need a redirect.
        return HTMLResponse((STATIC / "complete.html").read_text(encoding="utf-8"))

    async def create_payment_intent(request: Request) -> JSONResponse:
        try:
            body: Any = json.loads(await request.body() or b"{}")
            amount = order_amount(body.get("items") if isinstance(body, dict) else None)
        except (ValueError, OrderError) as exc:
            return JSONResponse({"error": {"message": f"Bad order: {exc}"}}, status_code=400)
        try:
            # Since API version 2023-08-16 Stripe enables automatic payment methods
            # by default, which is what the Payment Element wants.
            intent = await stripe.payment_intents.create(
                amount=amount, currency=CURRENCY, metadata={"source": "checkout-example"}
            )
        except StripeError as exc:
            logger.error("Creating the PaymentIntent failed: %s", exc)  # redacted by the SDK
            return JSONResponse(
                {"error": {"message": "Could not start the payment; please try again."}},
                status_code=502,
            )
        return JSONResponse({"clientSecret": intent.client_secret})

    return Starlette(
        routes=[
            Route("/", index),
            Route("/complete", complete),
            Route("/create-payment-intent", create_payment_intent, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
    )


def client_from_env() -> StripeClient:
    """Stripe test mode with STRIPE_API_KEY, else the in-process emulator."""
    key = os.environ.get("STRIPE_API_KEY")
    if not key:
        print("No STRIPE_API_KEY: creating PaymentIntents in the in-process emulator.")
        return StripeClient.for_emulator()
    if key.startswith(("sk_live_", "rk_live_")):
        raise SystemExit("This example runs in test mode only: use an sk_test_ key.")
    return StripeClient.from_env()


async def serve(host: str, port: int) -> None:
    publishable_key = os.environ.get("STRIPE_PUBLISHABLE_KEY") or None
    if publishable_key is not None and not publishable_key.startswith("pk_"):
        raise SystemExit("STRIPE_PUBLISHABLE_KEY must be a publishable key (pk_test_...).")
    if publishable_key is None:
        print("No STRIPE_PUBLISHABLE_KEY: the page will load but cannot take a payment.")
    async with client_from_env() as stripe:
        app = create_app(
            stripe,
            publishable_key=publishable_key,
            stripe_js_url=os.environ.get("STRIPE_JS_URL") or DEFAULT_STRIPE_JS_URL,
        )
        print(f"Checkout on http://{host}:{port}", flush=True)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning")
        await uvicorn.Server(config).serve()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "4242"))
    try:
        asyncio.run(serve(host, port))
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
