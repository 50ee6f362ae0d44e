"""Our params and models (v1 and v2) say what stripe 16.1.0's annotations say, at every depth.

scripts/compare_stripe.py reads stripe's annotations from the installed package and
our generated types at run time; every count must be 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import compare_stripe  # noqa: E402


@pytest.mark.facts
def test_every_params_typeddict_and_model_agrees_with_stripe() -> None:
    report, params, models = compare_stripe.compare()
    assert params > 600  # v1's 558 and v2's 91
    assert models > 2700  # v1's 2385 and v2's 406
    wrong = {kind: places[:5] for kind, places in report.found.items() if places}
    assert not wrong, wrong
