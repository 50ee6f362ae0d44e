"""`python -m stripe_async serve|emulator`: the webhook receiver or the Stripe emulator."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m stripe_async")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="run the webhook receiver and health endpoint under uvicorn"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    emulator = commands.add_parser("emulator", help="serve the in-process Stripe emulator")
    emulator.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; warns if not loopback)",
    )
    emulator.add_argument(
        "--port", type=int, default=12111, help="port to bind (default 12111, as stripe-mock)"
    )
    emulator.add_argument("--seed", type=int, default=None, help="deterministic ids and clock")
    emulator.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer requests whose Host is NAME too (repeatable; loopback names always)",
    )
    emulator.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let browser pages from ORIGIN (scheme://host[:port]) in, with CORS (repeatable)",
    )
    emulator.add_argument(
        "--allow-webhook-host",
        action="append",
        default=[],
        metavar="NAME",
        help="deliver webhooks to endpoints on host NAME too (repeatable; loopback always)",
    )
    emulator.add_argument(
        "--webhook-secret",
        default=None,
        metavar="WHSEC",
        help="sign every webhook delivery with this whsec_... secret (default: "
        "STRIPE_WEBHOOK_SECRET when set, else a random secret per endpoint)",
    )
    emulator.add_argument(
        "--payment-retry-days",
        default="3,5,7",
        metavar="DAYS",
        help="days between retries of a failed subscription payment, each after the "
        "previous attempt (default 3,5,7; empty: no retries)",
    )
    emulator.add_argument(
        "--after-final-failure",
        choices=("canceled", "unpaid", "past_due"),
        default="canceled",
        help="what a subscription becomes when its last payment retry fails",
    )
    emulator.add_argument(
        "--upcoming-renewal-days",
        type=int,
        default=3,
        metavar="DAYS",
        help="send invoice.upcoming this many days before a renewal (default 3)",
    )
    emulator.add_argument(
        "--webhook-retry-delays",
        default=None,
        metavar="SECONDS",
        help="seconds between webhook delivery attempts, comma-separated (default: 1, 2, "
        "4, 8, 16 and 32 hours; empty: no retries)",
    )
    emulator.add_argument(
        "--stripe-mock",
        action="store_true",
        help="answer statelessly as stripe-mock does: any id resolves, lists hold one object",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        from .webhooks.serve import run_serve

        return run_serve(args)
    from .testing.cli import run_emulator

    return run_emulator(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
