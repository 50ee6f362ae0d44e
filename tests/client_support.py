"""What the top-level tests share besides fixtures: a test key and a recording sleep.

A module of its own (not `conftest`): test files import it by name, and pytest has
several `conftest` modules, one per test folder.
"""

from __future__ import annotations

TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"


class RecordingSleep:
    """An injectable sleep that records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
