"""core/ runs from a plain Python shell: it imports nothing but stdlib, numpy and pydantic."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "core"
ALLOWED_THIRD_PARTY = {"numpy", "pydantic", "pydantic_core"}
BLOCKED = (
    "torch",
    "transformers",
    "tritonclient",
    "streamlit",
    "triton_python_backend_utils",
    "PIL",
    "sqlalchemy",
)


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {_top(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(_top(node.module))
    return names - {"cxr_auditor.core"}


def _top(module: str) -> str:
    """``numpy.linalg`` -> ``numpy``; first-party names keep their layer (``cxr_auditor.core``)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "cxr_auditor" else parts[0]


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_only_allowed_packages(path):
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    outside = _imported_top_levels(path) - stdlib - ALLOWED_THIRD_PARTY
    assert not outside, f"{path.relative_to(CORE.parent)} imports {sorted(outside)}"


def test_core_imports_with_heavy_stacks_made_unimportable(tmp_path):
    """Every core module imports, and an audit runs, while the heavy stacks cannot be imported."""
    blocker = "\n".join(
        [
            "import importlib.abc, sys",
            "class Block(importlib.abc.MetaPathFinder):",
            "    def find_spec(self, name, path, target=None):",
            f"        if name.split('.')[0] in {BLOCKED!r}:",
            "            raise ImportError('blocked for the purity test: ' + name)",
            "sys.meta_path.insert(0, Block())",
            "import pkgutil, importlib, cxr_auditor.core as core",
            "for info in pkgutil.walk_packages(core.__path__, 'cxr_auditor.core.'):",
            "    importlib.import_module(info.name)",
            "from cxr_auditor.core.audit import reference_read, run_audit",
            "from cxr_auditor.core.schemas import Finding",
            "read = reference_read([Finding(label='pneumothorax', box=(0.1, 0.1, 0.3, 0.4))])",
            "result = run_audit('No pneumothorax.', read)",
            "print(sorted((f.kind, f.reason or '') for f in result.flags))",
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {BLOCKED!r}))",
        ]
    )
    script = tmp_path / "purity.py"
    script.write_text(blocker)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=CORE.parent, timeout=120
    )
    assert done.returncode == 0, done.stderr
    flags_line, modules_line = done.stdout.strip().splitlines()[-2:]
    assert "('MISSING', 'denied')" in flags_line and "('URGENT', '')" in flags_line
    assert modules_line == "[]"
