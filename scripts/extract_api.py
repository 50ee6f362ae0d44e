"""Write scripts/api/v1.json and v2.json: the facts of every operation, read from `stripe`.

    uv run python scripts/extract_api.py [--check]

The official `stripe` package (a dev dependency, pinned in uv.lock) describes the
current API in its type annotations. This script reads those annotations with
`ast` (the package is never imported or executed) and keeps only facts: the
service tree and its attribute names, each operation's verb, path, path
parameters, method name, return class, and the names, types and required-ness of
its parameters. No code, comments or docstrings are kept.

The output is compact and committed, so `scripts/gen_api.py` and the tests read
only what the repository carries. Every operation records its API family,
request encoding and pager kind so that v2 (JSON bodies, other pagination) can
be described by the same file format. `v2.json` holds the v2 family (JSON
bodies, `next_page_url` pages) in the same format, plus the facts of the v2
objects (as `scripts/model_facts.py` reads v1's) and of the event notification
types (thin events): each type, its class name and the object it relates to.

`--check` exits non-zero when the committed file differs from a fresh read.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scripts" / "api" / "v1.json"
ROOT_SERVICES = ("stripe._v1_services", "V1Services")
OUT_V2 = ROOT / "scripts" / "api" / "v2.json"
ROOT_SERVICES_V2 = ("stripe._v2_services", "V2Services")

# A type: "str", "int", "bool", "float", "decimal", "any",
# or {"lit"|"list"|"map"|"union"|"obj": ...}
Type = Any


def package_dir() -> Path:
    spec = importlib.util.find_spec("stripe")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the `stripe` package is not installed (uv sync installs it)")
    return Path(next(iter(spec.submodule_search_locations)))


class Reader:
    """Reads services and params modules of the package by their dotted names."""

    def __init__(self, base: Path, family: str = "v1") -> None:
        self.base = base
        self.family = family
        self.trees: dict[str, ast.Module] = {}
        self.shapes: list[list[Any]] = []
        self.shape_ids: dict[str, int] = {}

    def module(self, dotted: str) -> ast.Module:
        if dotted not in self.trees:
            parts = dotted.split(".")[1:]
            path = self.base.joinpath(*parts).with_suffix(".py")
            self.trees[dotted] = ast.parse(path.read_text(encoding="utf-8"))
        return self.trees[dotted]

    # --- services -----------------------------------------------------------

    def walk(self, dotted: str, cls: str, attr: str, out: list[dict[str, Any]]) -> None:
        tree = self.module(dotted)
        imports = type_checking_imports(tree)
        node = find_class(tree, cls)
        subservices = subservices_of(tree)
        methods = [
            op
            for item in node.body
            if isinstance(item, ast.FunctionDef) and not item.name.startswith("_")
            for op in [self.operation(item, imports)]
            if op is not None
        ]
        if attr:
            out.append({"service": attr, "operations": methods})
        for name, (sub_module, sub_cls) in subservices.items():
            self.walk(sub_module, sub_cls, f"{attr}.{name}" if attr else name, out)

    def operation(self, fn: ast.FunctionDef, imports: dict[str, str]) -> dict[str, Any] | None:
        call = request_call(fn)
        if call is None:
            return None
        verb, path, base, stream = call
        if not path.startswith(f"/{self.family}/"):
            return None
        params_cls = params_class(fn)
        returns = ast.literal_eval(fn.returns) if isinstance(fn.returns, ast.Constant) else None
        kind, model = return_kind(returns)
        op: dict[str, Any] = {
            "method": fn.name,
            "verb": verb,
            "path": path,
            "path_params": [a.arg for a in fn.args.posonlyargs if a.arg != "self"],
            "api": self.family,
            "encoding": "form" if self.family == "v1" else "json",
            "base": base,
            "pager": kind if kind in ("list", "search") else None,
            "returns": returns_of(model, imports),
        }
        if stream:
            op["stream"] = True
        if self.deprecated(op["returns"], fn.name):
            op["deprecated"] = True
        if params_cls:
            op["params_name"] = params_cls
            op["params"] = self.params(imports[params_cls], params_cls)
            if base == "files" and verb == "post":
                op["encoding"] = "multipart"
        return op

    def deprecated(self, returns: Any, method: str) -> bool:
        """Stripe marks a deprecated endpoint on the resource class's method (`@deprecated`
        on `ExchangeRate.list`), not on the service's: read it there."""
        if not isinstance(returns, dict) or "module" not in returns:
            return False
        *namespace, leaf = returns["module"].split("/")
        dotted = ".".join(["stripe", *namespace, "_" + leaf])
        try:
            node = find_class(self.module(dotted), returns["name"].split(".")[-1])
        except (OSError, KeyError):
            return False
        return any(
            isinstance(item, ast.FunctionDef)
            and item.name == method
            and any(
                isinstance(d, ast.Call) and ast.unparse(d.func).endswith("deprecated")
                for d in item.decorator_list
            )
            for item in node.body
        )

    # --- params -------------------------------------------------------------

    def params(self, dotted: str, cls: str) -> int:
        tree = self.module(dotted)
        classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        return self.shape(classes, cls)

    def shape(self, classes: dict[str, ast.ClassDef], cls: str) -> int:
        fields = []
        for item in classes[cls].body:
            if not isinstance(item, ast.AnnAssign) or not isinstance(item.target, ast.Name):
                continue
            annotation, required = unwrap_required(item.annotation)
            fields.append([item.target.id, self.type_of(annotation, classes), required])
        key = json.dumps(fields, sort_keys=True)
        if key not in self.shape_ids:
            self.shape_ids[key] = len(self.shapes)
            self.shapes.append(fields)
        return self.shape_ids[key]

    def type_of(self, node: ast.expr, classes: dict[str, ast.ClassDef]) -> Type:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self.type_of(ast.parse(node.value, mode="eval").body, classes)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            members: list[Type] = []
            for side in (node.left, node.right):
                t = self.type_of(side, classes)
                members.extend(t["union"] if isinstance(t, dict) and "union" in t else [t])
            return {"union": merge_literals(members)}
        if isinstance(node, ast.Name):
            if node.id in classes:
                return {"obj": self.shape(classes, node.id)}
            simple = {"str": "str", "int": "int", "bool": "bool", "float": "float"}
            return {**simple, "Decimal": "decimal"}.get(node.id, "any")
        if isinstance(node, ast.Subscript):
            head = node.value.id if isinstance(node.value, ast.Name) else ""
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head == "Literal":
                return {"lit": [ast.literal_eval(a) for a in args]}
            if head == "List":
                return {"list": self.type_of(args[0], classes)}
            if head == "Dict":
                return {"map": self.type_of(args[1], classes)}
            if head == "Union":
                return self.type_of(
                    ast.parse(" | ".join(ast.unparse(a) for a in args), mode="eval").body, classes
                )
            if head == "UntypedStripeObject":
                return {"map": self.type_of(args[0], classes)}
        return "any"


def merge_literals(members: list[Type]) -> list[Type]:
    """`Literal['a']|Literal['b']|str` as one literal and the open `str`; maps deduplicated."""
    values: list[Any] = []
    rest: list[Type] = []
    for member in members:
        if isinstance(member, dict) and "lit" in member:
            values.extend(v for v in member["lit"] if v not in values)
        elif member not in rest:
            rest.append(member)
    return ([{"lit": values}] if values else []) + rest


def unwrap_required(node: ast.expr) -> tuple[ast.expr, bool]:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if node.value.id == "NotRequired":
            return node.slice, False
        if node.value.id == "Required":
            return node.slice, True
    return node, True


def find_class(tree: ast.Module, name: str) -> ast.ClassDef:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    raise KeyError(name)


def subservices_of(tree: ast.Module) -> dict[str, tuple[str, str]]:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "_subservices"
        ):
            value = ast.literal_eval(node.value)
            return {name: (mod, cls) for name, (mod, cls) in value.items()}
    return {}


def type_checking_imports(tree: ast.Module) -> dict[str, str]:
    """Names imported for annotations, to the dotted module that defines them."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stripe"):
            for alias in node.names:
                names[alias.asname or alias.name] = node.module
    return names


def request_call(fn: ast.FunctionDef) -> tuple[str, str, str, bool] | None:
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in ("_request", "_request_stream"):
            continue
        verb = ast.literal_eval(node.args[0])
        target = node.args[1]
        if isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
            target = target.func.value  # "/v1/x/{id}".format(...)
        path = ast.literal_eval(target)
        base = next(
            (ast.literal_eval(k.value) for k in node.keywords if k.arg == "base_address"), "api"
        )
        return verb, path, base, node.func.attr == "_request_stream"
    return None


def params_class(fn: ast.FunctionDef) -> str | None:
    for arg in fn.args.args + fn.args.kwonlyargs:
        if arg.arg == "params" and arg.annotation is not None:
            text = ast.unparse(arg.annotation)
            inner = ast.parse(text, mode="eval").body
            if isinstance(inner, ast.Subscript):  # Optional["X"]
                inner = inner.slice
            if isinstance(inner, ast.Constant):
                return str(inner.value)
            if isinstance(inner, ast.Name):
                return inner.id
    return None


def return_kind(annotation: str | None) -> tuple[str, str | None]:
    if not annotation:
        return "object", None
    node = ast.parse(annotation, mode="eval").body
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        inner = ast.unparse(node.slice)
        if node.value.id == "ListObject":
            return "list", inner
        if node.value.id == "SearchResultObject":
            return "search", inner
    return "object", annotation


def returns_of(model: str | None, imports: dict[str, str]) -> Any:
    """One model reference, `{"one_of": [...]}` for a union, None for a raw body."""
    if model is None:
        return None
    node = ast.parse(model, mode="eval").body
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "Union":
        names = [ast.unparse(e) for e in node.slice.elts]  # type: ignore[attr-defined]
        return {"one_of": [model_ref(n, imports) for n in names]}
    return model_ref(model, imports)


def model_ref(name: str, imports: dict[str, str]) -> dict[str, str] | None:
    """`checkout.Session` in module `checkout/session`, named as the official class is."""
    module = imports.get(name)
    if module is None or not module.startswith("stripe."):
        return None
    parts = module.split(".")[1:]
    if not parts[-1].startswith("_") or parts[-1] in ("_stripe_response",):
        return None
    namespace = parts[:-1]
    return {
        "name": ".".join([*namespace, name]),
        "module": "/".join([*namespace, parts[-1][1:]]),
    }


def extract(family: str = "v1") -> dict[str, Any]:
    base = package_dir()
    reader = Reader(base, family)
    services: list[dict[str, Any]] = []
    reader.walk(*(ROOT_SERVICES if family == "v1" else ROOT_SERVICES_V2), "", services)
    version = (base / "_version.py").read_text(encoding="utf-8")
    api_version = (base / "_api_version.py").read_text(encoding="utf-8")
    return {
        "source": {
            "package": "stripe",
            "version": ast.literal_eval(find_assign(version, "VERSION")),
            "api_version": ast.literal_eval(find_assign(api_version, "CURRENT")),
            "licence": "MIT (facts read from the annotations of the stripe package)",
        },
        "services": services,
        "shapes": reader.shapes,
        **(v2_extras(base) if family == "v2" else {}),
    }


def v2_extras(base: Path) -> dict[str, Any]:
    """The v2 objects (read as scripts/model_facts.py reads v1's) and the notification types."""
    from model_facts import FileReader  # scripts/ is on sys.path when run as a script

    files = [
        p
        for p in sorted((base / "v2").rglob("_*.py"))
        if "OBJECT_NAME: ClassVar" in p.read_text(encoding="utf-8")
    ]
    objects: dict[tuple[str, str], str] = {}
    for path in files:
        probe = FileReader(base, path, {})
        cls = probe.main_class()
        objects[(probe.module, cls.name)] = ".".join([*probe.module.split(".")[1:-1], cls.name])
    # v1 objects a notification relates to are named as objects.json names them.
    read = [FileReader(base, path, objects).read() for path in files]
    return {
        "objects": sorted(read, key=lambda o: o["key"]),
        "notifications": notifications(base),
    }


def notifications(base: Path) -> list[dict[str, Any]]:
    """Every event notification class: its type, name, and the related object's model."""
    out = []
    for path in sorted((base / "events").glob("_v*_event.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = type_checking_imports(tree)
        for node in tree.body:
            if not (isinstance(node, ast.ClassDef) and node.name.endswith("EventNotification")):
                continue
            lookup = next(
                ast.literal_eval(s.value)
                for s in node.body
                if isinstance(s, ast.Assign)
                and isinstance(s.targets[0], ast.Name)
                and s.targets[0].id == "LOOKUP_TYPE"
            )
            related = next(
                (
                    ast.literal_eval(f.returns)
                    for f in node.body
                    if isinstance(f, ast.FunctionDef)
                    and f.name == "fetch_related_object"
                    and isinstance(f.returns, ast.Constant)
                ),
                None,
            )
            out.append(
                {
                    "type": lookup,
                    "class": node.name,
                    "related": returns_of(related, imports) if related else None,
                }
            )
    return sorted(out, key=lambda n: n["type"])


def find_assign(source: str, name: str) -> str:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.unparse(node.value)
    raise KeyError(name)


def render(facts: dict[str, Any]) -> str:
    # One service or shape per line: diffs stay readable, the file stays small.
    lines = ["{", f'"source": {json.dumps(facts["source"])},', '"services": [']
    lines += [
        json.dumps(s, separators=(",", ":")) + ("," if i < len(facts["services"]) - 1 else "")
        for i, s in enumerate(facts["services"])
    ]
    lines += ["],", '"shapes": [']
    lines += [
        json.dumps(s, separators=(",", ":")) + ("," if i < len(facts["shapes"]) - 1 else "")
        for i, s in enumerate(facts["shapes"])
    ]
    lines += ["]"]
    for extra in ("objects", "notifications"):
        if extra in facts:
            lines[-1] += ","
            lines += [f'"{extra}": [']
            lines += [
                json.dumps(o, separators=(",", ":")) + ("," if i < len(facts[extra]) - 1 else "")
                for i, o in enumerate(facts[extra])
            ]
            lines += ["]"]
    lines += ["}", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    failed = 0
    for family, out in (("v1", OUT), ("v2", OUT_V2)):
        text = render(extract(family))
        if args.check:
            current = out.read_text(encoding="utf-8") if out.exists() else ""
            if current != text:
                print(f"{out.relative_to(ROOT)} is out of date: run scripts/extract_api.py")
                failed = 1
            else:
                print(f"{out.relative_to(ROOT)} is up to date")
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        print(f"wrote {out.relative_to(ROOT)} ({len(text) // 1024} KiB, sha256 {digest})")
    return failed


if __name__ == "__main__":
    sys.exit(main())
