"""The README's main command and the other example scripts, run as a user runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "script",
    [
        "payment_intents.py",
        "subscriptions.py",
        "invoices.py",
        "webhook_receiver.py",
        "checkout_subscription.py",
        "connect_marketplace.py",
        "subscription_lifecycle.py",
    ],
)
def test_example_runs_on_the_emulator_without_a_key(script: str) -> None:
    result = run(script)
    assert result.returncode == 0, result.stderr
    assert "built-in Stripe emulator" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "succeeded"
    assert "Traceback" not in result.stderr


def test_main_example_shows_the_whole_job() -> None:
    out = run("payment_intents.py").stdout
    assert "confirmed with pm_card_visa: succeeded" in out
    assert "declined as expected: code=card_declined decline_code=insufficient_funds" in out
    assert ": requires_capture" in out and "captured 40.00 USD: succeeded" in out
    assert "refund re_" in out and "of 5.00 USD" in out


def test_checkout_example_walks_the_saas_sign_up() -> None:
    out = run("checkout_subscription.py").stdout
    assert "the customer paid: session complete, no_payment_required" in out
    assert "webhook: provision workspace for cus_" in out
    assert ": trialing" in out and "after the trial: active, invoice 23.20 USD" in out
    assert "canceled in the portal: cancel_at_period_end=True" in out
    assert "after the period end: canceled; webhook: close workspace of cus_" in out


def test_lifecycle_example_moves_a_test_clock_through_trial_renewal_and_dunning() -> None:
    out = run("subscription_lifecycle.py").stdout
    assert "trialing until Jan 15" in out and "the trial ended on Jan 15: active" in out
    assert "the renewal on Feb 15 failed: past_due" in out
    # Retries 3, 5 and 7 days apart (2024 is a leap year: Feb 23 + 7 days is Mar 01).
    assert "next attempt Feb 18\n   next attempt Feb 23\n   next attempt Mar 01" in out
    assert "after the last retry: canceled (payment_failed) on Mar 01" in out
    assert "20.00 USD open   period Jan 15 - Feb 15, attempts 4" in out


def test_connect_example_takes_the_platform_fee() -> None:
    out = run("connect_marketplace.py").stdout
    assert "the seller finished onboarding: charges_enabled=True" in out
    assert "108.00 USD to the seller" in out and "platform fee fee_" in out
    assert "12.00 USD" in out and "exists only in the seller's account" in out


@pytest.mark.parametrize("key", ["sk_live_51Hxxxxxxxxxxxx", "rk_live_abc"])
def test_examples_refuse_live_keys(key: str) -> None:
    result = run("payment_intents.py", STRIPE_API_KEY=key)
    assert result.returncode != 0
    assert "live key" in result.stderr
    assert key not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def emulator_server() -> Iterator[str]:
    """The emulator served over HTTP on a loopback port, as a stand-in for Stripe."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "stripe_async", "emulator", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as conn:
                if conn.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    "script",
    [
        "payment_intents.py",
        "subscriptions.py",
        "invoices.py",
        "checkout_subscription.py",
        "connect_marketplace.py",
        "subscription_lifecycle.py",
    ],
)
def test_example_runs_unchanged_with_a_test_key_over_http(
    script: str, emulator_server: str
) -> None:
    # The key path (what runs against Stripe test mode), pointed at a loopback server.
    result = run(script, STRIPE_API_KEY="sk_test_example", STRIPE_API_BASE=emulator_server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Using Stripe test mode" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "succeeded"


def test_unreachable_api_ends_with_a_message_not_a_traceback() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = run(
        "payment_intents.py",
        STRIPE_API_KEY="sk_test_example",
        STRIPE_API_BASE=f"http://127.0.0.1:{closed_port}",
    )
    assert result.returncode == 1
    assert "APIConnectionError" in result.stderr and "Traceback" not in result.stderr
