"""`python -m stripe_async serve`: the webhook receiver and health endpoint under uvicorn."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys

from ..models import Event
from .asgi import WebhookApp, create_app
from .router import WebhookRouter

__all__ = ["build_app", "run_serve"]

logger = logging.getLogger("stripe_async.webhooks")

_NO_UVICORN = (
    "`serve` needs uvicorn, which is an optional extra: pip install 'stripe-async[server]'"
)


class ConfigError(Exception):
    """A setting `serve` needs is missing; the message says which and how to set it."""


async def _log_event(event: Event) -> None:
    logger.info("received stripe event %s (%s)", event.id, event.type)


def build_app() -> WebhookApp:
    """The receiver app `serve` runs, configured from the environment.

    STRIPE_API_KEY (and STRIPE_API_BASE, STRIPE_ACCOUNT) configure the client the
    health endpoint probes; STRIPE_WEBHOOK_SECRET, comma-separated during a
    rotation, verifies deliveries.
    """
    env = os.environ
    missing = [name for name in ("STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET") if not env.get(name)]
    if missing:
        raise ConfigError(
            f"missing environment variable(s): {', '.join(missing)}. Set STRIPE_API_KEY to "
            "your secret key and STRIPE_WEBHOOK_SECRET to the endpoint's signing secret "
            "(whsec_..., from the Dashboard or `stripe listen`)."
        )
    secrets = [s.strip() for s in env["STRIPE_WEBHOOK_SECRET"].split(",") if s.strip()]
    try:
        router = WebhookRouter(secrets)
    except ValueError as exc:
        raise ConfigError(f"STRIPE_WEBHOOK_SECRET: {exc}") from None
    # Imported here so that the rest of the webhooks package never loads httpx.
    from ..client import StripeClient

    try:
        client = StripeClient.from_env()
    except Exception as exc:
        raise ConfigError(f"cannot build the Stripe client: {exc}") from None
    router.add_handler("*", _log_event)
    return create_app(router, client=client, close_client=True)


def run_serve(args: argparse.Namespace) -> int:
    """Run the receiver until interrupted; return the process exit status."""
    try:
        import uvicorn
    except ImportError:
        print(f"error: {_NO_UVICORN}", file=sys.stderr)
        return 2
    try:
        app = build_app()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config = uvicorn.Config(app, host=args.host, port=args.port, lifespan="on")
    # uvicorn re-raises Ctrl+C after its graceful shutdown; that is a normal exit.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run()
    return 0
