"""Routes: a method, a path pattern, a parameter spec and a handler."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from ._errors import EmulatorError, naming_operation, unrecognized_url
from ._nested_params import with_nested
from ._params import Obj
from ._state import State
from ._stripe_params import ACCEPTED, OPERATION_SHAPES, PATHS

Handler = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str
    handler: Handler
    params: Obj = field(default_factory=Obj)
    #: Reply status (200 everywhere in Stripe's API).
    status: int = 200
    #: Callable with a publishable key (what Stripe.js does in the browser).
    publishable: bool = False
    #: `Stripe-Emulator-Fidelity` of its replies: "modelled" (a hand-written flow) or
    #: "generic" (the resource layer built from the API's facts).
    fidelity: str = "modelled"

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    regex = _CACHE.get(pattern)
    if regex is None:
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")
        _CACHE[pattern] = regex
    return regex


def _specificity(route: Route) -> tuple[bool, ...]:
    # Literal segments win over placeholders: /v1/customers/search before /v1/customers/{id}.
    return tuple(segment.startswith("{") for segment in route.pattern.split("/"))


def operation_key(method: str, pattern: str) -> str:
    """`POST /v1/customers/{}`: how the API's definitions name an operation."""
    return f"{method} {re.sub(r'{[^}]+}', '{}', pattern)}"


def stripe_params(route: Route) -> frozenset[str] | None:
    """The top-level parameters Stripe accepts on this route (None: not a v1 operation).

    `expand` is left out: the app honours it on every route.
    """
    names = ACCEPTED.get(operation_key(route.method, route.pattern))
    return None if names is None else frozenset(names.split()) - {"expand"}


def operation_name(route: Route) -> str:
    """`POST /v1/subscriptions/{subscription}`: the operation as the API reference names it."""
    key = operation_key(route.method, route.pattern)
    return f"{route.method} {PATHS.get(key, route.pattern)}"


def _refusing(route: Route) -> Route:
    # What Stripe accepts and the route's spec does not honour is refused, not dropped.
    accepted = stripe_params(route)
    if accepted is None:
        return route
    spec = route.params.refusing(accepted, operation_name(route))
    shape = OPERATION_SHAPES.get(operation_key(route.method, route.pattern))
    if shape is not None:
        spec = with_nested(spec, shape)  # and every hash inside, to any depth
    return replace(route, params=spec)


class Router:
    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = sorted((_refusing(route) for route in routes), key=_specificity)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            if route.method != method:
                continue
            found = route.regex.match(path)
            if found is not None:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        raise unrecognized_url(method, path)


def call(route: Route, state: State, params: dict[str, Any], path_args: dict[str, str]) -> Any:
    try:
        return route.handler(state, params, **path_args)
    except EmulatorError as error:
        raise naming_operation(error, operation_name(route)) from None
