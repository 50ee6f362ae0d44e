"""Request and client options are typed: mypy must accept typed_options.py as is."""

from __future__ import annotations

import re
from pathlib import Path

from strict_mypy import assert_mypy_accepts

HERE = Path(__file__).resolve().parent
TARGET = HERE / "typed_options.py"


def test_mypy_accepts_good_options_and_flags_every_bad_one() -> None:
    assert_mypy_accepts(TARGET)
    assert len(re.findall(r"# type: ignore\[", TARGET.read_text(encoding="utf-8"))) == 7
