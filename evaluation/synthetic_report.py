"""The outputs of ``eval synthetic``: JSON summary, Markdown report with plots, terminal table.

The JSON holds every figure, every case that did not come out exactly as expected (with its draft,
what was missed and what was unexpected), every failure and every skipped kind; the Markdown shows
the tables, the plots and the first entries of each list.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxr_auditor.core.labels import LABELS
from cxr_auditor.evaluation.plots import BarFigure, Figure
from cxr_auditor.evaluation.report import (
    embed,
    md_list,
    md_table,
    percent,
    text_table,
    write_outputs,
)
from cxr_auditor.evaluation.synthetic import SyntheticEval

KIND_HEADERS = ["kind", "tp", "fp", "fn", "precision", "recall", "F1"]


def summary(run: SyntheticEval) -> dict[str, Any]:
    mismatches = [o.listing() for o in run.outcomes if not o.correct]
    return {
        "evaluation": "synthetic",
        "source": run.source.describe(),
        "parser": run.parser,
        "grounder": run.grounder,
        "seed": run.seed,
        "limit": run.limit,
        "n_reads": len(run.source.cases),
        "source_problems": run.source.problems,
        "skipped_kinds": dict(run.skipped),
        **run.scores,
        "failures": [
            {"case_id": o.case_id, "status": o.status, "error": o.error}
            for o in run.outcomes
            if o.status != "ok"
        ],
        "mismatches": mismatches,
    }


def _kind_rows(scores: Mapping[str, Any]) -> list[list[Any]]:
    return [
        [kind, s["tp"], s["fp"], s["fn"], s["precision"], s["recall"], s["f1"]]
        for kind, s in scores["per_kind"].items()
    ]


def _label_rows(scores: Mapping[str, Any]) -> list[list[Any]]:
    return [
        [label, s["tp"], s["fp"], s["fn"], s["precision"], s["recall"], s["f1"]]
        for label, s in scores["per_label"].items()
    ]


def figures(run: SyntheticEval) -> list[Figure]:
    labels: list[str] = [label for label in LABELS if label in run.scores["per_label"]]
    per_label = run.scores["per_label"]
    kinds = run.scores["per_kind"]
    return [
        BarFigure(
            "synthetic_per_label.png",
            "Flags and notes per label (synthetic drafts)",
            labels,
            {m: [per_label[lb][m] for lb in labels] for m in ("precision", "recall", "f1")},
        ),
        BarFigure(
            "synthetic_per_kind.png",
            "Flags and notes per kind (synthetic drafts)",
            list(kinds),
            {m: [kinds[k][m] for k in kinds] for m in ("precision", "recall", "f1")},
        ),
    ]


def table(run: SyntheticEval) -> str:
    s = run.scores
    clean = s["clean_drafts"]
    head = (
        f"eval synthetic: {s['n_cases']} cases from {len(run.source.cases)} reads "
        f"(parser {run.parser}, grounder {run.grounder}); exact {s['n_exact']} "
        f"({percent(s['exact_rate'])}); clean-draft false-flag rate "
        f"{percent(clean['false_flag_rate'])} ({clean['with_false_flag']}/{clean['n']}); "
        f"status {s['status']}"
    )
    return "\n\n".join(
        [
            head,
            text_table(KIND_HEADERS, _kind_rows(s)),
            text_table(["label", *KIND_HEADERS[1:]], _label_rows(s)),
        ]
    )


def markdown(run: SyntheticEval, drawn: Mapping[str, str | None]) -> list[str]:
    s = run.scores
    clean = s["clean_drafts"]
    figs = figures(run)
    lines = [
        "# Synthetic-draft evaluation",
        "",
        f"- Reads: {run.source.describe()}",
        f"- Parser: `{run.parser}`; image read: `{run.grounder}`; seed {run.seed}"
        + (f"; at most {run.limit} cases" if run.limit is not None else ""),
        (
            f"- Cases: {s['n_cases']}; exactly as expected: {s['n_exact']} "
            f"({percent(s['exact_rate'])})"
        ),
        "- Case status: " + ", ".join(f"{k} {v}" for k, v in sorted(s["status"].items())),
        (
            f"- **Clean-draft false-flag rate: {percent(clean['false_flag_rate'])}** "
            f"({clean['with_false_flag']} of {clean['n']} faithful drafts got a MISSING, "
            "UNSUPPORTED, LATERALITY or URGENT flag they should not have; by kind: "
            f"{clean['false_flags_by_kind'] or 'none'}); any unexpected flag or note: "
            f"{percent(clean['any_unexpected_rate'])}"
        ),
        "",
        (
            "Expected decisions are written from the corruption applied to each draft "
            "(`core/synthetic.py`), never by the comparator; identity is (kind, label, reason of a "
            "MISSING). `URGENT_NOT_IN_DRAFT` scores urgent findings the draft left out."
        ),
        "",
        "## Per flag kind",
        "",
        *md_table(KIND_HEADERS, _kind_rows(s)),
        "",
        *embed(figs[1], drawn),
        "## Per label",
        "",
        *md_table(["label", *KIND_HEADERS[1:]], _label_rows(s)),
        "",
        *embed(figs[0], drawn),
        "## Per corruption",
        "",
        *md_table(
            ["draft kind", "cases", "exact", "exact rate"],
            [
                [k, v["n"], v["exact"], percent(v["exact_rate"])]
                for k, v in s["per_case_kind"].items()
            ],
        ),
        "",
        "## Parser on the synthetic sentences",
        "",
        *md_table(
            ["label", "tp", "fp", "fn", "precision", "recall"],
            [
                [lb, v["tp"], v["fp"], v["fn"], v["precision"], v["recall"]]
                for lb, v in s["parser_on_drafts"].items()
            ],
        ),
        "",
        "(label, status) pairs stated by the draft's sentences against the parser's mentions.",
        "",
        "## Accounting",
        "",
    ]
    lines += md_list(
        "Kinds a read could not yield (counted, by reason)",
        [f"{k}: {v}" for k, v in sorted(run.skipped.items())],
    )
    lines += md_list("Unusable source entries", run.source.problems)
    lines += md_list(
        "Cases not fully evaluated",
        [f"{o.case_id}: {o.status} ({o.error})" for o in run.outcomes if o.status != "ok"],
    )
    lines += md_list(
        "Cases not exactly as expected",
        [
            f"`{o.case_id}` missed {sorted(o.expected - o.produced)}, unexpected "
            f'{sorted(o.produced - o.expected)}: "{o.draft}"'
            for o in run.outcomes
            if not o.correct
        ],
    )
    return lines


def write(run: SyntheticEval, out_dir: Path) -> dict[str, Path]:
    return write_outputs(out_dir, summary(run), figures(run), lambda d: markdown(run, d))
