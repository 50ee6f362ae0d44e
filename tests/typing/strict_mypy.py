"""How the typing tests check a file of user code: mypy --strict with the project's
config, where every `# type: ignore[code]` must be needed (each one is a mistake
the types must catch)."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]


def assert_mypy_accepts(target: Path) -> None:
    """mypy --strict reports nothing: the good calls pass and every ignore is used."""
    stdout, stderr, status = api.run(
        [
            str(target),
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--warn-unused-ignores",
            "--show-error-codes",
            "--no-error-summary",
        ]
    )
    assert status == 0, f"mypy reported:\n{stdout}{stderr}"


def ignored_codes(target: Path) -> list[str]:
    """The error codes the file's `# type: ignore[...]` comments expect, one per code."""
    text = target.read_text(encoding="utf-8")
    return [
        code.strip()
        for group in re.findall(r"# type: ignore\[([a-z, -]+)\]", text)
        for code in group.split(",")
    ]
