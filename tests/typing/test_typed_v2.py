"""v2 params and replies, and notification handlers, are checked by mypy --strict."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TARGET = HERE / "typed_v2.py"


def test_mypy_accepts_good_v2_code_and_flags_every_mistake() -> None:
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


def test_the_check_keeps_its_negative_cases() -> None:
    codes = re.findall(r"# type: ignore\[([a-z-]+)\]", TARGET.read_text(encoding="utf-8"))
    assert len(codes) >= 5
    assert {"arg-type", "call-arg", "assignment"} <= set(codes)
