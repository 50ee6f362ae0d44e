"""Params are typed to the leaves and decimals are Decimal: mypy must accept typed_depth.py."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TARGET = HERE / "typed_depth.py"


def test_mypy_flags_mistakes_at_every_depth_and_accepts_nested_calls() -> None:
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


def test_the_check_keeps_its_deep_negative_cases() -> None:
    codes = re.findall(r"# type: ignore\[([a-z-]+)\]", TARGET.read_text(encoding="utf-8"))
    assert len(codes) >= 9
    assert {"typeddict-item", "typeddict-unknown-key", "arg-type", "assignment"} <= set(codes)
