"""The README's main command and the other example scripts, run as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
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
    "script", ["payment_intents.py", "subscriptions.py", "invoices.py", "webhook_receiver.py"]
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


@pytest.mark.parametrize("key", ["sk_live_51Hxxxxxxxxxxxx", "rk_live_abc"])
def test_examples_refuse_live_keys(key: str) -> None:
    result = run("payment_intents.py", STRIPE_API_KEY=key)
    assert result.returncode != 0
    assert "live key" in result.stderr
    assert key not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
