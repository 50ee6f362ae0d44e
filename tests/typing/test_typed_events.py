"""Typed events and models catch mistakes: mypy --strict must accept typed_events.py as is."""

from __future__ import annotations

import re
from pathlib import Path

from strict_mypy import assert_mypy_accepts

HERE = Path(__file__).resolve().parent
TARGET = HERE / "typed_events.py"


def test_mypy_narrows_events_by_type_and_flags_typos() -> None:
    assert_mypy_accepts(TARGET)


def test_the_check_covers_the_expected_mistakes() -> None:
    """Guard against the file silently losing its negative cases or its narrowing checks."""
    text = TARGET.read_text(encoding="utf-8")
    codes = re.findall(r"# type: ignore\[([a-z-]+)\]", text)
    assert codes.count("attr-defined") >= 3
    assert "type-var" in codes  # a handler for another kind
    assert text.count("assert_type(") >= 8
