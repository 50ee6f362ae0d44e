"""Parse Stripe's bracketed form encoding back into nested dicts and lists.

`items[0][price]=p&expand[]=customer&metadata[k]=v` becomes
`{"items": {"0": {"price": "p"}}, "expand": ["customer"], "metadata": {"k": "v"}}`.
Indexed keys stay dict keys (`"0"`): the parameter spec decides what is a list,
so `metadata[1]=x` is not mistaken for an array.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from ._errors import invalid

_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_MAX_DEPTH = 8


def split_key(key: str) -> list[str]:
    """`a[b][]` -> ["a", "b", ""]; raise on a malformed key."""
    head, bracket, rest = key.partition("[")
    if not head:
        raise invalid(f"Invalid parameter name: {key!r}")
    parts = [head]
    if bracket:
        rest = "[" + rest
        position = 0
        for match in _SEGMENT.finditer(rest):
            if match.start() != position:
                raise invalid(f"Invalid parameter name: {key!r}")
            parts.append(match.group(1))
            position = match.end()
        if position != len(rest):
            raise invalid(f"Invalid parameter name: {key!r}")
    if len(parts) > _MAX_DEPTH:
        raise invalid(f"Parameter nesting too deep: {key!r}")
    return parts


def parse_form(text: str) -> dict[str, Any]:
    """Decode an application/x-www-form-urlencoded body or query string."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        _assign(root, split_key(key), value, key)
    return root


def _assign(root: dict[str, Any], parts: list[str], value: str, key: str) -> None:
    container: Any = root
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(container, list):
            if part != "":
                raise invalid(f"Invalid array parameter: {key!r}")
            if last:
                container.append(value)
                return
            child: Any = [] if parts[index + 1] == "" else {}
            container.append(child)
            container = child
            continue
        if last:
            if part in container and isinstance(container[part], (dict, list)):
                raise invalid(f"Conflicting values for parameter {key!r}")
            container[part] = value
            return
        expected: type = list if parts[index + 1] == "" else dict
        existing = container.get(part)
        if existing is None:
            existing = expected()
            container[part] = existing
        elif not isinstance(existing, expected):
            raise invalid(f"Conflicting values for parameter {key!r}")
        container = existing
