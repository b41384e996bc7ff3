"""Small helpers shared by the fuzzers and fault drills in this package: timing figures and tables.

Not a benchmark itself. The scripts in ``bench/`` and their fast pytest versions in ``tests/`` both
import the fuzzers from here (``cxr_auditor.reliability``), never from each other.
"""

from __future__ import annotations

import math
import os
import random
import sys
from collections.abc import Sequence


def case_rng(seed: int, index: int, salt: str = "") -> random.Random:
    """The random source of one generated case: the same (seed, index) always gives the same
    case."""
    return random.Random(f"{salt}:{seed}:{index}")


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned numbers, as the scripts print it (and RELIABILITY.md
    quotes it)."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        parts = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def machine() -> str:
    """One line naming the interpreter and the CPUs the figures were measured on."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"Python {sys.version.split()[0]}, {cpus} CPU(s)"
