"""`python -m stripe_async emulator`: serve the emulator on a loopback port under uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from .emulator import StripeEmulator

_LOOPBACK_NAMES = ("localhost",)


def _is_loopback_host(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_emulator(args: argparse.Namespace) -> int:
    """Serve a fresh emulator until interrupted; returns the process exit code."""
    if not _is_loopback_host(args.host):
        print(
            f"Refusing to serve the Stripe emulator on {args.host}: it answers any sk_test_ key "
            "and is meant for this machine only. Use --host 127.0.0.1.",
            file=sys.stderr,
        )
        return 2
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - uvicorn ships with the [server] extra
        print(
            "The emulator server needs uvicorn: pip install 'stripe-async[server]'",
            file=sys.stderr,
        )
        return 1
    emulator = StripeEmulator(seed=args.seed)
    mode = f"seed {args.seed}, frozen clock" if args.seed is not None else "random ids, real clock"
    print(
        f"Stripe emulator (test mode, {mode}) on http://{args.host}:{args.port}\n"
        f"  export STRIPE_API_BASE=http://{args.host}:{args.port} STRIPE_API_KEY=sk_test_emulator\n"
        f"  curl http://{args.host}:{args.port}/v1/customers -u sk_test_emulator: "
        "-d email=jenny@example.com",
        flush=True,
    )
    uvicorn.run(emulator, host=args.host, port=args.port, log_level="info", lifespan="on")
    return 0
