"""The package's shape: one import namespace, layers that point one way, and no import cycles.

The layer contract itself lives in ``pyproject.toml`` (``[tool.importlinter]``) and is checked by
``lint-imports`` in ``.ci/run``; these tests check what that contract cannot say: that no module
imports itself back through others, that the package list names every folder, and that nothing
imports the old top-level names (``core``, ``ui``, ...).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
OLD_TOP_LEVEL = {"core", "serving", "ui", "evaluation", "train", "build_engines", "bench", "tests"}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: every group of two or more modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return groups


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_strongly_connected_finds_cycles(
    edges: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert strongly_connected(edges) == expected


def test_no_import_cycles_between_modules() -> None:
    graph = grimp.build_graph("cxr_auditor", cache_dir=None)
    edges = {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported.startswith("cxr_auditor.")
        }
        for module in graph.modules
        if module.startswith("cxr_auditor.")
    }
    # A package's __init__ importing its own modules is not a cycle of ideas; leave __init__ out.
    edges = {
        module: {m for m in imported if m not in _packages(graph)}
        for module, imported in edges.items()
        if module not in _packages(graph)
    }
    assert strongly_connected(edges) == []


def _packages(graph: grimp.ImportGraph) -> set[str]:
    return {module for module in graph.modules if graph.find_children(module)}


def test_package_list_names_every_folder() -> None:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert settings["package-dir"] == {"cxr_auditor": "."}
    listed = set(settings["packages"])
    on_disk = {
        ".".join(("cxr_auditor", *init.parent.relative_to(ROOT).parts))
        for init in ROOT.rglob("__init__.py")
        if not {".venv", ".git", "build", "tests"} & set(init.relative_to(ROOT).parts)
    }
    assert listed == on_disk


def test_nothing_imports_the_old_top_level_names() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if {".venv", ".git", "build"} & parts or path.is_relative_to(ROOT / "tests" / "fixtures"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] in OLD_TOP_LEVEL
            ]
    assert offenders == []
