"""Our params and models say what stripe 16.1.0's annotations say, at every depth.

scripts/compare_stripe.py reads stripe's annotations from the installed package and
our generated types at run time; every count must be 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import compare_stripe  # noqa: E402


def test_every_params_typeddict_and_model_agrees_with_stripe() -> None:
    report, params, models = compare_stripe.compare()
    assert params > 500
    assert models > 2000
    wrong = {kind: places[:5] for kind, places in report.found.items() if places}
    assert not wrong, wrong
