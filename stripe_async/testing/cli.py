"""`python -m stripe_async emulator`: serve the emulator on a loopback port under uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._front import LocalFront
from ._loopback import is_loopback_host
from .emulator import StripeEmulator


def _numbers(value: str | None, flag: str) -> tuple[int, ...] | None:
    if value is None:
        return None
    try:
        return tuple(int(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"{flag}: a comma-separated list of whole numbers") from None


def emulator_from_args(args: argparse.Namespace, webhook_hosts: list[str]) -> StripeEmulator:
    """The served emulator the command line asks for (ValueError naming a bad flag)."""
    settings: dict[str, Any] = {}
    retry_days = _numbers(getattr(args, "payment_retry_days", None), "--payment-retry-days")
    if retry_days is not None:
        settings["payment_retry_days"] = retry_days
    delays = _numbers(getattr(args, "webhook_retry_delays", None), "--webhook-retry-delays")
    if delays is not None:
        settings["webhook_retry_delays"] = delays
    return StripeEmulator(
        seed=args.seed,
        webhook_hosts=webhook_hosts,
        check_webhook_urls=True,
        webhook_secret=getattr(args, "webhook_secret", None),
        stripe_mock=bool(getattr(args, "stripe_mock", False)),
        after_final_failure=getattr(args, "after_final_failure", "canceled"),
        upcoming_renewal_days=getattr(args, "upcoming_renewal_days", 3),
        **settings,
    )


def run_emulator(args: argparse.Namespace) -> int:
    """Serve a fresh emulator until interrupted; returns the process exit code."""
    allowed_hosts: list[str] = getattr(args, "allow_host", None) or []
    allowed_origins: list[str] = getattr(args, "allow_origin", None) or []
    webhook_hosts: list[str] = getattr(args, "allow_webhook_host", None) or []
    if not is_loopback_host(args.host):
        print(
            f"Warning: serving the Stripe emulator on {args.host}, not a loopback address. "
            "It answers any sk_test_ key; requests must still name a loopback Host unless "
            "--allow-host names theirs.",
            file=sys.stderr,
        )
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - uvicorn ships with the [server] extra
        print(
            "The emulator server needs uvicorn: pip install 'stripe-async[server]'",
            file=sys.stderr,
        )
        return 1
    try:
        emulator = emulator_from_args(args, webhook_hosts)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        app = LocalFront(emulator, allowed_hosts=allowed_hosts, allowed_origins=allowed_origins)
    except ValueError as exc:
        print(f"--allow-origin: {exc}", file=sys.stderr)
        return 2
    mode = f"seed {args.seed}, frozen clock" if args.seed is not None else "random ids, real clock"
    if emulator.stripe_mock:
        mode += ", stateless as stripe-mock"
    if emulator.fixed_webhook_secret is not None:
        mode += ", one webhook signing secret for every endpoint"
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"Stripe emulator (test mode, {mode}) on http://{shown}:{args.port}\n"
        f"  export STRIPE_API_BASE=http://{shown}:{args.port} STRIPE_API_KEY=sk_test_emulator\n"
        f"  curl http://{shown}:{args.port}/v1/customers -u sk_test_emulator: "
        "-d email=jenny@example.com",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", lifespan="on")
    return 0
