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
    """Every object by id, plus an ordered index per `object` kind.

    Objects belong to the account they were made in: the platform (`None`) or a
    connected account (`acct_...`, a request with `Stripe-Account`). Lookups and
    listings see only the objects of the current `scope`, as on Stripe; `find()`
    and `everything()` look across accounts (for test helpers and webhook routing).
    """

    def __init__(self) -> None:
        self._objects: dict[str, dict[str, Any]] = {}
        self._by_kind: dict[str, dict[str, None]] = {}
        self._deleted: dict[str, dict[str, Any]] = {}
        self._owner: dict[str, str | None] = {}
        #: The account whose objects requests see now (None: the platform).
        self.scope: str | None = None

    def put(self, obj: dict[str, Any]) -> dict[str, Any]:
        object_id = obj["id"]
        self._objects[object_id] = obj
        self._owner.setdefault(object_id, self.scope)
        self._by_kind.setdefault(obj["object"], {})[object_id] = None
        return obj

    def owner(self, object_id: str) -> str | None:
        return self._owner.get(object_id)

    def _visible(self, object_id: str) -> bool:
        return self._owner.get(object_id) == self.scope

    def get(self, object_id: str, kind: str | None = None) -> dict[str, Any] | None:
        obj = self._objects.get(object_id)
        if obj is None or (kind is not None and obj["object"] != kind):
            return None
        return obj if self._visible(object_id) else None

    def find(self, object_id: str) -> dict[str, Any] | None:
        """An object by id in any account."""
        return self._objects.get(object_id)

    def deleted(self, object_id: str) -> dict[str, Any] | None:
        return self._deleted.get(object_id) if self._visible(object_id) else None

    def delete(self, object_id: str) -> dict[str, Any]:
        obj = self._objects.pop(object_id)
        self._by_kind[obj["object"]].pop(object_id, None)
        tombstone = {"id": object_id, "object": obj["object"], "deleted": True}
        self._deleted[object_id] = tombstone
        return tombstone

    def newest_first(self, kind: str) -> list[dict[str, Any]]:
        ids = self._by_kind.get(kind, {})
        return [self._objects[i] for i in reversed(ids) if self._visible(i)]

    def all(self, kind: str) -> Iterator[dict[str, Any]]:
        for object_id in list(self._by_kind.get(kind, {})):
            if self._visible(object_id):
                yield self._objects[object_id]

    def everything(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every object of a kind, in every account, oldest first."""
        for object_id in list(self._by_kind.get(kind, {})):
            yield self._objects[object_id]

    def snapshot(self, object_id: str) -> dict[str, Any]:
        return copy.deepcopy(self._objects[object_id])


ClockFn = Callable[[], int]
