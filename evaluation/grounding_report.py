"""The outputs of ``eval grounding``: JSON summary, Markdown report with plots, terminal table.

The JSON lists every image (status, expert and predicted labels, best IoU of each expert box) and
every failure with its reason; the Markdown shows presence and box tables, per-label bars and the
IoU histogram.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxr_auditor.core.labels import POSITIVE_LABELS
from cxr_auditor.core.metrics import BOX_THRESHOLDS
from cxr_auditor.evaluation.grounding import GroundingEval
from cxr_auditor.evaluation.plots import BarFigure, Figure, HistFigure
from cxr_auditor.evaluation.report import (
    embed,
    fmt,
    md_list,
    md_table,
    percent,
    text_table,
    write_outputs,
)

PRESENCE_HEADERS = ["label", "tp", "fp", "fn", "support", "precision", "recall", "F1"]
BOX_HEADERS = [
    "label",
    "gt boxes",
    "pred boxes",
    *(f"recall@{t}" for t in BOX_THRESHOLDS),
    *(f"precision@{t}" for t in BOX_THRESHOLDS),
    "mean IoU",
    "pointing",
]


def _presence_rows(presence: Mapping[str, Any]) -> list[list[Any]]:
    rows = [
        [lb, s["tp"], s["fp"], s["fn"], s["support"], s["precision"], s["recall"], s["f1"]]
        for lb, s in presence["per_label"].items()
    ]
    nf = presence["no_finding"]
    rows.append(
        [
            "no_finding (normal)",
            nf["tp"],
            nf["fp"],
            nf["fn"],
            nf["support"],
            nf["precision"],
            nf["recall"],
            nf["f1"],
        ]
    )
    rows.append(["macro-F1 (defined labels)", "", "", "", "", "", "", presence["macro_f1"]])
    return rows


def _box_rows(boxes: Mapping[str, Any]) -> list[list[Any]]:
    rows = []
    for name, s in [*boxes["per_label"].items(), ("all", boxes["overall"])]:
        at = [s["at"][str(t)] for t in BOX_THRESHOLDS]
        rows.append(
            [
                name,
                s["n_gt"],
                s["n_pred"],
                *(a["recall"] for a in at),
                *(a["precision"] for a in at),
                s["mean_iou"],
                s["pointing"],
            ]
        )
    return rows


def summary(run: GroundingEval) -> dict[str, Any]:
    return {
        "evaluation": "grounding",
        "source": run.source.describe(),
        "grounder": run.grounder,
        "source_problems": run.source.problems,
        **run.scores,
        "failures": [{"case_id": o.case_id, "error": o.error} for o in run.outcomes if o.failed],
        "images": [
            {
                "case_id": o.case_id,
                "status": o.status,
                "complete": o.complete,
                "gold": sorted(o.labels("gold")),
                "pred": sorted(o.labels("pred")),
                "best_iou": o.best_ious(),
                "repairs": o.repairs,
            }
            for o in run.outcomes
        ],
    }


def figures(run: GroundingEval) -> list[Figure]:
    s = run.scores
    out: list[Figure] = []
    if s["presence"]:
        per = s["presence"]["per_label"]
        out.append(
            BarFigure(
                "grounding_presence.png",
                f"Presence per label ({run.grounder})",
                list(per),
                {m: [per[lb][m] for lb in per] for m in ("precision", "recall", "f1")},
            )
        )
    per_box = s["boxes"]["per_label"]
    labels: list[str] = [lb for lb in POSITIVE_LABELS if lb in per_box]
    out.append(
        BarFigure(
            "grounding_box_recall.png",
            "Expert boxes found, per label (per image)",
            labels,
            {
                f"recall@IoU {t}": [per_box[lb]["at"][str(t)]["recall"] for lb in labels]
                for t in BOX_THRESHOLDS
            },
        )
    )
    values = [v for vs in s["best_iou_per_expert_box"]["per_label"].values() for v in vs]
    out.append(
        HistFigure(
            "grounding_iou_hist.png",
            "Best IoU of each expert box with a predicted box (same image, label)",
            values,
            xlabel="IoU",
            marks=list(BOX_THRESHOLDS),
        )
    )
    return out


def table(run: GroundingEval) -> str:
    s = run.scores
    head = (
        f"eval grounding ({run.grounder}): {s['n_images']} images; failed "
        f"{s['n_failed']} ({percent(s['failure_rate'])}), status {s['status']}; "
        f"incomplete references {s['n_incomplete_reference']}"
    )
    parts = [head]
    if s["presence"]:
        parts.append(
            "presence (complete references):\n"
            + text_table(PRESENCE_HEADERS, _presence_rows(s["presence"]))
        )
    parts.append("boxes (per image):\n" + text_table(BOX_HEADERS, _box_rows(s["boxes"])))
    return "\n\n".join(parts)


def markdown(run: GroundingEval, drawn: Mapping[str, str | None]) -> list[str]:
    s = run.scores
    figs = {f.file: f for f in figures(run)}
    spec = s["normal_specificity_failures_wrong"]
    lines = [
        "# Grounding evaluation",
        "",
        f"- Cases: {run.source.describe()}",
        f"- Grounder: `{run.grounder}`"
        + (
            " (the reference read itself: a sanity check of the harness, every score must be 1)"
            if run.grounder == "reference"
            else ""
        ),
        (
            f"- Images: {s['n_images']}; failed or unparseable: {s['n_failed']} "
            f"({percent(s['failure_rate'])}), scored as empty reads; repaired outputs: "
            f"{s['status'].get('repaired', 0)} ({s['repairs'] or 'no repairs'}); dropped items: "
            f"{s['n_dropped_items']}"
        ),
        (
            "- Incomplete references (boxes only, no presence scoring): "
            f"{s['n_incomplete_reference']}"
        ),
        (
            f"- Normal specificity, failures counted wrong: {fmt(spec['value'])} "
            f"({spec['predicted_normal']}/{spec['n_normal']})"
        ),
        "",
        "Boxes are matched within one image and one label (greedy by IoU), never across images.",
        "",
    ]
    if s["presence"]:
        lines += [
            "## Presence (all complete references; failures count as empty reads)",
            "",
            *md_table(PRESENCE_HEADERS, _presence_rows(s["presence"])),
            "",
            *embed(figs["grounding_presence.png"], drawn),
        ]
    if s["presence_parsed_only"]:
        lines += [
            "## Presence (parsed outputs only)",
            "",
            *md_table(PRESENCE_HEADERS, _presence_rows(s["presence_parsed_only"])),
            "",
        ]
    if s["recall_incomplete_references"]:
        lines += [
            "## Presence recall on incomplete references",
            "",
            *md_table(
                ["label", "found", "expert labels", "recall"],
                [
                    [lb, v["found"], v["support"], v["recall"]]
                    for lb, v in s["recall_incomplete_references"].items()
                ],
            ),
            "",
            "A label such a reference lacks is not a negative, so no precision.",
            "",
        ]
    lines += [
        "## Boxes (per image)",
        "",
        *md_table(BOX_HEADERS, _box_rows(s["boxes"])),
        "",
        *embed(figs["grounding_box_recall.png"], drawn),
        (
            f"Mean best IoU per expert box: {fmt(s['best_iou_per_expert_box']['mean'])} "
            f"over {s['best_iou_per_expert_box']['n']} boxes."
        ),
        "",
        *embed(figs["grounding_iou_hist.png"], drawn),
        "## Accounting",
        "",
    ]
    lines += md_list(
        "Failed or unparseable images",
        [f"{o.case_id}: {o.error}" for o in run.outcomes if o.failed],
    )
    lines += md_list("Unusable source entries", run.source.problems)
    return lines


def write(run: GroundingEval, out_dir: Path) -> dict[str, Path]:
    return write_outputs(out_dir, summary(run), figures(run), lambda d: markdown(run, d))
