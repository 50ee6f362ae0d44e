"""Shared start-up for the example scripts: Stripe test mode with a key, the emulator without.

The examples move money, so they refuse live keys: they are for test mode only.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from stripe_async import StripeClient, StripeError

if TYPE_CHECKING:
    from stripe_async.testing import StripeEmulator


def client_from_env(emulator: StripeEmulator | None = None) -> StripeClient:
    """StripeClient for test mode when STRIPE_API_KEY is set, else the in-process emulator
    (`emulator` when given, e.g. one with a clock the example moves)."""
    key = os.environ.get("STRIPE_API_KEY", "")
    if not key.strip():
        print("STRIPE_API_KEY is not set: running on the built-in Stripe emulator (no network).")
        return StripeClient.for_emulator(emulator)
    if "_live_" in key:
        sys.exit(
            "Refusing to run the examples with a live key (sk_live_/rk_live_): "
            "they create real payments. Use a test key (sk_test_...)."
        )
    print("Using Stripe test mode with the key from STRIPE_API_KEY.")
    # from_env also honours STRIPE_API_BASE (a local fake such as stripe-mock) and
    # STRIPE_ACCOUNT (a connected account).
    try:
        return StripeClient.from_env()
    except StripeError as exc:  # a malformed key: say so plainly, never a traceback
        sys.exit(f"Cannot use STRIPE_API_KEY: {exc}")


def run_example(main: Callable[[], Coroutine[Any, Any, int]]) -> None:
    """Run an example's main(); a Stripe error ends it with its message, not a traceback."""
    try:
        code = asyncio.run(main())
    except StripeError as exc:
        sys.exit(f"{type(exc).__name__}: {exc}")
    sys.exit(code)
