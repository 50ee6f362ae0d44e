"""Nested parameters honoured or refused, from the API's definitions.

A route's spec declares the hashes it honours (`Obj`); Stripe's definitions
(`_stripe_params.SHAPES`, generated) say which keys each hash takes. Here a spec is
rebuilt so that, at every depth, a key Stripe takes and the spec does not honour is
refused as `emulator_unsupported` naming its full path
(`payment_method_options[card][network]`), and a key Stripe does not take is
`parameter_unknown`, as Stripe answers. A free-form hash (stored as given) checks
its keys against the definitions the same way.
"""

from __future__ import annotations

import functools
from typing import Any

from ._errors import unknown_param
from ._params import AnyValue, Either, Kind, ListOf, Obj, Refused, _join
from ._stripe_params import SHAPES


@functools.cache
def names(shape: int) -> dict[str, int | None]:
    """The keys of `shape`, each with the shape of the hash it takes (or None)."""
    found: dict[str, int | None] = {}
    for entry in SHAPES[shape].split():
        name, _, inner = entry.partition(":")
        found[name] = int(inner) if inner else None
    return found


def with_nested(spec: Obj, shape: int) -> Obj:
    """`spec` (a route's top-level one, already refusing top-level names) with its
    nested hashes checked against `shape` too."""
    if spec.open:
        return spec
    keys = names(shape)
    rebuilt = Obj(
        {name: _nested(kind, keys.get(name)) for name, kind in spec.fields.items()},
        required=spec.required,
        unsupported=spec.unsupported,
    )
    rebuilt.operation = spec.operation
    _check_refused(rebuilt, keys)
    return rebuilt


def _check_refused(spec: Obj, keys: dict[str, int | None]) -> None:
    for name in spec.unsupported:
        inner = keys.get(name)
        if inner is not None:
            spec.refused_shapes[name] = Shaped(inner)


def _nested(kind: Kind, shape: int | None) -> Kind:
    if shape is None:
        return kind
    if isinstance(kind, Obj):
        if kind.open:
            return kind
        keys = names(shape)
        rebuilt = Obj(
            # A name the spec takes and Stripe does not is Stripe's parameter_unknown.
            {name: _nested(item, keys[name]) for name, item in kind.fields.items() if name in keys},
            required=[name for name in kind.required if name in keys],
            unsupported=keys,  # (a name declared refused that Stripe does not take: unknown)
        )
        _check_refused(rebuilt, keys)
        return rebuilt
    if isinstance(kind, ListOf):
        return ListOf(_nested(kind.item, shape))
    if isinstance(kind, Either):
        return Either(*(_nested(item, shape) for item in kind.kinds))
    if isinstance(kind, Refused):
        return Refused(_nested(kind.kind, shape), *kind.values)
    if type(kind) is AnyValue:
        return Shaped(shape)
    return kind


class Shaped(AnyValue):
    """A free-form hash stored as given, whose keys (at any depth) must be Stripe's."""

    def __init__(self, shape: int) -> None:
        self.shape = shape

    def coerce(self, value: Any, param: str) -> Any:
        _check(value, self.shape, param)
        return super().coerce(value, param)


def _check(value: Any, shape: int, param: str) -> None:
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check(item, shape, f"{param}[{i}]")
        return
    if not isinstance(value, dict):
        return  # a string member of a union, or "" to unset
    if value and all(isinstance(key, str) and key.isdigit() for key in value):
        for key, item in value.items():  # an array sent as `x[0][...]`
            _check(item, shape, f"{param}[{key}]")
        return
    keys = names(shape)
    for key, item in value.items():
        if key not in keys:
            raise unknown_param(_join(param, key))
        inner = keys[key]
        if inner is not None:
            _check(item, inner, _join(param, key))


__all__ = ["Shaped", "names", "with_nested"]
