"""The emulator imports one way: routes -> flows; checkout, connect -> billing -> payments."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import stripe_async.testing

PACKAGE = "stripe_async.testing"
ROOT = Path(stripe_async.testing.__file__).parent

#: A flow layer may import only the layers listed after it.
LAYERS = ["_flows.checkout", "_flows.connect", "_flows.billing", "_flows.payments"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _is_module(name: str) -> bool:
    relative = name.removeprefix(PACKAGE).lstrip(".").replace(".", "/")
    return (ROOT / f"{relative}.py").exists() or (ROOT / relative / "__init__.py").exists()


def imports_of(path: Path) -> set[str]:
    """Every emulator module `path` imports, at module level or inside a function."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith(PACKAGE + "."))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if not target.startswith(PACKAGE):
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
    found.discard(here)
    return found


def graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {name: imports_of(path) & modules.keys() for name, path in modules.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    done: set[str] = set()
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> list[str] | None:
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt in on_stack:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in done:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        on_stack.discard(node)
        done.add(node)
        return None

    for start in sorted(edges):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def test_the_emulator_has_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_cycle_finder_reports_a_planted_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(edges) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_flows_never_import_routes() -> None:
    for module, targets in graph().items():
        if ".testing._flows" in module:
            assert not [t for t in targets if "._routes" in t], module


@pytest.mark.parametrize("index", range(len(LAYERS)))
def test_flow_layers_only_import_downwards(index: int) -> None:
    layer = f"{PACKAGE}.{LAYERS[index]}"
    upper = [f"{PACKAGE}.{name}" for name in LAYERS[: index + 1] if name != LAYERS[index]]
    for module, targets in graph().items():
        if module == layer or module.startswith(layer + "."):
            bad = [t for t in targets if any(t == u or t.startswith(u + ".") for u in upper)]
            assert not bad, f"{module} imports a layer above it: {bad}"
