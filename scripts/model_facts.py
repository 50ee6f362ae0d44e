"""Read the object facts of Stripe's API from the type annotations of the `stripe` package.

    uv run python scripts/model_facts.py          # rewrite scripts/api/objects.json
    uv run python scripts/model_facts.py --check  # fail if it differs from the package

Only facts are read, by parsing (never importing) the package's source: each v1
object's class name, module, `OBJECT_NAME`, its fields with their types and
nullability (expandable or not), its nested object classes, and the list of
event types. No code, comment or docstring is carried over. `gen_models.py`
writes the models from the JSON this produces.

Types are stored as small JSON terms:
  "str" | "int" | "float" | "bool" | "any" | "decimal"
  ["opt", T]  ["list", T]  ["map", T]  ["lit", [values]]  ["union", [T, ...]]
  ["ref", key]  ["exp", key]  ["listobj", key]
where `key` names an object ("Customer", "checkout.Session") or one of its nested
classes ("checkout.Session#CustomerDetails.Address").
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "scripts" / "api" / "objects.json"
Term = Any


def package_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("stripe")
    if spec is None or spec.origin is None:
        sys.exit("the `stripe` package (a dev dependency) is needed to read the facts")
    return Path(spec.origin).parent


def object_files(pkg: Path) -> list[Path]:
    files = []
    for path in sorted(pkg.rglob("_*.py")):
        rel = path.relative_to(pkg)
        if rel.parts[0] in {"v2", "params", "events"} or path.name == "_api_resource.py":
            continue
        if "OBJECT_NAME: ClassVar" in path.read_text():
            files.append(path)
    return files


def public_key(pkg: Path, module: str, name: str) -> str:
    """`stripe.checkout._session` + `Session` -> `checkout.Session`."""
    parts = module.split(".")[1:-1]
    return ".".join([*parts, name])


class FileReader:
    def __init__(self, pkg: Path, path: Path, objects: dict[tuple[str, str], str]) -> None:
        self.pkg = pkg
        self.path = path
        rel = path.relative_to(pkg).with_suffix("")
        self.module = ".".join(["stripe", *rel.parts])
        self.objects = objects  # (module, class) -> key
        self.imports: dict[str, tuple[str, str]] = {}
        self.tree = ast.parse(path.read_text())
        for node in ast.walk(self.tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("stripe")
            ):
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)

    def main_class(self) -> ast.ClassDef:
        for node in self.tree.body:
            if isinstance(node, ast.ClassDef) and any(
                isinstance(s, ast.AnnAssign)
                and isinstance(s.target, ast.Name)
                and s.target.id == "OBJECT_NAME"
                for s in node.body
            ):
                return node
        raise LookupError(self.path)

    def read(self) -> dict[str, Any]:
        cls = self.main_class()
        key = self.objects[(self.module, cls.name)]
        object_name = ""
        for stmt in cls.body:
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == "OBJECT_NAME"
                and isinstance(stmt.value, ast.Constant)
            ):
                object_name = stmt.value.value
        body = self.read_class(cls, key, [])
        parts = key.split(".")
        return {
            "key": key,
            "class": cls.name,
            "namespace": ".".join(parts[:-1]),
            "module": self.path.stem.lstrip("_"),
            "object": object_name,
            **body,
        }

    def read_class(self, cls: ast.ClassDef, key: str, path: list[str]) -> dict[str, Any]:
        nested_names = {s.name for s in cls.body if isinstance(s, ast.ClassDef)}
        remap: dict[str, str] = {}
        for stmt in cls.body:
            if (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == "_field_remappings"
            ):
                remap = ast.literal_eval(stmt.value)
        fields = []
        nested = []
        for stmt in cls.body:
            if isinstance(stmt, ast.ClassDef):
                if not any(ast.unparse(b) == "StripeObject" for b in stmt.bases):
                    continue  # `TestHelpers`: a namespace of methods, not part of the object
                nested.append({"name": stmt.name, **self.read_class(stmt, key, [*path, stmt.name])})
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name == "OBJECT_NAME" or name.startswith("_"):
                    continue
                term = self.term(stmt.annotation, key, path, nested_names)
                fields.append([remap.get(name, name), term])
        return {"fields": fields, "nested": nested}

    def resolve(self, name: str, key: str, path: list[str], local: set[str]) -> Term:
        if "." in name:  # Outer.Inner within the same class tree
            return ["ref", f"{key}#{'.'.join([*path, *name.split('.')])}"]
        if name in local:
            return ["ref", f"{key}#{'.'.join([*path, name])}"]
        # A nested class of an enclosing class (the package's own scoping habit).
        tree_paths = self._nested_paths()
        for depth in range(len(path) - 1, -1, -1):
            candidate = ".".join([*path[:depth], name])
            if candidate in tree_paths:
                return ["ref", f"{key}#{candidate}"]
        if name in self.imports:
            module, cls = self.imports[name]
            target = self.objects.get((module, cls))
            return ["ref", target] if target else "any"
        target = self.objects.get((self.module, name))
        return ["ref", target] if target else "any"

    def _nested_paths(self) -> set[str]:
        if not hasattr(self, "_paths"):
            paths: set[str] = set()

            def walk(cls: ast.ClassDef, prefix: list[str]) -> None:
                for stmt in cls.body:
                    if isinstance(stmt, ast.ClassDef):
                        paths.add(".".join([*prefix, stmt.name]))
                        walk(stmt, [*prefix, stmt.name])

            walk(self.main_class(), [])
            self._paths = paths
        return self._paths

    def term(self, node: ast.expr, key: str, path: list[str], local: set[str]) -> Term:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node = ast.parse(node.value, mode="eval").body
        if isinstance(node, ast.Name):
            simple = {
                "str": "str",
                "int": "int",
                "float": "float",
                "bool": "bool",
                "Any": "any",
                "Decimal": "decimal",
                "object": "any",
            }
            if node.id in simple:
                return simple[node.id]
            return self.resolve(node.id, key, path, local)
        if isinstance(node, ast.Attribute):
            return self.resolve(ast.unparse(node), key, path, local)
        if isinstance(node, ast.Subscript):
            head = ast.unparse(node.value)
            args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head == "Optional":
                return ["opt", self.term(args[0], key, path, local)]
            if head in {"List", "list"}:
                return ["list", self.term(args[0], key, path, local)]
            if head in {"Dict", "dict", "Mapping"}:
                return ["map", self.term(args[1], key, path, local)]
            if head == "UntypedStripeObject":
                return ["map", self.term(args[0], key, path, local)]
            if head == "Literal":
                return ["lit", [a.value for a in args if isinstance(a, ast.Constant)]]
            if head == "Union":
                return ["union", [self.term(a, key, path, local) for a in args]]
            if head == "ExpandableField":
                return ["exp", self.term(args[0], key, path, local)[1]]
            if head == "ListObject":
                inner = self.term(args[0], key, path, local)
                return ["listobj", inner[1] if isinstance(inner, list) else "any"]
            if head == "SearchResultObject":
                inner = self.term(args[0], key, path, local)
                return ["listobj", inner[1] if isinstance(inner, list) else "any"]
        raise ValueError(f"{self.path}: unsupported annotation {ast.unparse(node)}")


def event_types(pkg: Path) -> list[str]:
    tree = ast.parse((pkg / "_event.py").read_text())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "type"
        ):
            values = [
                n.value
                for n in ast.walk(node.annotation)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            return sorted(set(values))
    raise LookupError("event types")


def read_facts() -> dict[str, Any]:
    pkg = package_dir()
    files = object_files(pkg)
    objects: dict[tuple[str, str], str] = {}
    for path in files:
        reader = FileReader(pkg, path, {})
        cls = reader.main_class()
        objects[(reader.module, cls.name)] = public_key(pkg, reader.module, cls.name)
    result = [FileReader(pkg, path, objects).read() for path in files]
    version = (pkg / "_version.py").read_text().split('"')[1]
    return {
        "source": f"stripe {version} (Python package, type annotations only; MIT)",
        "objects": sorted(result, key=lambda o: o["key"]),
        "event_types": event_types(pkg),
    }


def main() -> int:
    text = json.dumps(read_facts(), separators=(",", ":")) + "\n"
    if "--check" in sys.argv[1:]:
        if OUT.read_text() != text:
            print(f"{OUT} differs from the installed stripe package: run scripts/model_facts.py")
            return 1
        print(f"{OUT} matches the installed stripe package")
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    facts = json.loads(text)
    print(f"{len(facts['objects'])} objects, {len(facts['event_types'])} event types -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
