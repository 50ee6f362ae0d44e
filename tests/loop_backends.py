"""Run an async test on asyncio and on trio, each in a fresh `anyio.run`.

With pytest-asyncio in auto mode every `async def` test is claimed for asyncio,
so a test marked for anyio's plugin can silently run on asyncio even when its
`anyio_backend` says trio. Running the test body through `anyio.run` ourselves
makes the backend certain (and checked).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

BACKENDS = ("asyncio", "trio")


def running_library() -> str:
    """The async library running the current task ("asyncio" or "trio")."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return "trio"
    return "asyncio"


def on_both_loops(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Turn `async def test_x(...)` into `test_x[asyncio]` and `test_x[trio]`."""

    @pytest.mark.parametrize("backend", BACKENDS)
    @functools.wraps(test)
    def run(*args: Any, backend: str, **kwargs: Any) -> None:
        async def main() -> None:
            assert running_library() == backend
            await test(*args, **kwargs)

        anyio.run(main, backend=backend)

    signature = inspect.signature(test)
    parameters = [*signature.parameters.values()]
    parameters.append(inspect.Parameter("backend", inspect.Parameter.KEYWORD_ONLY))
    run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return run
