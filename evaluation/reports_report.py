"""``eval reports`` output: the terminal tables, a few corrupted examples, and the JSON report.

Formats what ``evaluation.reports`` computed; computes no metric of its own beyond ratios.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.evaluation.report import jsonable, percent, text_table

EXAMPLE_CHARS = 400


def _rate(flags: int, possible: int, rate: float | None) -> str:
    return f"{percent(rate)} ({flags}/{possible})"


def _pr(tp: int, other: int, value: float | None) -> str:
    return f"{value:.3f} ({tp}/{tp + other})" if value is not None else "n/a (0/0)"


def table(data: dict[str, Any], examples: int = 3) -> str:
    """Per file: rows accounted for, spurious flags per label, corruption P/R per kind, examples."""
    lines = [f"eval reports  (draft text: {data['text']}; seed {data['seed']}; rule parser)"]
    for f in data["files"]:
        lines += [
            "",
            f"{f['reports']}  (labels {f['labels']})",
            f"rows {f['rows']}: used {f['used']}, skipped {f['skipped_total']}"
            + "".join(f"\n  skipped: {reason}: {n}" for reason, n in f["skipped"].items())
            + (
                f"\n  labels rows without a report: {f['labels_without_report']}"
                if f["labels_without_report"]
                else ""
            ),
            "",
            "Clean reports: spurious flags per label (flags / reports where the label could be "
            f"flagged); {f['reports_with_spurious_flags']} of {f['used']} reports have one or more",
        ]
        rows = [
            [
                label,
                _rate(t["missing"], t["missing_possible"], t["missing_rate"]),
                _rate(t["unsupported"], t["unsupported_possible"], t["unsupported_rate"]),
                f"{t['uncertain_flags']} flags / {t['uncertain_reports']}",
            ]
            for label, t in f["clean"].items()
        ]
        lines.append(
            text_table(
                ["label", "spurious MISSING", "spurious UNSUPPORTED", "borderline (-1, unscored)"],
                rows,
            )
        )
        lines += [
            "",
            "Corruptions: flags raised beyond the clean audit vs flags the corruption requires",
        ]
        rows = [
            [
                kind,
                k["cases"],
                _pr(k["tp"], k["fp"], k["precision"]),
                _pr(k["tp"], k["fn"], k["recall"]),
                k["exact"],
                k["skipped_total"],
            ]
            for kind, k in f["corruptions"].items()
        ]
        lines.append(
            text_table(["kind", "cases", "precision", "recall", "exact", "not corruptible"], rows)
        )
        for kind, k in f["corruptions"].items():
            for reason, n in k["skipped"].items():
                lines.append(f"  {kind} not made: {reason}: {n}")
        lines += _examples(f["cases"], examples)
    lines += ["", DISCLAIMER]
    return "\n".join(lines)


def _examples(cases: list[dict[str, Any]], n: int) -> list[str]:
    """The first ``n`` cases per kind that missed or added a flag, then clean ones to fill up."""
    if n <= 0:
        return []
    lines = ["", f"Examples (up to {n} per kind; wrong ones first; full text in the JSON):"]
    for kind in dict.fromkeys(c["kind"] for c in cases):
        of_kind = [c for c in cases if c["kind"] == kind]
        wrong = [c for c in of_kind if c["missed"] or c["extra"]]
        right = [c for c in of_kind if not (c["missed"] or c["extra"])]
        for case in (wrong + right)[:n]:
            text = case["corrupted_text"]
            shown = text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS] + "..."
            lines.append(
                f"  [{kind}] uid {case['uid']} {case['label']}: missed {case['missed'] or '-'}; "
                f"extra {case['extra'] or '-'}\n      {shown}"
            )
    return lines


def write_json(data: dict[str, Any], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = {**jsonable(data), "disclaimer": DISCLAIMER}
    path.write_text(json.dumps(out, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return path
