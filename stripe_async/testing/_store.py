"""In-memory object store, id generator and clock.

Objects are stored as the JSON-shaped dicts Stripe returns, with related objects
as ids (expansion happens on the way out). Insertion order is the tie-breaker
for "newest first", so a frozen clock still lists deterministically.
"""

from __future__ import annotations

import copy
import random
import string
import time
from collections.abc import Callable, Iterator
from typing import Any

_ALPHABET = string.ascii_letters + string.digits

#: Length of the random part of an id, by prefix (as Stripe's ids look).
_SHORT_IDS = frozenset({"cus", "prod", "si", "card", "acct", "src"})

DEFAULT_FROZEN_TIME = 1_700_000_000  # 2023-11-14T22:13:20Z


class FrozenClock:
    """A clock that only moves when told to: `clock.advance(3600)`."""

    def __init__(self, start: int = DEFAULT_FROZEN_TIME) -> None:
        self.now = int(start)

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: int) -> int:
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        self.now += int(seconds)
        return self.now


def wall_clock() -> int:
    return int(time.time())


class IdMaker:
    """Stripe-looking ids; seeded for reproducible runs."""

    def __init__(self, seed: int | None, stream: str = "ids") -> None:
        if seed is None:
            self._rng: random.Random = random.SystemRandom()
        else:
            # A str seed is hashed with SHA-512: the same on every run and platform.
            self._rng = random.Random(f"{seed}:{stream}")

    def token(self, length: int) -> str:
        return "".join(self._rng.choice(_ALPHABET) for _ in range(length))

    def new(self, prefix: str) -> str:
        if prefix in _SHORT_IDS:
            return f"{prefix}_{self.token(14)}"
        return f"{prefix}_1{self.token(23)}"


class Store:
    """Every object by id, plus an ordered index per `object` kind."""

    def __init__(self) -> None:
        self._objects: dict[str, dict[str, Any]] = {}
        self._by_kind: dict[str, dict[str, None]] = {}
        self._deleted: dict[str, dict[str, Any]] = {}

    def put(self, obj: dict[str, Any]) -> dict[str, Any]:
        object_id = obj["id"]
        self._objects[object_id] = obj
        self._by_kind.setdefault(obj["object"], {})[object_id] = None
        return obj

    def get(self, object_id: str, kind: str | None = None) -> dict[str, Any] | None:
        obj = self._objects.get(object_id)
        if obj is None or (kind is not None and obj["object"] != kind):
            return None
        return obj

    def deleted(self, object_id: str) -> dict[str, Any] | None:
        return self._deleted.get(object_id)

    def delete(self, object_id: str) -> dict[str, Any]:
        obj = self._objects.pop(object_id)
        self._by_kind[obj["object"]].pop(object_id, None)
        tombstone = {"id": object_id, "object": obj["object"], "deleted": True}
        self._deleted[object_id] = tombstone
        return tombstone

    def newest_first(self, kind: str) -> list[dict[str, Any]]:
        ids = self._by_kind.get(kind, {})
        return [self._objects[i] for i in reversed(ids)]

    def all(self, kind: str) -> Iterator[dict[str, Any]]:
        for object_id in self._by_kind.get(kind, {}):
            yield self._objects[object_id]

    def snapshot(self, object_id: str) -> dict[str, Any]:
        return copy.deepcopy(self._objects[object_id])


ClockFn = Callable[[], int]
