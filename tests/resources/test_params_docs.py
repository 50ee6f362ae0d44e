"""Every generated parameter type, parameter and service method says where it is documented."""

from __future__ import annotations

import ast
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent.parent / "stripe_async" / "resources"
LINK = "https://docs.stripe.com/api/"


def generated_modules(folder: Path) -> list[tuple[Path, ast.Module]]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "do not edit" in source.split("\n", 1)[0]:
            found.append((path, ast.parse(source)))
    return found


def test_every_params_typeddict_and_parameter_has_a_docstring_with_its_reference_page() -> None:
    missing: list[str] = []
    fields = 0
    for path, tree in generated_modules(RESOURCES / "_params"):
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            if not ast.get_docstring(node):
                missing.append(f"{path.name}:{node.name}")
            for i, stmt in enumerate(node.body):
                if not isinstance(stmt, ast.AnnAssign):
                    continue
                fields += 1
                after = node.body[i + 1] if i + 1 < len(node.body) else None
                value = after.value if isinstance(after, ast.Expr) else None
                doc = value.value if isinstance(value, ast.Constant) else None
                if not (isinstance(doc, str) and LINK in doc):
                    missing.append(f"{path.name}:{node.name}.{ast.unparse(stmt.target)}")
    assert fields > 5000
    assert not missing, missing[:10]


def operations(node: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The methods that call the API (sub-service attributes are properties)."""
    return [
        item
        for item in node.body
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        and not item.name.startswith("_")
        and not any("property" in ast.unparse(d) for d in item.decorator_list)
    ]


def test_every_generated_service_method_links_to_its_page() -> None:
    missing: list[str] = []
    methods = 0
    for path, tree in generated_modules(RESOURCES):
        if "_params" in path.parts:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in operations(node):
                methods += 1
                doc = ast.get_docstring(item) or ""
                if LINK not in doc and "The same as" not in doc:
                    missing.append(f"{path.name}:{node.name}.{item.name}")
    assert methods > 600
    assert not missing, missing[:10]
