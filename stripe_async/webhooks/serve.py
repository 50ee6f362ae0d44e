"""`python -m stripe_async serve`: the webhook receiver and health endpoint under uvicorn."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from typing import Any

from ..models import Event
from .asgi import WebhookApp, create_app
from .router import WebhookRouter
from .store import EventStore

__all__ = ["build_app", "run_serve", "uvicorn_config"]

logger = logging.getLogger("stripe_async.webhooks")

_NO_UVICORN = (
    "`serve` needs uvicorn, which is an optional extra: pip install 'stripe-async[server]'"
)

# The deadlines of a public receiver. Sockets: nothing received for IDLE_TIMEOUT after
# opening or after a reply, or a request head still incomplete HEADER_TIMEOUT after its
# first byte, and the socket is closed (webhooks.protocol). The body has the app's
# body_timeout (408). Deliveries handled at once are capped by the app
# (max_concurrent_deliveries: the excess gets 503 at once, health is never refused).
IDLE_TIMEOUT = 5.0
HEADER_TIMEOUT = 5.0
TIMEOUT_KEEP_ALIVE = 5
TIMEOUT_GRACEFUL_SHUTDOWN = 10


class ConfigError(Exception):
    """A setting `serve` needs is missing; the message says which and how to set it."""


async def _log_event(event: Event) -> None:
    logger.info("received stripe event %s (%s)", event.id, event.type)


def build_app() -> WebhookApp:
    """The receiver app `serve` runs, configured from the environment.

    STRIPE_API_KEY (and STRIPE_API_BASE, STRIPE_ACCOUNT) configure the client the
    health endpoint probes; STRIPE_WEBHOOK_SECRET, comma-separated during a
    rotation, verifies deliveries; REDIS_URL, when set, shares the event store
    between workers (`stripe_async.redis.RedisEventStore`, the `redis` extra).
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
    store = _redis_store(env.get("REDIS_URL"))
    try:
        router = WebhookRouter(secrets, store=store)
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


def _redis_store(url: str | None) -> EventStore | None:
    if not url:
        return None
    try:
        from ..redis import RedisEventStore
    except ImportError:
        raise ConfigError(
            "REDIS_URL is set but redis-py is missing: pip install 'stripe-async[redis]'"
        ) from None
    try:
        return RedisEventStore(url)
    except ValueError as exc:
        raise ConfigError(f"REDIS_URL: {exc}") from None


def uvicorn_config(app: Any, *, host: str, port: int, **overrides: Any) -> Any:
    """The `uvicorn.Config` `serve` runs `app` with: connection deadlines, httptools when
    installed, no websockets. `overrides` are passed on to `uvicorn.Config`."""
    import uvicorn

    from .protocol import deadline_protocol, uvicorn_http_protocol

    inner = uvicorn_http_protocol()
    if inner.__name__ == "H11Protocol":
        logger.warning(
            "httptools is not installed: a body in many tiny chunks can hold the event "
            "loop for seconds under h11; pip install 'stripe-async[server]'"
        )
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "lifespan": "on",
        "http": deadline_protocol(
            idle_timeout=IDLE_TIMEOUT, header_timeout=HEADER_TIMEOUT, inner_class=inner
        ),
        "ws": "none",
        # No limit_concurrency: uvicorn counts open connections against it, so a burst or
        # a few hundred idle sockets turned every request, health included, into 503.
        # The deadlines bound how long a socket is held; the app caps deliveries.
        "timeout_keep_alive": TIMEOUT_KEEP_ALIVE,
        "timeout_graceful_shutdown": TIMEOUT_GRACEFUL_SHUTDOWN,
    }
    settings.update(overrides)
    return uvicorn.Config(app, **settings)


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
    config = uvicorn_config(app, host=args.host, port=args.port)
    # uvicorn re-raises Ctrl+C after its graceful shutdown; that is a normal exit.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run()
    return 0
