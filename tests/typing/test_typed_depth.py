"""Params are typed to the leaves and decimals are Decimal: mypy must accept typed_depth.py."""

from __future__ import annotations

from pathlib import Path

from strict_mypy import assert_mypy_accepts, ignored_codes

HERE = Path(__file__).resolve().parent
TARGET = HERE / "typed_depth.py"


def test_mypy_flags_mistakes_at_every_depth_and_accepts_nested_calls() -> None:
    assert_mypy_accepts(TARGET)


def test_the_check_keeps_its_deep_negative_cases() -> None:
    codes = ignored_codes(TARGET)
    assert len(codes) >= 9
    assert {"typeddict-item", "typeddict-unknown-key", "arg-type", "assignment"} <= set(codes)
