"""Idempotency keys: replay a stored reply, refuse a key reused for another request."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from ._errors import EmulatorError

MAX_KEY_LENGTH = 255
MAX_ENTRIES = 10_000
TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Saved:
    endpoint: str
    fingerprint: str
    status: int
    body: bytes
    request_id: str
    created: int


def fingerprint(params: Any) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


class IdempotencyCache:
    """Results by (API key, Idempotency-Key), kept for 24 hours of emulator time."""

    def __init__(self) -> None:
        self._saved: OrderedDict[tuple[str, str], Saved] = OrderedDict()

    def lookup(self, owner: str, key: str, endpoint: str, params: Any, now: int) -> Saved | None:
        """The stored reply to replay, None for a fresh key; raise on a conflicting reuse."""
        if len(key) > MAX_KEY_LENGTH:
            raise EmulatorError(
                400,
                f"Idempotency-Key must be at most {MAX_KEY_LENGTH} characters long.",
                type="idempotency_error",
            )
        saved = self._saved.get((owner, key))
        if saved is None:
            return None
        if now - saved.created > TTL_SECONDS:
            del self._saved[(owner, key)]
            return None
        if saved.endpoint != endpoint:
            raise EmulatorError(
                400,
                "Keys for idempotent requests can only be used for the same endpoint they were "
                f"first used for ('{saved.endpoint}' vs '{endpoint}'). Try using a key other "
                f"than '{key}' if you meant to execute a different request.",
                type="idempotency_error",
            )
        if saved.fingerprint != fingerprint(params):
            raise EmulatorError(
                400,
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                type="idempotency_error",
            )
        return saved

    def save(self, owner: str, key: str, saved: Saved) -> None:
        self._saved[(owner, key)] = saved
        while len(self._saved) > MAX_ENTRIES:
            self._saved.popitem(last=False)
