"""v2 params and replies, and notification handlers, are checked by mypy --strict."""

from __future__ import annotations

from pathlib import Path

from strict_mypy import assert_mypy_accepts, ignored_codes

HERE = Path(__file__).resolve().parent
TARGET = HERE / "typed_v2.py"


def test_mypy_accepts_good_v2_code_and_flags_every_mistake() -> None:
    assert_mypy_accepts(TARGET)


def test_the_check_keeps_its_negative_cases() -> None:
    codes = ignored_codes(TARGET)
    assert len(codes) >= 5
    assert {"arg-type", "call-arg", "assignment"} <= set(codes)
