"""Stripe's search query language (the documented subset) and search pages.

Supported: `field:'value'` (exact, case-insensitive), `field~'sub'` (substring,
3+ chars), `field>n`, `<`, `>=`, `<=` on numbers, `metadata['key']:'value'`,
`field:null`, a leading `-` to negate a clause, and clauses joined by all-`AND` or
all-`OR` (Stripe does not allow mixing them, nor parentheses).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._errors import invalid
from ._lists import parse_limit

if TYPE_CHECKING:
    from ._state import State

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>>=|<=|:|~|>|<)
      | (?P<word>-?[A-Za-z0-9_.\-]+(?:\[(?:'[^']*'|"[^"]*")\])?)
    )""",
    re.VERBOSE,
)

_SYNTAX_HELP = (
    "We could not parse your search query: {detail}. Try using the search query syntax "
    "documented at https://stripe.com/docs/search#search-query-language."
)


@dataclass(frozen=True)
class Clause:
    negated: bool
    field: str
    metadata_key: str | None
    op: str
    value: str | float | None


def _syntax(detail: str) -> Exception:
    return invalid(_SYNTAX_HELP.format(detail=detail), param="query")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _tokens(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    query = query.strip()
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            raise _syntax(f"unexpected character at position {position}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def parse_query(query: str) -> tuple[str, list[Clause]]:
    """Return ("AND"|"OR", clauses)."""
    tokens = _tokens(query)
    if not tokens:
        raise _syntax("the query is empty")
    clauses: list[Clause] = []
    joiners: set[str] = set()
    index = 0
    while True:
        if index + 3 > len(tokens):
            raise _syntax("a clause must look like field:'value'")
        field_kind, field_text = tokens[index]
        op_kind, op = tokens[index + 1]
        value_kind, value_text = tokens[index + 2]
        if field_kind != "word" or op_kind != "op" or value_kind == "op":
            raise _syntax(f"a clause must look like field:'value', got {field_text!r}")
        clauses.append(_clause(field_text, op, value_kind, value_text))
        index += 3
        if index == len(tokens):
            break
        kind, word = tokens[index]
        if kind != "word" or word.upper() not in ("AND", "OR"):
            raise _syntax(f"expected AND or OR, got {word!r}")
        joiners.add(word.upper())
        index += 1
        if index == len(tokens):
            raise _syntax(f"nothing follows {word}")
    if len(joiners) > 1:
        raise invalid(
            "Search queries cannot combine `AND` and `OR`: use one of them throughout.",
            param="query",
        )
    return (joiners.pop() if joiners else "AND"), clauses


def _clause(field_text: str, op: str, value_kind: str, value_text: str) -> Clause:
    negated = field_text.startswith("-")
    field = field_text[1:] if negated else field_text
    metadata_key: str | None = None
    if "[" in field:
        base, _, rest = field.partition("[")
        if base != "metadata":
            raise _syntax(f"only metadata supports [key] lookups, not {base!r}")
        field, metadata_key = "metadata", _unquote(rest[:-1])
    value: str | float | None
    if value_kind == "string":
        value = _unquote(value_text)
    elif value_text == "null":
        value = None
    else:
        try:
            value = float(value_text)
        except ValueError:
            raise _syntax(f"values must be quoted, as in {field}:'{value_text}'") from None
    if op in (">", "<", ">=", "<=") and not isinstance(value, float):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise _syntax(f"{op} compares numbers, got {value!r}") from None
        else:
            raise _syntax(f"{op} compares numbers")
    if op == "~" and (not isinstance(value, str) or len(value) < 3):
        raise _syntax("~ needs a quoted value of at least 3 characters")
    return Clause(negated, field, metadata_key, op, value)


def _lookup(obj: Mapping[str, Any], path: str) -> Any:
    current: Any = obj
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current


def _matches(obj: Mapping[str, Any], clause: Clause, fields: Mapping[str, str]) -> bool:
    if clause.metadata_key is not None:
        actual = (obj.get("metadata") or {}).get(clause.metadata_key)
    else:
        actual = _lookup(obj, fields[clause.field])
    value = clause.value
    if clause.op == ":":
        if value is None:
            result = actual is None
        elif isinstance(actual, bool):
            result = str(value).lower() == ("true" if actual else "false")
        elif isinstance(actual, (int, float)):
            try:
                result = float(actual) == float(value)
            except ValueError:
                result = False
        else:
            result = actual is not None and str(actual).lower() == str(value).lower()
    elif clause.op == "~":
        result = actual is not None and str(value).lower() in str(actual).lower()
    else:
        if not isinstance(actual, (int, float)) or isinstance(actual, bool):
            result = False
        else:
            assert isinstance(value, float)
            result = {
                ">": actual > value,
                "<": actual < value,
                ">=": actual >= value,
                "<=": actual <= value,
            }[clause.op]
    return result != clause.negated


def search(
    objects: Sequence[dict[str, Any]],
    params: Mapping[str, Any],
    *,
    resource: str,
    fields: Mapping[str, str],
    url: str,
    expand: Sequence[str] = (),
) -> dict[str, Any]:
    """A `search_result` page of `objects` (newest first) matching `params["query"]`."""
    joiner, clauses = parse_query(str(params["query"]))
    for clause in clauses:
        if clause.metadata_key is None and clause.field not in fields:
            raise invalid(
                f"Field `{clause.field}` is an unsupported search field for resource "
                f"`{resource}`. See http://stripe.com/docs/search#query-fields-for-{resource} "
                "for a list of supported fields.",
                param="query",
            )
    combine = all if joiner == "AND" else any
    hits = [obj for obj in objects if combine(_matches(obj, c, fields) for c in clauses)]
    limit = parse_limit(params.get("limit"))
    offset = _decode_page(params.get("page"))
    page = hits[offset : offset + limit]
    has_more = offset + limit < len(hits)
    result: dict[str, Any] = {
        "object": "search_result",
        "data": page,
        "has_more": has_more,
        "next_page": _encode_page(offset + limit) if has_more else None,
        "url": url,
    }
    if "total_count" in expand:
        result["total_count"] = len(hits)
    return result


def _encode_page(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_page(page: Any) -> int:
    if page is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(str(page) + "=" * (-len(str(page)) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind != "offset" or not number.isdigit():
            raise ValueError
        return int(number)
    except ValueError:
        raise invalid(f"Invalid page: {page}", param="page") from None


def search_handler(
    kind: str, resource: str, fields: Mapping[str, str]
) -> Callable[[State, dict[str, Any]], dict[str, Any]]:
    """The route handler of `GET /v1/<resource>/search` over stored objects of `kind`."""
    url = f"/v1/{resource}/search"

    def handler(state: State, params: dict[str, Any]) -> dict[str, Any]:
        return search(
            state.store.newest_first(kind),
            params,
            resource=resource,
            fields=fields,
            url=url,
            expand=state.expand,
        )

    return handler
