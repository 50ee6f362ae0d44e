"""Which model parses which `object` kind; a kind's module is imported on first lookup."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._base import StripeObject
from ._object_kinds import OBJECT_MODULES

__all__ = ["OBJECT_CLASSES", "model_for", "parse_object"]


class _ObjectClasses(Mapping[str, type[StripeObject]]):
    """Read-only `{object kind: model}`, importing each model's module when looked up."""

    def __init__(self) -> None:
        self._loaded: dict[str, type[StripeObject]] = {}

    def __getitem__(self, kind: str) -> type[StripeObject]:
        model = self._loaded.get(kind)
        if model is None:
            module, name = OBJECT_MODULES[kind]
            model = getattr(importlib.import_module(f"stripe_async.models.{module}"), name)
            self._loaded[kind] = model
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(OBJECT_MODULES)

    def __len__(self) -> int:
        return len(OBJECT_MODULES)

    def __contains__(self, kind: object) -> bool:
        return kind in OBJECT_MODULES


OBJECT_CLASSES: Mapping[str, type[StripeObject]] = _ObjectClasses()


def model_for(kind: str | None) -> type[StripeObject]:
    """The model for an `object` kind; `StripeObject` for kinds not known here."""
    if not isinstance(kind, str) or kind not in OBJECT_MODULES:
        return StripeObject
    return OBJECT_CLASSES[kind]


_VALIDATORS: dict[Any, Callable[[Any], Any]] = {}


def parse_object(value: Any) -> Any:
    """Parse a JSON object into the model its `object` kind names (models pass through)."""
    if isinstance(value, Mapping):
        kind = value.get("object")
        if not isinstance(kind, str) or kind not in OBJECT_MODULES:
            kind = None  # every unknown kind shares StripeObject (and one cache entry)
        run = _VALIDATORS.get(kind)
        if run is None:  # the first object of this kind: build its model
            model = model_for(kind)
            model.model_rebuild()
            run = _VALIDATORS.setdefault(kind, model.__pydantic_validator__.validate_python)
        return run(value)
    if isinstance(value, StripeObject):
        return value
    raise ValueError("expected a Stripe object (a JSON object with an `object` kind)")
