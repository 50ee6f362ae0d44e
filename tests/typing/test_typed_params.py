"""The typed parameters really catch mistakes: mypy must accept typed_calls.py as is."""

from __future__ import annotations

from pathlib import Path

from strict_mypy import assert_mypy_accepts, ignored_codes

HERE = Path(__file__).resolve().parent
TARGET = HERE / "typed_calls.py"


def test_mypy_accepts_good_calls_and_flags_every_bad_one() -> None:
    assert_mypy_accepts(TARGET)


def test_the_check_covers_the_expected_mistakes() -> None:
    """Guard against the file silently losing its negative cases."""
    codes = ignored_codes(TARGET)
    assert len(codes) >= 23
    assert {"arg-type", "call-arg", "typeddict-item", "typeddict-unknown-key"} <= set(codes)
    assert "deprecated" in codes
