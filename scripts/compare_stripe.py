"""Compare our generated params and models with the annotations of the pinned `stripe` package.

    uv run python scripts/compare_stripe.py [--list KIND]

Stripe's side is read fresh from the installed package's source, by the same
annotation readers the generators' facts come from (`extract_api.py` for params,
`model_facts.py` for models; neither imports the package). Our side is what the
generated modules give at run time (`typing.get_type_hints`), plus their source
for the names a hover shows. For every params TypedDict and every model, v1's
and v2's, at every depth, it counts:

- `missing`: a field Stripe has and we do not;
- `required`: required (params) or nullable (models) where Stripe says otherwise;
- `runtime_required`: a TypedDict's `__required_keys__` differs from its annotations;
- `untyped_shape`: `dict[str, Any]` (or `Any`) where Stripe has a shape;
- `literal`: `str` (or a Literal short of values) where Stripe has a Literal;
- `decimal`: no `Decimal` where Stripe has one;
- `private_name`: a model annotation that names a private alias (`_NextAction`).

A count that is not 0 must be listed, with its reason, in `ALLOWED` in the
generator that writes it (tests/typing/test_compare_stripe.py checks).
"""

from __future__ import annotations

import argparse
import ast
import decimal
import importlib
import keyword
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typing_extensions

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

KINDS = (
    "missing",
    "required",
    "runtime_required",
    "untyped_shape",
    "literal",
    "decimal",
    "private_name",
)
# Fields of stripe's RequestOptions: ours are the per-call options of RequestOptions.
STRIPE_REQUEST_OPTIONS = {
    "api_key",
    "stripe_version",
    "stripe_account",
    "stripe_context",
    "max_network_retries",
    "idempotency_key",
    "content_type",
    "headers",
}
WRAPPERS = {typing_extensions.Required, typing_extensions.NotRequired}


def unwrap(t: Any) -> tuple[Any, bool | None]:
    """(type without Required/NotRequired/Annotated, True/False when one of the first two)."""
    required: bool | None = None
    while True:
        origin = typing_extensions.get_origin(t)
        if origin in WRAPPERS:
            required = origin is typing_extensions.Required
            t = typing_extensions.get_args(t)[0]
        elif origin is typing_extensions.Annotated:
            t = typing_extensions.get_args(t)[0]
        else:
            return t, required


def members(t: Any) -> list[Any]:
    t, _ = unwrap(t)
    origin = typing_extensions.get_origin(t)
    if origin is typing.Union or origin is types.UnionType:
        out: list[Any] = []
        for arg in typing_extensions.get_args(t):
            out.extend(members(arg))
        return out
    return [t]


def literal_values(ours: list[Any]) -> set[Any] | None:
    values: set[Any] = set()
    found = False
    for m in ours:
        if typing_extensions.get_origin(m) is typing_extensions.Literal:
            found = True
            values.update(typing_extensions.get_args(m))
    return values if found else None


def loose(ours: list[Any]) -> bool:
    """`Any` or `dict[str, Any]`: a shape left untyped."""
    for m in ours:
        if m is Any:
            return True
        if typing_extensions.get_origin(m) is dict and typing_extensions.get_args(m)[1] is Any:
            return True
    return False


class Report:
    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {kind: [] for kind in KINDS}

    def add(self, kind: str, where: str) -> None:
        self.found[kind].append(where)

    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.found.items()}


# --- params ---------------------------------------------------------------------


class ParamsComparer:
    def __init__(self, shapes: list[list[Any]], report: Report) -> None:
        self.shapes = shapes
        self.report = report
        self.seen: set[tuple[int, int]] = set()

    def typeddict(self, shape: int, ours: type, where: str, top: bool = False) -> None:
        if (shape, id(ours)) in self.seen:
            return
        self.seen.add((shape, id(ours)))
        hints = typing_extensions.get_type_hints(ours, include_extras=True)
        required_keys = set(ours.__required_keys__)  # type: ignore[attr-defined]
        for name, term, required in self.shapes[shape]:
            if not name.isidentifier() or keyword.iskeyword(name):
                continue
            if top and name in STRIPE_REQUEST_OPTIONS:
                continue
            here = f"{where}.{name}"
            if name not in hints:
                self.report.add("missing", here)
                continue
            _, declared = unwrap(hints[name])
            is_required = bool(declared) if declared is not None else False
            if is_required != required:
                self.report.add("required", here)
            if (name in required_keys) != is_required:
                self.report.add("runtime_required", here)
            self.value(term, members(hints[name]), here)

    def value(self, term: Any, ours: list[Any], where: str) -> None:
        stripe = term["union"] if isinstance(term, dict) and "union" in term else [term]
        for m in stripe:
            if m == "decimal":
                if decimal.Decimal not in ours:
                    self.report.add("decimal", where)
            elif not isinstance(m, dict):
                continue
            elif "lit" in m:
                values = literal_values(ours)
                if values is None or not set(m["lit"]) <= values:
                    self.report.add("literal", where)
            elif "obj" in m:
                typed = [o for o in ours if typing_extensions.is_typeddict(o)]
                if typed:  # of a union of shapes, the one with the most keys in common
                    keys = {f[0] for f in self.shapes[m["obj"]]}
                    best = max(typed, key=lambda o: len(keys & set(o.__annotations__)))
                    self.typeddict(m["obj"], best, where)
                elif loose(ours) or not self.shapes[m["obj"]]:
                    if self.shapes[m["obj"]]:
                        self.report.add("untyped_shape", where)
                else:
                    self.report.add("untyped_shape", where)
            elif "list" in m:
                inner = [
                    a
                    for o in ours
                    if typing_extensions.get_origin(o) is list
                    for a in members(typing_extensions.get_args(o)[0])
                ]
                if inner:
                    self.value(m["list"], inner, where + "[]")
                elif not loose(ours):
                    self.report.add("untyped_shape", where)
            elif "map" in m:
                inner = [
                    a
                    for o in ours
                    if typing_extensions.get_origin(o) is dict
                    for a in members(typing_extensions.get_args(o)[1])
                ]
                self.value(m["map"], inner or ours, where + "{}")


def compare_params(report: Report, v2: dict[str, Any]) -> int:
    """v1's params, then v2's (`v2.` before their names: the two families share some)."""
    import extract_api
    import gen_api
    import gen_v2

    count = 0
    v1 = extract_api.extract()
    for facts, services, prefix in (
        (v1, gen_api.load(v1), ""),
        (v2, gen_v2.service_tree(v2), "v2."),
    ):
        comparer = ParamsComparer(facts["shapes"], report)
        for svc in services.values():
            if not svc.ops:
                continue
            module = importlib.import_module(f"stripe_async.resources._params.{svc.params_module}")
            for op in svc.ops:
                if op.shape is None:
                    continue
                ours = getattr(module, op.params_name)
                comparer.typeddict(op.shape, ours, prefix + op.params_name, top=True)
                count += 1
    return count


# --- models ---------------------------------------------------------------------


class ModelComparer:
    def __init__(self, report: Report) -> None:
        self.report = report

    def model(self, fields: list[list[Any]], cls: type, where: str) -> None:
        hints = typing_extensions.get_type_hints(cls, include_extras=True)
        by_alias = {
            (info.alias or attr): attr
            for attr, info in cls.model_fields.items()  # type: ignore[attr-defined]
        }
        for name, term in fields:
            here = f"{where}.{name}"
            attr = by_alias.get(name)
            if attr is None or attr not in hints:
                self.report.add("missing", here)
                continue
            ours = members(hints[attr])
            nullable = isinstance(term, list) and term[0] == "opt"
            if nullable != (type(None) in ours) and name != "object":
                self.report.add("required", here)
            self.value(term, ours, here)

    def value(self, term: Any, ours: list[Any], where: str) -> None:
        if term == "decimal":
            if decimal.Decimal not in ours:
                self.report.add("decimal", where)
            return
        if not isinstance(term, list):
            return
        head, arg = term
        if head == "opt":
            self.value(arg, ours, where)
        elif head == "union":
            for item in arg:
                self.value(item, ours, where)
        elif head == "lit":
            if all(isinstance(v, bool) for v in arg):
                return
            values = literal_values(ours)
            if values is None or not set(arg) <= values:
                self.report.add("literal", where)
        elif head in ("ref", "exp"):
            from stripe_async.models._base import StripeModel, StripeObject

            typed = [
                o
                for o in ours
                if isinstance(o, type)
                and o not in (StripeModel, StripeObject)
                and hasattr(o, "__get_pydantic_core_schema__")
            ]
            if not typed:
                self.report.add("untyped_shape", where)
        elif head == "list":
            inner = [
                a
                for o in ours
                if typing_extensions.get_origin(o) is list
                for a in members(typing_extensions.get_args(o)[0])
            ]
            self.value(arg, inner or ours, where + "[]")
        elif head == "map":
            inner = [
                a
                for o in ours
                if typing_extensions.get_origin(o) is dict
                for a in members(typing_extensions.get_args(o)[1])
            ]
            self.value(arg, inner or ours, where + "{}")


def walk_nested(node: dict[str, Any], path: list[str]) -> Iterator[tuple[list[str], Any]]:
    for child in node["nested"]:
        child_path = [*path, child["name"]]
        yield child_path, child
        yield from walk_nested(child, child_path)


def private_names(report: Report) -> None:
    for path in sorted((ROOT / "stripe_async" / "models").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                        text = ast.unparse(stmt.annotation)
                        if isinstance(stmt.annotation, ast.Constant):
                            text = str(stmt.annotation.value)
                        names = {
                            n.id
                            for n in ast.walk(ast.parse(text, mode="eval"))
                            if isinstance(n, ast.Name)
                        }
                        if any(n.startswith("_") for n in names):
                            report.add("private_name", f"{node.name}.{stmt.target.id}")


def compare_models(report: Report, v2: dict[str, Any]) -> int:
    """v1's models, then v2's (whose nested classes all live in their object's module)."""
    import gen_models
    import model_facts

    from stripe_async.models._base import rebuild_models  # noqa: F401  (models importable)

    comparer = ModelComparer(report)
    count = 0
    for facts, in_parts in ((model_facts.read_facts(), True), ({"objects": v2["objects"]}, False)):
        _, objs = gen_models.load(facts, {})
        for raw in facts["objects"]:
            obj = objs[raw["key"]]
            if obj.cls == "Event" and not obj.namespace:
                continue  # hand-written, generic over what it carries
            module = importlib.import_module(f"stripe_async.models.{obj.dotted}")
            comparer.model(raw["fields"], getattr(module, obj.cls), obj.key)
            count += 1
            for path, node in walk_nested(raw, []):
                key = ".".join(path)
                home = obj.part_dotted(obj.homes[key]) if in_parts else obj.dotted
                cls = getattr(
                    importlib.import_module(f"stripe_async.models.{home}"), obj.names[key]
                )
                comparer.model(node["fields"], cls, f"{obj.key}#{key}")
                count += 1
    private_names(report)
    return count


def compare() -> tuple[Report, int, int]:
    import extract_api

    report = Report()
    v2 = extract_api.extract("v2")
    params = compare_params(report, v2)
    models = compare_models(report, v2)
    return report, params, models


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", choices=KINDS, help="print every place of one kind")
    args = parser.parse_args()
    report, params, models = compare()
    print(f"compared {params} params TypedDicts and {models} model classes (every depth)")
    for kind, count in report.counts().items():
        print(f"  {kind:17} {count}")
    if args.list:
        print(*report.found[args.list], sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
