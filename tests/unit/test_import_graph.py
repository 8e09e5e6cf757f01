"""The package's imports point down: no import cycle, not even through an import inside a
function, and the pipeline package never imports the offline world (devtools)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"rotation_radar": ROOT / "plugins" / "rotation_radar", "devtools": ROOT / "devtools"}


def modules(package: str) -> dict[str, Path]:
    """Dotted module name -> source file, packages by their __init__.py."""
    base = PACKAGES[package]
    found = {}
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(base.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of `known` that a module imports anywhere in its source (function bodies and
    TYPE_CHECKING blocks included), with the packages Python runs on the way."""
    targets: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                package = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            targets.add(base)
            targets |= {f"{base}.{alias.name}" for alias in node.names}
    edges = set()
    for target in targets:
        parts = target.split(".")
        for end in range(2, len(parts) + 1):  # each package on the way, then the module
            prefix = ".".join(parts[:end])
            if prefix in known and prefix != name:
                edges.add(prefix)
    return edges


def graph() -> dict[str, set[str]]:
    files = {**modules("rotation_radar"), **modules("devtools")}
    known = set(files)
    return {name: imported(path, name, known) for name, path in files.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    found = cycles(graph())
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_pipeline_never_imports_the_offline_world():
    edges = graph()
    offenders = {m: sorted(t for t in ts if t.startswith("devtools")) for m, ts in edges.items()}
    assert {m: ts for m, ts in offenders.items() if m.startswith("rotation_radar") and ts} == {}


def test_core_imports_nothing_above_it():
    edges = graph()
    upward = {
        module: sorted(t for t in targets if not t.startswith(("rotation_radar.core", "devtools")))
        for module, targets in edges.items()
        if module.startswith("rotation_radar.core")
    }
    assert {m: ts for m, ts in upward.items() if ts} == {}


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_cycles_are_found_and_named(edges, expected):
    assert cycles(edges) == expected


def test_imports_inside_functions_count(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from rotation_radar.core import lake\n")
    assert imported(
        source, "rotation_radar.x", {"rotation_radar.core", "rotation_radar.core.lake"}
    ) == {
        "rotation_radar.core",
        "rotation_radar.core.lake",
    }


def test_no_module_is_over_700_lines():
    long = {
        name: n
        for name, path in modules("rotation_radar").items()
        if (n := len(path.read_text().splitlines())) > 700
    }
    assert long == {}
