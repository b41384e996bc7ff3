"""``eval parser``: the draft parser on real reports, scored against human report labels.

Stages:
1. Texts: the reports CSV (IU / Open-i layout: ``uid``, ``findings``, ``impression``) gives one text
   per report, findings then impression, empty or ``nan`` parts skipped (the reference scorer's
   rule, so both read the same words).
2. Parse: every report goes through the chosen parser (rules or Triton), in file order. A report
   the parser cannot read, or whose parse raised, is written as ``unparseable`` with its error; none
   is skipped. The predictions are written as JSONL in the reference scorer's format
   (``{"id", "status", "mentions": [...]}``; ``other`` mentions go to ``other_mentions`` because the
   reference scorer accepts only the six labels).
3. Score: ``evaluation.parser_score`` against the canonical labels and, when given, NIH's 14-label
   gold standard mapped to the six labels.

``--predictions`` scores an existing predictions file (for example from ``cxr-auditor parse``)
instead of running a parser. Such a file may say ``repaired`` (scored as parsed, and counted) and
may carry the reader's identity in ``parser``: a row the rule parser wrote as a stand-in for a
failed model (``parser.fallback_reason``) is scored as ``unparseable``, never credited to the
model. This module does not write the report files (``parser_report`` does).
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxr_auditor.core.audit import DraftReader
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS
from cxr_auditor.evaluation.parser_score import (
    ROW_STATUSES,
    Prediction,
    errors_by_label,
    load_canonical_gold,
    load_nih_gold,
    score,
)
from cxr_auditor.evaluation.progress import track

MENTION_STATUSES = ("present", "absent", "uncertain")
MENTION_KEYS = ("label", "status", "span", "text", "cue", "laterality", "severity")


def clean_field(value: object) -> str:
    """NaN-safe field text: None, float NaN, '' and the literal 'nan' become ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() == "nan" else text


def report_text(row: dict[str, str]) -> str:
    """The words a parser reads for one report: findings, a space, impression."""
    parts = (clean_field(row.get("findings")), clean_field(row.get("impression")))
    return " ".join(part for part in parts if part)


def read_reports(path: Path) -> list[tuple[str, str]]:
    """(uid, text) per row of a reports CSV, in file order; duplicate uids are an error."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            need = {"uid", "findings", "impression"}
            if reader.fieldnames is None or not need <= set(reader.fieldnames):
                raise InputError(f"{path}:1: columns {reader.fieldnames}; required {sorted(need)}")
            rows = [(line, row) for line, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    seen: dict[str, int] = {}
    out = []
    for line, row in rows:
        uid = (row["uid"] or "").strip()
        if not uid:
            raise InputError(f"{path}:{line}: empty uid")
        if uid in seen:
            raise InputError(f"{path}:{line}: duplicate uid {uid!r} (first at line {seen[uid]})")
        seen[uid] = line
        out.append((uid, report_text(row)))
    return out


def predict(uid: str, text: str, reader: DraftReader) -> dict[str, Any]:
    """One predictions-JSONL record for one report; never raises for a bad report."""
    record: dict[str, Any] = {
        "id": uid,
        "status": "ok",
        "mentions": [],
        "other_mentions": [],
        "error": None,
        "repairs": [],
    }
    if not text:
        record.update(status="unparseable", error="the report has no findings or impression text")
        return record
    try:
        read = reader.read(text)
    except Exception as error:
        record.update(status="unparseable", error=f"{type(error).__name__}: {error}")
        return record
    if read.account.status == "unparseable":
        record.update(status="unparseable", error=read.account.error or "unparseable")
        return record
    record["repairs"] = list(read.account.repairs)
    for mention in read.mentions:
        item = mention.model_dump(mode="json", include=set(MENTION_KEYS))
        (record["mentions"] if mention.label in LABELS else record["other_mentions"]).append(item)
    return record


def load_predictions(path: Path) -> list[dict[str, Any]]:
    """Records of a predictions JSONL, validated (file:line in every error)."""
    records, seen = [], set()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(record, dict) or "id" not in record:
            raise InputError(f"{where}: expected an object with 'id', 'status', 'mentions'")
        uid = str(record["id"]).strip()
        if uid in seen:
            raise InputError(f"{where}: duplicate id {uid!r}")
        seen.add(uid)
        status = record.get("status", "ok")
        if status not in (*ROW_STATUSES, "repaired"):
            raise InputError(
                f"{where}: status={status!r}; allowed {', '.join((*ROW_STATUSES, 'repaired'))}"
            )
        identity = record.get("parser")
        fallback = identity.get("fallback_reason") if isinstance(identity, dict) else None
        if fallback:
            record = {
                **record,
                "status": "unparseable",
                "mentions": [],
                "error": f"the rule parser stood in for the model: {fallback}",
            }
            status = "unparseable"
        mentions = record.get("mentions", [])
        if not isinstance(mentions, list) or not all(isinstance(m, dict) for m in mentions):
            raise InputError(f"{where}: mentions must be a list of objects")
        for i, mention in enumerate(mentions):
            if mention.get("label") not in (*LABELS, "other"):
                raise InputError(
                    f"{where}: mentions[{i}].label={mention.get('label')!r}; "
                    f"allowed {', '.join(LABELS)}, other"
                )
            if mention.get("status") not in MENTION_STATUSES:
                raise InputError(
                    f"{where}: mentions[{i}].status={mention.get('status')!r}; "
                    f"allowed {', '.join(MENTION_STATUSES)}"
                )
        records.append(
            {
                **record,
                "id": uid,
                "status": "ok" if status == "repaired" else status,
                "repaired": status == "repaired",
            }
        )
    return records


def as_predictions(records: list[dict[str, Any]]) -> dict[str, Prediction]:
    out = {}
    for record in records:
        labels: dict[str, set[str]] = {}
        if record["status"] == "ok":
            for mention in record.get("mentions", []):
                if mention["label"] in LABELS:
                    labels.setdefault(mention["label"], set()).add(mention["status"])
        out[record["id"]] = Prediction(
            record["status"], {k: frozenset(v) for k, v in labels.items()}
        )
    return out


@dataclass
class ParserEval:
    parser: str
    reports: Path | None
    labels: Path
    nih_labels: Path | None
    records: list[dict[str, Any]]
    scores: dict[str, Any]
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [
            {"id": r["id"], "error": r.get("error")} for r in self.records if r["status"] != "ok"
        ]


def write_predictions(records: list[dict[str, Any]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    return path


def evaluate_parser(
    labels: Path,
    *,
    reader: DraftReader | None = None,
    parser_name: str = "rules",
    reports: Path | None = None,
    predictions: Path | None = None,
    nih_labels: Path | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    progress: bool = True,
) -> ParserEval:
    """Parse every report (or read ``predictions``), then score against the label files."""
    gold = load_canonical_gold(labels)
    nih = load_nih_gold(nih_labels) if nih_labels else None
    texts: dict[str, str] = {}
    if predictions is not None:
        records = load_predictions(predictions)
        parser_name = f"predictions file {Path(predictions).name}"
    else:
        if reports is None or reader is None:
            raise InputError("eval parser needs --reports (and a parser) or --predictions")
        rows = read_reports(reports)
        texts = dict(rows)
        records = [
            predict(uid, text, reader)
            for uid, text in track(rows, len(rows), "eval parser", enabled=progress)
        ]
    preds = as_predictions(records)
    scores = score(gold, preds, nih, n_boot=n_boot, seed=seed)
    scores["coverage"]["other_mentions"] = sum(len(r.get("other_mentions", [])) for r in records)
    scores["coverage"]["status_counts"] = dict(Counter(r["status"] for r in records))
    scores["coverage"]["repaired"] = sum(
        1 for r in records if r.get("repaired") or r.get("repairs")
    )
    return ParserEval(
        parser_name,
        reports,
        labels,
        nih_labels,
        records,
        scores,
        errors_by_label(gold, preds),
        texts,
    )
