"""The outputs of ``eval parser``: predictions JSONL, JSON summary, Markdown report, terminal table.

The primary table is the canonical labels with uncertain mentions counted as negative and gold
borderline labels excluded; the other variants (uncertain as positive, borderline as positive, NIH
gold) follow. Every unparseable, missing or extra report is listed in the JSON, with per-label
false-positive and false-negative uids for error analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxr_auditor.core.labels import LABELS
from cxr_auditor.evaluation.parser import ParserEval, write_predictions
from cxr_auditor.evaluation.plots import BarFigure, Figure
from cxr_auditor.evaluation.report import embed, fmt, md_list, md_table, text_table, write_outputs

PREDICTIONS_FILE = "predictions.jsonl"
HEADERS = ["label", "P", "R", "F1", "F1 95% CI", "support", "scored", "excluded"]


def _variants(run: ParserEval) -> list[tuple[str, dict[str, Any]]]:
    """(title, result) for every scoring variant, the primary one first."""
    results = run.scores["results"]
    out = []
    for uvar in ("uncertain_as_negative", "uncertain_as_positive"):
        for bvar, res in results["canonical"][uvar].items():
            out.append((f"canonical labels | {uvar} | {bvar}", res))
        if "nih_std14" in results:
            out.append((f"NIH 14-label gold (mapped) | {uvar}", results["nih_std14"][uvar]))
    return out


def _rows(res: Mapping[str, Any]) -> list[list[Any]]:
    ci = res.get("ci95", {})
    rows = []
    for label in LABELS:
        m = res["per_label"][label]
        band = f"[{ci[label][0]:.2f}, {ci[label][1]:.2f}]" if label in ci else ""
        precision = fmt(m["precision"]) + ("*" if m["precision_undefined"] else "")
        rows.append(
            [
                label,
                precision,
                m["recall"],
                m["f1"],
                band,
                m["support"],
                m["n_scored"],
                m["n_excluded"],
            ]
        )
    band = f"[{ci['macro_f1'][0]:.2f}, {ci['macro_f1'][1]:.2f}]" if ci else ""
    rows.append(["macro-F1 (6 labels)", "", "", res["macro_f1"], band, "", "", ""])
    rows.append(["micro-F1", "", "", res["micro"]["f1"], "", "", "", ""])
    return rows


def summary(run: ParserEval) -> dict[str, Any]:
    return {
        "evaluation": "parser",
        "parser": run.parser,
        "inputs": {"reports": run.reports, "labels": run.labels, "nih_labels": run.nih_labels},
        **run.scores,
        "failures": run.failures,
        "errors_primary": run.errors,
        "predictions_file": PREDICTIONS_FILE,
    }


def figures(run: ParserEval) -> list[Figure]:
    canon = run.scores["results"]["canonical"]
    series = {
        "F1 uncertain as negative": [
            canon["uncertain_as_negative"]["gold_borderline_excluded"]["per_label"][lb]["f1"]
            for lb in LABELS
        ],
        "F1 uncertain as positive": [
            canon["uncertain_as_positive"]["gold_borderline_excluded"]["per_label"][lb]["f1"]
            for lb in LABELS
        ],
    }
    if "nih_std14" in run.scores["results"]:
        series["F1 vs NIH gold (uncertain as negative)"] = [
            run.scores["results"]["nih_std14"]["uncertain_as_negative"]["per_label"][lb]["f1"]
            for lb in LABELS
        ]
    return [
        BarFigure(
            "parser_f1_per_label.png",
            f"Parser F1 per label ({run.parser})",
            list(LABELS),
            series,
            ylabel="F1",
        )
    ]


def table(run: ParserEval) -> str:
    cov = run.scores["coverage"]
    head = (
        f"eval parser ({run.parser}): {run.scores['n_scored_rows']} scored reports; "
        f"ok {cov['ok']}, unparseable {cov['unparseable']}, missing {cov['missing']} "
        f"(scored all-negative); no_indexing excluded {run.scores['n_excluded_no_indexing']}"
    )
    parts = [head]
    for title, res in _variants(run)[:1] + [v for v in _variants(run) if "NIH" in v[0]][:1]:
        parts.append(f"[{title}]\n" + text_table(HEADERS, _rows(res)))
    return "\n\n".join(parts)


def markdown(run: ParserEval, drawn: Mapping[str, str | None]) -> list[str]:
    cov = run.scores["coverage"]
    primary = run.scores["results"]["canonical"]["uncertain_as_negative"][
        "gold_borderline_excluded"
    ]
    lines = [
        "# Draft-parser evaluation",
        "",
        f"- Parser: `{run.parser}`",
        f"- Reports: {run.reports or '(predictions file)'}; labels: {run.labels}"
        + (f"; NIH gold: {run.nih_labels}" if run.nih_labels else ""),
        (
            f"- Scored reports: {run.scores['n_scored_rows']} (of {run.scores['n_gold_rows']}; "
            f"{run.scores['n_excluded_no_indexing']} never coded, excluded)"
        ),
        (
            f"- Coverage: ok {cov['ok']}, unparseable {cov['unparseable']}, missing "
            f"{cov['missing']} (both scored all-negative, listed below), extra ids "
            f"{cov['extra_ids_not_in_gold']}; mentions outside the six labels: "
            f"{cov['other_mentions']}"
        ),
        (
            "- **Macro-F1 (primary: uncertain as negative, borderline excluded): "
            f"{fmt(primary['macro_f1'])}**"
        ),
        "",
        (
            "Rules: a label is positive when any mention is `present` (uncertain scored both "
            "ways); `no_finding` only when no finding is positive; gold borderline excluded or "
            "counted positive; `*` marks a precision with no positive prediction (reported as "
            "0.0). These are the rules of `shared/bench/score_parser.py`; the numbers agree with "
            "it."
        ),
        "",
    ]
    figure = figures(run)[0]
    for n, (title, res) in enumerate(_variants(run)):
        lines += [f"## {title}", "", *md_table(HEADERS, _rows(res)), ""]
        if n == 0:
            lines += embed(figure, drawn)
    lines += ["## Accounting", ""]
    lines += md_list("Unparseable reports", [f"{f['id']}: {f['error']}" for f in run.failures])
    lines += md_list("Reports missing from the predictions", cov["missing_ids"])
    lines += md_list("Ids not in the labels file", cov["extra_ids"])
    for label in LABELS:
        for kind, name in (("fn", "missed"), ("fp", "over-called")):
            lines += md_list(f"{label}: {name} (primary variant)", run.errors[label][kind], 10)
    return lines


def write(run: ParserEval, out_dir: Path) -> dict[str, Path]:
    paths = write_outputs(out_dir, summary(run), figures(run), lambda d: markdown(run, d))
    paths["predictions"] = write_predictions(run.records, Path(out_dir) / PREDICTIONS_FILE)
    return paths
