"""The committed param modules are exactly what scripts/gen_params.py makes from the spec."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SPEC = Path(
    os.environ.get("STRIPE_OPENAPI_SPEC", "/work/shared/stripe-openapi/spec3.2023-08-16.json")
)


@pytest.mark.skipif(not SPEC.exists(), reason="Stripe's OpenAPI spec is not available here")
def test_generated_params_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_params.py"), "--check", "--spec", str(SPEC)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "84 methods" in result.stdout
