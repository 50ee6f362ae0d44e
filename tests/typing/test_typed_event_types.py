"""Event types are checked as users write them: mypy --strict must accept typed_event_types.py."""

from __future__ import annotations

from pathlib import Path

from strict_mypy import assert_mypy_accepts, ignored_codes

HERE = Path(__file__).resolve().parent
TARGET = HERE / "typed_event_types.py"


def test_mypy_types_wildcards_several_types_and_refuses_unknown_ones() -> None:
    assert_mypy_accepts(TARGET)


def test_the_check_covers_the_expected_mistakes() -> None:
    """Guard against the file silently losing its negative cases or its narrowing checks."""
    text = TARGET.read_text(encoding="utf-8")
    codes = ignored_codes(TARGET)
    assert codes.count("call-overload") >= 3  # misspelt types, alone and among others
    assert codes.count("type-var") >= 4  # handlers too narrow for what they receive
    assert "comparison-overlap" in codes  # `event.type == "<typo>"`
    assert text.count("assert_type(") >= 6
