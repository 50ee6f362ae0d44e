"""The typed parameters really catch mistakes: mypy must accept typed_calls.py as is."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TARGET = HERE / "typed_calls.py"


def test_mypy_accepts_good_calls_and_flags_every_bad_one() -> None:
    stdout, stderr, status = api.run(
        [
            str(TARGET),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--warn-unused-ignores",
            "--show-error-codes",
            "--no-error-summary",
        ]
    )
    assert status == 0, f"mypy reported:\n{stdout}{stderr}"


def test_the_check_covers_the_expected_mistakes() -> None:
    """Guard against the file silently losing its negative cases."""
    codes = re.findall(r"# type: ignore\[([a-z-]+)\]", TARGET.read_text(encoding="utf-8"))
    assert len(codes) >= 23
    assert {"arg-type", "call-arg", "typeddict-item", "typeddict-unknown-key"} <= set(codes)
