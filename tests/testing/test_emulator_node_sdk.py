"""The official Node SDK (`stripe` from npm) drives the served emulator over 127.0.0.1,
as a team testing a Node service would: create, retrieve, update, list and delete of
resources no hand-written flow models, and a subscription's trial and renewal on a
test clock.

`.ci/run` installs the pinned package outside the repository (see NODE_PREFIX); the
test never downloads anything, and skips, saying why, when node or the package is
missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from served_emulator import serve_emulator

from stripe_async import API_VERSION

#: Where `.ci/run` installs `stripe` (`npm install --no-save --prefix ...`).
NODE_PREFIX = Path(
    os.environ.get("STRIPE_ASYNC_NODE_PREFIX")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "stripe-async"
    / "node-stripe"
)
#: The release pinned to our API version (`.ci/run` installs this one).
NODE_STRIPE = "23.1.0"
SCRIPTS = Path(__file__).parent / "node"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the Node SDK test needs it")
    if not (NODE_PREFIX / "node_modules" / "stripe" / "package.json").is_file():
        pytest.skip(f"the npm package stripe is not installed under {NODE_PREFIX} (.ci/run does)")
    return node


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    yield from serve_emulator("--seed", "17")


def _run(node: str, script: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "NODE_PATH": str(NODE_PREFIX / "node_modules")}
    done = subprocess.run(
        [node, str(SCRIPTS / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_the_node_sdk_drives_generic_resources(served: str) -> None:
    report = _run(_node(), "generic_crud.cjs", served)
    assert report["sdk"] == NODE_STRIPE and report["api"] == API_VERSION
    prefixes = {
        "entitlements.features": ("entitlements.feature", "feat_"),
        "shipping_rates": ("shipping_rate", "shr_"),
        "terminal.locations": ("terminal.location", "tml_"),
        "radar.value_lists": ("radar.value_list", "rsl_"),
        "issuing.cardholders": ("issuing.cardholder", "ich_"),
    }
    assert set(report["resources"]) == set(prefixes)
    for name, entry in report["resources"].items():
        kind, prefix = prefixes[name]
        assert entry["object"] == kind and entry["id"].startswith(prefix), entry
        assert entry["retrieved"] and entry["fidelity"] == "generic", entry
        assert entry["listed"][0] == entry["id"], entry  # newest first
        assert entry["updated"] == entry["kept"] == {"team": "node"}, entry
    for name in ("terminal.locations", "radar.value_lists"):
        entry = report["resources"][name]
        assert entry["deleted"] is True
        assert entry["after_delete"] == "StripeInvalidRequestError:404:resource_missing"
    assert report["missing"] == "StripeInvalidRequestError:404:resource_missing"


def test_ci_installs_the_pinned_release() -> None:
    script = (Path(__file__).parents[2] / ".ci" / "run").read_text()
    assert f'node_stripe="{NODE_STRIPE}"' in script
    assert "npm install --no-save" in script and "--prefix" in script


DAY, HOUR = 86400, 3600
JAN_1 = 1_704_067_200  # 2024-01-01T00:00:00Z
JAN_15 = JAN_1 + 14 * DAY  # the 14-day trial ends
FEB_15 = JAN_15 + 31 * DAY  # one month later (January has 31 days)
MAR_15 = FEB_15 + 29 * DAY  # 2024 is a leap year


def test_the_node_sdk_runs_a_trial_and_a_renewal_on_a_test_clock(served: str) -> None:
    report = _run(_node(), "trial_renewal.cjs", served, str(JAN_1))
    assert report["clock"]["status"] == "ready" and report["clock"]["ready"] == "ready"
    assert report["clock"]["at"] == FEB_15 + HOUR
    assert report["created"] == {"status": "trialing", "created": JAN_1, "trial_end": JAN_15}
    # trial_will_end 3 days before the trial ends, on the clock's time.
    assert report["trial_will_end"] == [{"sub": report["sub"], "created": JAN_15 - 3 * DAY}]
    assert report["after_trial"] == "active"
    # The trial's 0.00 invoice, the first paid period, then the renewal: Stripe bills a
    # renewal for the period that ends, its line for the period that begins.
    assert report["invoices"] == [
        {
            "reason": "subscription_create",
            "status": "paid",
            "paid": 0,
            "period": [JAN_1, JAN_1],
            "line": [JAN_1, JAN_15],
        },
        {
            "reason": "subscription_cycle",
            "status": "paid",
            "paid": 2000,
            "period": [JAN_1, JAN_15],
            "line": [JAN_15, FEB_15],
        },
        {
            "reason": "subscription_cycle",
            "status": "paid",
            "paid": 2000,
            "period": [JAN_15, FEB_15],
            "line": [FEB_15, MAR_15],
        },
    ]
    assert report["period"] == [FEB_15, MAR_15]
