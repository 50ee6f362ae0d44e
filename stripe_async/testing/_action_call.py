"""What a modelled action gets (`_action_models.py`), and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models._event_types import EVENT_OBJECT_KIND
from ._state import State


@dataclass(frozen=True)
class Call:
    """One call of a modelled action."""

    state: State
    params: dict[str, Any]
    #: The object the path names (None for an action on a collection).
    obj: dict[str, Any] | None
    #: A fresh object of a kind, as a generic create fills it (given by the generic layer).
    new: Callable[[State, str], dict[str, Any]]


@dataclass(frozen=True)
class Model:
    """What an action does, and the parameters it honours."""

    run: Callable[[Call], dict[str, Any]]
    params: tuple[str, ...] = ()


def own(call: Call) -> dict[str, Any]:
    assert call.obj is not None, "declared on an operation whose path names its object"
    return call.obj


def make(call: Call, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A new stored object of `kind`, as a generic create makes it, with `fields` set."""
    obj = call.new(call.state, kind)
    obj.update(fields)
    return call.state.store.put(obj)


def emit(state: State, event_type: str, obj: dict[str, Any]) -> None:
    if event_type in EVENT_OBJECT_KIND:
        state.emit(event_type, obj)


__all__ = ["Call", "Model", "emit", "make", "own"]
