"""Shared start-up for the example scripts: Stripe test mode with a key, the emulator without.

The examples move money, so they refuse live keys: they are for test mode only.
"""

from __future__ import annotations

import os
import sys

from stripe_async import StripeClient


def client_from_env() -> StripeClient:
    """StripeClient for test mode when STRIPE_API_KEY is set, else the in-process emulator."""
    key = os.environ.get("STRIPE_API_KEY", "").strip()
    if not key:
        print("STRIPE_API_KEY is not set: running on the built-in Stripe emulator (no network).")
        return StripeClient.for_emulator()
    if "_live_" in key:
        sys.exit(
            "Refusing to run the examples with a live key (sk_live_/rk_live_): "
            "they create real payments. Use a test key (sk_test_...)."
        )
    print("Using Stripe test mode with the key from STRIPE_API_KEY.")
    return StripeClient(key)
