"""An evaluation's outputs: ``summary.json``, ``report.md`` with its plots, and a text table.

- JSON: strict JSON (``allow_nan=False``); an undefined ratio (NaN in ``core.metrics``) is written
  as ``null``, never as 0 or 1.
- Markdown: tables and embedded PNG plots (drawn by ``evaluation.plots``); when a plot cannot be
  drawn (matplotlib not installed), the report says so where the plot would be.
- Text: fixed-width tables for the terminal.

This module formats; it computes no metric.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.evaluation.plots import Figure, draw

SUMMARY_FILE = "summary.json"
REPORT_FILE = "report.md"


def jsonable(value: Any) -> Any:
    """Plain JSON data from metrics objects: NaN/inf -> None, models and dataclasses -> dicts."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump(mode="python"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [jsonable(v) for v in items]
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to the JSON summary")


def fmt(value: Any, digits: int = 3) -> str:
    """A number for a table: ``n/a`` for an undefined ratio, fixed digits for floats."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def percent(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return f"{100 * value:.1f}%"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A fixed-width table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [
        [c if isinstance(c, str) else fmt(c) for c in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    def cell(c: Any) -> str:
        return (c if isinstance(c, str) else fmt(c)).replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def md_list(title: str, items: Sequence[str], limit: int = 20) -> list[str]:
    """A bulleted list of the first ``limit`` items, saying how many more are in the JSON."""
    if not items:
        return []
    lines = [f"{title} ({len(items)}):", ""]
    lines += [f"- {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"- ... and {len(items) - limit} more (all listed in {SUMMARY_FILE})")
    return lines + [""]


def embed(figure: Figure, drawn: Mapping[str, str | None]) -> list[str]:
    """Markdown for one plot: the image, or why it was not drawn."""
    problem = drawn.get(figure.file, "not drawn")
    if problem is None:
        return [f"![{figure.title}]({figure.file})", ""]
    return [f'*Plot "{figure.title}" not drawn: {problem}.*', ""]


def write_outputs(
    out_dir: Path,
    summary: Mapping[str, Any],
    figures: Sequence[Figure],
    markdown: Callable[[Mapping[str, str | None]], list[str]],
) -> dict[str, Path]:
    """Draw the figures, then write ``summary.json`` and ``report.md``; return the written paths.

    ``markdown`` receives, per figure file, None when it was drawn or the reason it was not.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    drawn = {figure.file: draw(figure, out_dir / figure.file) for figure in figures}
    data = jsonable(summary)
    data["plots"] = {name: problem or "drawn" for name, problem in drawn.items()}
    summary_path = out_dir / SUMMARY_FILE
    summary_path.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    lines = markdown(drawn) + ["", f"*{DISCLAIMER}*", ""]
    report_path = out_dir / REPORT_FILE
    report_path.write_text("\n".join(lines), encoding="utf-8")
    paths = {"summary": summary_path, "report": report_path}
    paths.update({name: out_dir / name for name, problem in drawn.items() if problem is None})
    return paths
