"""Request and client options are typed: mypy must accept typed_options.py as is."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TARGET = HERE / "typed_options.py"


def test_mypy_accepts_good_options_and_flags_every_bad_one() -> None:
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
    assert len(re.findall(r"# type: ignore\[", TARGET.read_text(encoding="utf-8"))) == 7
