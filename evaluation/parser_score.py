"""Scoring draft-parser predictions against report-level human labels (IU / Open-i).

The rules are those of the reference scorer ``score_parser.py`` beside the checkout
(``../shared/bench/``); ``tests/test_eval_parser.py`` checks that both give the same numbers on the
same predictions. The rules:

- a finding label is positive in a report when any of its mentions is ``present``; ``uncertain`` is
  scored both ways (``uncertain_as_negative``, the primary variant, and ``uncertain_as_positive``);
  ``absent`` is negative;
- ``no_finding`` is positive only when predicted positive and no finding label is positive;
- gold borderline (-1) is excluded from that label (primary) or counted as positive;
- a report missing from the predictions or ``unparseable`` is scored all-negative, counted and
  listed, never dropped; reports never coded (``no_indexing``) are excluded and counted;
- a zero-denominator precision or recall is 0.0 and flagged ``*_undefined`` (the reference's
  convention, so that macro-F1 matches it); 95% bootstrap intervals resample reports.

NIH's 14-label gold standard is mapped to the six labels by ``evaluation/maps/nih_std14.csv``
(validated on load by ``core.datasets.maps``; a label is positive when any mapped column is 1).
Mentions labelled ``other`` (abnormalities outside the six) are ignored here. This module does not
run a parser.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from cxr_auditor.core.datasets.maps import MapTable, parse_map
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING, POSITIVE_LABELS

UNCERTAIN_VARIANTS = ("uncertain_as_negative", "uncertain_as_positive")
BORDERLINE_VARIANTS = ("gold_borderline_excluded", "gold_borderline_positive")
GOLD_VALUES = {"1": 1, "0": 0, "-1": -1}
ROW_STATUSES = ("ok", "unparseable")


@dataclass(frozen=True)
class Prediction:
    """One report's parse: its row status and, per canonical label, the statuses mentioned."""

    status: str
    labels: dict[str, frozenset[str]] = field(default_factory=dict)


# --------------------------------------------------------------------------- gold


def _rows(path: Path, need: set[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not need <= set(reader.fieldnames):
                raise InputError(f"{path}:1: columns {reader.fieldnames}; required {sorted(need)}")
            return [(line, row) for line, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None


def load_canonical_gold(path: Path) -> dict[str, dict[str, Any]]:
    """uid -> {"no_indexing": bool, label: 1 | 0 | -1} from an ``*_canonical_labels.csv``."""
    gold: dict[str, dict[str, Any]] = {}
    for line, row in _rows(Path(path), {"uid", "no_indexing", *LABELS}):
        uid = row["uid"].strip()
        if uid in gold:
            raise InputError(f"{path}:{line}: duplicate uid {uid!r}")
        record: dict[str, Any] = {"no_indexing": row["no_indexing"].strip() == "1"}
        for label in LABELS:
            value = (row[label] or "").strip()
            if value not in GOLD_VALUES:
                raise InputError(
                    f"{path}:{line}: {label}={value!r}; allowed {', '.join(GOLD_VALUES)}"
                )
            record[label] = GOLD_VALUES[value]
        gold[uid] = record
    return gold


@cache
def nih_std14_map() -> MapTable:
    text = (resources.files("cxr_auditor.evaluation") / "maps" / "nih_std14.csv").read_text(
        encoding="utf-8"
    )
    return parse_map(text, "evaluation/maps/nih_std14.csv")


def load_nih_gold(path: Path) -> dict[str, dict[str, int]]:
    """uid -> {label: 0 | 1} from NIH's ``openi_gld_std14`` CSV (``filename`` is ``CXR<uid>``)."""
    table = nih_std14_map()
    columns = {
        label: [row.source_label for row in table.rows if label in row.strict] for label in LABELS
    }
    gold: dict[str, dict[str, int]] = {}
    for line, row in _rows(Path(path), {"filename", *(c for cs in columns.values() for c in cs)}):
        name = row["filename"].strip()
        if not name.startswith("CXR"):
            raise InputError(f"{path}:{line}: filename {name!r}; expected 'CXR<uid>'")
        record: dict[str, int] = {}
        for label, cols in columns.items():
            values = [(row[c] or "").strip() for c in cols]
            if any(v not in ("0", "1") for v in values):
                raise InputError(f"{path}:{line}: {cols}={values}; allowed '0', '1'")
            record[label] = int("1" in values)
        gold[name[3:]] = record
    return gold


# --------------------------------------------------------------------------- decisions and scores


def report_level(pred: Prediction | None, uncertain_positive: bool) -> dict[str, int]:
    """0/1 per label for one report (a missing or unparseable report is all-negative)."""
    if pred is None or pred.status != "ok":
        return {label: 0 for label in LABELS}
    positive = {"present", "uncertain"} if uncertain_positive else {"present"}
    out: dict[str, int] = {
        label: int(bool(pred.labels.get(label, frozenset()) & positive))
        for label in POSITIVE_LABELS
    }
    out[NO_FINDING] = int(
        bool(pred.labels.get(NO_FINDING, frozenset()) & positive) and not any(out.values())
    )
    return out


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p_den, r_den = tp + fp, tp + fn
    p = tp / p_den if p_den else 0.0
    r = tp / r_den if r_den else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "precision_undefined": p_den == 0,
        "recall_undefined": r_den == 0,
    }


def score_arrays(
    y_true: dict[str, list[int]], y_pred: dict[str, list[int]], mask: dict[str, list[bool]]
) -> dict[str, Any]:
    per = {}
    for label in LABELS:
        rows = [(t, p) for t, p, m in zip(y_true[label], y_pred[label], mask[label]) if m]
        tp = sum(1 for t, p in rows if t and p)
        fp = sum(1 for t, p in rows if not t and p)
        fn = sum(1 for t, p in rows if t and not p)
        per[label] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": len(rows) - tp - fp - fn,
            "support": tp + fn,
            "n_scored": len(rows),
            "n_excluded": len(mask[label]) - len(rows),
            **prf(tp, fp, fn),
        }
    tp, fp, fn = (sum(per[label][k] for label in LABELS) for k in ("tp", "fp", "fn"))
    return {
        "per_label": per,
        "macro_f1": sum(per[lb]["f1"] for lb in LABELS) / len(LABELS),
        "micro": prf(tp, fp, fn),
    }


def bootstrap_ci(
    y_true: dict[str, list[int]],
    y_pred: dict[str, list[int]],
    mask: dict[str, list[bool]],
    n_boot: int,
    seed: int,
) -> dict[str, Any]:
    """95% percentile intervals of per-label F1 and macro-F1, resampling reports."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(y_true[LABELS[0]])
    idx = rng.integers(0, n, size=(n_boot, n))
    f1s = {}
    for label in LABELS:
        t = np.asarray(y_true[label], bool)[idx]
        p = np.asarray(y_pred[label], bool)[idx]
        m = np.asarray(mask[label], bool)[idx]
        tp, fp, fn = (t & p & m).sum(1), (~t & p & m).sum(1), (t & ~p & m).sum(1)
        den = 2 * tp + fp + fn
        f1s[label] = np.where(den > 0, 2 * tp / np.maximum(den, 1), 0.0)
    macro = np.mean([f1s[label] for label in LABELS], axis=0)

    def ci(a: Any) -> list[float]:
        return [float(np.percentile(a, 2.5)), float(np.percentile(a, 97.5))]

    return {
        "n_boot": n_boot,
        "seed": seed,
        "macro_f1": ci(macro),
        **{label: ci(f1s[label]) for label in LABELS},
    }


def _scored(y_true: dict, y_pred: dict, mask: dict, n_boot: int, seed: int) -> dict[str, Any]:
    res = score_arrays(y_true, y_pred, mask)
    if n_boot:
        res["ci95"] = bootstrap_ci(y_true, y_pred, mask, n_boot, seed)
    return res


def score(
    gold: dict[str, dict[str, Any]],
    preds: dict[str, Prediction],
    nih: dict[str, dict[str, int]] | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Coverage and every scoring variant, as plain data (the reference scorer's layout)."""
    scored = [u for u in gold if not gold[u]["no_indexing"]]
    missing = [u for u in gold if u not in preds]
    unparseable = [u for u in gold if u in preds and preds[u].status != "ok"]
    if nih is not None:
        lacking = [u for u in scored if u not in nih]
        if lacking:
            raise InputError(f"the NIH labels lack {len(lacking)} scored uids, e.g. {lacking[:5]}")
    summary: dict[str, Any] = {
        "n_gold_rows": len(gold),
        "n_excluded_no_indexing": len(gold) - len(scored),
        "n_scored_rows": len(scored),
        "coverage": {
            "ok": sum(1 for u in gold if u in preds and preds[u].status == "ok"),
            "unparseable": len(unparseable),
            "missing": len(missing),
            "extra_ids_not_in_gold": sum(1 for u in preds if u not in gold),
            "unparseable_or_missing_in_scored_rows": sum(
                1 for u in scored if u in missing or u in unparseable
            ),
            "missing_ids": missing,
            "unparseable_ids": unparseable,
            "extra_ids": [u for u in preds if u not in gold],
            "no_indexing_ids": [u for u in gold if gold[u]["no_indexing"]],
        },
        "results": {},
    }
    for uvar in UNCERTAIN_VARIANTS:
        decided = {u: report_level(preds.get(u), uvar == "uncertain_as_positive") for u in scored}
        y_pred = {label: [decided[u][label] for u in scored] for label in LABELS}
        y_true = {label: [int(gold[u][label] != 0) for u in scored] for label in LABELS}
        summary["results"].setdefault("canonical", {})[uvar] = {
            bvar: _scored(
                y_true,
                y_pred,
                {
                    label: [
                        bvar == "gold_borderline_positive" or gold[u][label] != -1 for u in scored
                    ]
                    for label in LABELS
                },
                n_boot,
                seed,
            )
            for bvar in BORDERLINE_VARIANTS
        }
        if nih is not None:
            y_nih = {label: [nih[u][label] for u in scored] for label in LABELS}
            summary["results"].setdefault("nih_std14", {})[uvar] = _scored(
                y_nih, y_pred, {label: [True] * len(scored) for label in LABELS}, n_boot, seed
            )
    return summary


def errors_by_label(
    gold: dict[str, dict[str, Any]], preds: dict[str, Prediction], uncertain_positive: bool = False
) -> dict[str, dict[str, list[str]]]:
    """Per label, the uids of false positives and false negatives (borderline gold excluded)."""
    out: dict[str, dict[str, list[str]]] = {label: {"fp": [], "fn": []} for label in LABELS}
    for uid, row in gold.items():
        if row["no_indexing"]:
            continue
        decided = report_level(preds.get(uid), uncertain_positive)
        for label in LABELS:
            if row[label] == -1 or bool(row[label]) == bool(decided[label]):
                continue
            out[label]["fn" if row[label] else "fp"].append(uid)
    return out
