"""The layer rules of DESIGN.md section 2 and ARCHITECTURE.md, checked by import-linter's
contracts, and the absence of import cycles, checked on grimp's import graph."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping, Set
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_the_app_starts_without_heavy_imports() -> None:
    code = (
        "import sys, qualcode.cli.main as m; m.build_parser();"
        "heavy = [n for n in ('spacy', 'matplotlib', 'PySide6', 'docx', 'openpyxl', 'pandas') if n in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def strongly_connected(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """The groups of two or more nodes that reach each other (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_strongly_connected_finds_a_cycle_and_nothing_else() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def _import_graph() -> grimp.ImportGraph:
    return grimp.build_graph("qualcode")


def test_no_module_imports_itself_back() -> None:
    """No cycle between modules anywhere in qualcode, imports made for type checking included."""
    graph = _import_graph()
    edges = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    assert strongly_connected(edges) == []


def test_no_cycle_between_capability_packages() -> None:
    """Inside each layer, the capability folders depend on each other in one direction only."""
    graph = _import_graph()
    for layer in ("qualcode.cli", "qualcode.gui", "qualcode.services"):
        packages = {child for child in graph.find_children(layer) if graph.find_children(child)}
        edges: dict[str, set[str]] = {package: set() for package in packages}
        for importer in packages:
            for imported in packages - {importer}:
                if graph.find_shortest_chain(importer=importer, imported=imported, as_packages=True) is not None:
                    edges[importer].add(imported)
        assert strongly_connected(edges) == [], layer


def test_top_levels_hold_only_the_core() -> None:
    """gui/ and services/ keep their top level small; everything else sits in a capability folder."""
    for layer in ("gui", "services"):
        modules = sorted(p.name for p in (ROOT / "qualcode" / layer).glob("*.py"))
        assert len(modules) <= 15, (layer, modules)
