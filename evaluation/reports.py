"""``eval reports``: the full audit on real report language (IU / Open-i reports and their labels).

Stages, per reports file and its canonical-labels file:
1. Rows: every report row is used or skipped with a reason (``no_indexing``, no text in the chosen
   part, no labels row); a labels row without a report is counted too. Nothing is dropped.
2. Clean: the report is the draft, read by the rule parser, against an image read made from its
   own labels (no boxes; complete for the six labels; ``no_finding`` when the labels say normal).
   Every MISSING on a label tagged 1 and every UNSUPPORTED on a label tagged 0 is spurious: the
   rate per label is flags / reports where the label could be flagged. A label tagged -1
   (borderline) is left out of the read and out of both rates; flags on it are counted apart.
3. Corruptions (``evaluation.corrupt``): per report and kind, one label tagged 1 that the parser
   reads as asserted and the clean audit does not flag is chosen (seeded per file, uid and kind) and
   corrupted. The flags and hedge notes the corrupted audit raises beyond the clean audit (of the
   same read) are scored against the decisions the corruption requires: precision and recall per
   kind. A report with nothing to corrupt for a kind is counted with the reason.

This module computes; ``evaluation.reports_report`` prints and writes JSON.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cxr_auditor.core.audit import DraftReader, reference_read, rule_reader, run_audit
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING, POSITIVE_LABELS
from cxr_auditor.core.schemas import AuditResult, Finding, Flag
from cxr_auditor.evaluation.corrupt import (
    CORRUPTION_KINDS,
    Corruption,
    CorruptionKind,
    Expected,
    Skip,
    corrupt,
    usual_boxes,
)
from cxr_auditor.evaluation.parser import clean_field
from cxr_auditor.evaluation.parser_score import load_canonical_gold
from cxr_auditor.evaluation.progress import track

TextPart = Literal["findings+impression", "impression"]
TEXT_PARTS: tuple[TextPart, ...] = ("findings+impression", "impression")
HEDGE_NOTES = ("HEDGE_SUPPORTED", "HEDGE_NOT_SUPPORTED")
Key = tuple[str, str, str | None]


def report_text(row: dict[str, str], part: TextPart) -> str:
    """The draft for one report: findings then impression, or the impression alone."""
    parts = ("findings", "impression") if part == "findings+impression" else ("impression",)
    return " ".join(t for t in (clean_field(row.get(p)) for p in parts) if t)


def read_report_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of a reports CSV with uid, findings, impression; InputError when unusable."""
    if not Path(path).is_file():
        raise InputError(f"{path}: no such reports file")
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            need = {"uid", "findings", "impression"}
            if reader.fieldnames is None or not need <= set(reader.fieldnames):
                raise InputError(f"{path}:1: columns {reader.fieldnames}; required {sorted(need)}")
            return list(enumerate(reader, start=2))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None


def image_read_of(labels: dict[str, Any], box: tuple[str, str] | None = None) -> list[Finding]:
    """Findings for the labels tagged 1 (none for -1); ``no_finding`` when the labels say normal.

    ``box`` = (label, side) puts that label's usual box for the side on its finding.
    """
    findings = []
    for label in POSITIVE_LABELS:
        if labels[label] == 1:
            where = usual_boxes()[box] if box is not None and box[0] == label else None
            findings.append(Finding(label=label, box=where))
    if not findings and labels[NO_FINDING] == 1:
        findings.append(Finding(label=NO_FINDING))
    return findings


def keys(result: AuditResult) -> set[Key]:
    """Identities of an audit's flags and hedge notes: (kind, label, reason or in-draft state)."""
    out: set[Key] = set()
    for flag in result.flags:
        detail: str | None = flag.reason
        if flag.kind == "URGENT":
            detail = "in_draft" if flag.in_draft else "not_in_draft"
        out.add((flag.kind, flag.label, detail))
    for note in result.notes:
        if note.kind in HEDGE_NOTES and note.label is not None:
            out.add((note.kind, note.label, None))
    return out


def matches(key: Key, want: Expected) -> bool:
    return key[0] == want[0] and key[1] == want[1] and (want[2] is None or key[2] in want[2])


@dataclass
class LabelTally:
    missing: int = 0
    missing_possible: int = 0
    unsupported: int = 0
    unsupported_possible: int = 0
    uncertain_reports: int = 0
    uncertain_flags: int = 0


@dataclass
class KindTally:
    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class FileEval:
    reports: Path
    labels: Path
    rows: int = 0
    used: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_rows: list[dict[str, str]] = field(default_factory=list)
    labels_without_report: int = 0
    per_label: dict[str, LabelTally] = field(
        default_factory=lambda: {label: LabelTally() for label in POSITIVE_LABELS}
    )
    spurious: list[dict[str, Any]] = field(default_factory=list)
    reports_with_spurious: int = 0
    kinds: dict[str, KindTally] = field(
        default_factory=lambda: {kind: KindTally() for kind in CORRUPTION_KINDS}
    )
    cases: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportsEval:
    text: TextPart
    seed: int
    files: list[FileEval]


def _rng(seed: int, *parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join((str(seed), *parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _audit(text: str, findings: list[Finding], reader: DraftReader) -> AuditResult:
    return run_audit(text, reference_read(findings, name="report labels"), reader)


def _clean(result: AuditResult, labels: dict[str, Any], uid: str, out: FileEval) -> None:
    spurious = []
    flagged: dict[tuple[str, str], Flag] = {(f.kind, f.label): f for f in result.flags}
    for label in POSITIVE_LABELS:
        tally, value = out.per_label[label], labels[label]
        if value == -1:
            tally.uncertain_reports += 1
            tally.uncertain_flags += sum(1 for kind, lab in flagged if lab == label)
            continue
        kind = "MISSING" if value == 1 else "UNSUPPORTED"
        if value == 1:
            tally.missing_possible += 1
        else:
            tally.unsupported_possible += 1
        flag = flagged.get((kind, label))
        if flag is None:
            continue
        if value == 1:
            tally.missing += 1
        else:
            tally.unsupported += 1
        spurious.append(
            {
                "uid": uid,
                "kind": kind,
                "label": label,
                "reason": flag.reason,
                "mentions": [m.text for m in flag.mentions],
            }
        )
    out.spurious += spurious
    out.reports_with_spurious += bool(spurious)


def _corrupt_one(
    kind: CorruptionKind,
    uid: str,
    text: str,
    labels: dict[str, Any],
    clean: AuditResult,
    reader: DraftReader,
    seed: int,
    out: FileEval,
) -> None:
    tally = out.kinds[kind]
    positive = [label for label in POSITIVE_LABELS if labels[label] == 1]
    if not positive:
        tally.skipped["no label tagged 1 (normal, borderline or other abnormality)"] += 1
        return
    flagged = {f.label for f in clean.flags if f.kind != "URGENT"}
    made: list[Corruption] = []
    reasons: list[str] = []
    for label in positive:
        if label in flagged:
            reasons.append("the clean audit already flags the label")
            continue
        result = corrupt(kind, text, clean.mentions, label, _rng(seed, uid, kind, "text"))
        if isinstance(result, Skip):
            reasons.append(result.reason)
        else:
            made.append(result)
    if not made:
        tally.skipped[min(reasons)] += 1
        return
    chosen = _rng(seed, uid, kind).choice(made)
    box = (chosen.label, chosen.box_side) if chosen.box_side else None
    findings = image_read_of(labels, box)
    before = keys(_audit(text, findings, reader)) if box is not None else keys(clean)
    if box is not None and any(k[1] == chosen.label for k in before if k[0] != "URGENT"):
        tally.skipped["the clean audit with the boxed read already flags the label"] += 1
        return
    after = _audit(chosen.text, findings, reader)
    raised = sorted(keys(after) - before, key=str)
    hit = [want for want in chosen.expected if any(matches(k, want) for k in raised)]
    extra = [k for k in raised if not any(matches(k, want) for want in chosen.expected)]
    tally.cases += 1
    tally.tp += len(hit)
    tally.fn += len(chosen.expected) - len(hit)
    tally.fp += len(extra)
    tally.exact += len(hit) == len(chosen.expected) and not extra
    out.cases.append(
        {
            "uid": uid,
            "kind": kind,
            "label": chosen.label,
            "box_side": chosen.box_side,
            "corrupted_text": chosen.text,
            "edited_spans": [list(s) for s in chosen.edited],
            "expected": [[k, lab, sorted(r) if r else None] for k, lab, r in chosen.expected],
            "raised": [list(k) for k in raised],
            "missed": [
                [k, lab, sorted(r) if r else None]
                for k, lab, r in chosen.expected
                if (k, lab, r) not in hit
            ],
            "extra": [list(k) for k in extra],
        }
    )


def evaluate_file(
    reports: Path,
    labels_path: Path,
    *,
    text_part: TextPart = "findings+impression",
    reader: DraftReader | None = None,
    seed: int = 0,
    progress: bool = True,
) -> FileEval:
    """Clean and corrupted audits of every usable report of one file."""
    reader = reader or rule_reader()
    rows = read_report_rows(reports)
    if not Path(labels_path).is_file():
        raise InputError(f"{labels_path}: no such labels file")
    gold = load_canonical_gold(labels_path)
    out = FileEval(Path(reports), Path(labels_path), rows=len(rows))
    seen: set[str] = set()

    def skip(uid: str, reason: str) -> None:
        out.skipped[reason] += 1
        out.skipped_rows.append({"uid": uid, "reason": reason})

    for line, row in track(rows, len(rows), f"eval reports {Path(reports).name}", enabled=progress):
        uid = (row.get("uid") or "").strip()
        if not uid or uid in seen:
            skip(uid or f"line {line}", "empty uid" if not uid else "duplicate uid")
            continue
        seen.add(uid)
        labels = gold.get(uid)
        if labels is None:
            skip(uid, "no labels row for the uid")
            continue
        if labels["no_indexing"]:
            skip(uid, "no_indexing (never coded)")
            continue
        text = report_text(row, text_part)
        if not text:
            skip(uid, f"no text in {text_part}")
            continue
        try:
            clean = _audit(text, image_read_of(labels), reader)
        except InputError as error:
            skip(uid, f"audit refused the text: {error}")
            continue
        if not clean.draft_evaluated:
            skip(uid, f"draft not evaluated: {clean.parser_account.error}")
            continue
        out.used += 1
        _clean(clean, labels, uid, out)
        for kind in CORRUPTION_KINDS:
            _corrupt_one(kind, uid, text, labels, clean, reader, seed, out)
    out.labels_without_report = len(set(gold) - seen)
    return out


def evaluate_reports(
    pairs: list[tuple[Path, Path]],
    *,
    text_part: TextPart = "findings+impression",
    seed: int = 0,
    progress: bool = True,
) -> ReportsEval:
    if text_part not in TEXT_PARTS:
        raise InputError(f"--text {text_part!r}; allowed {', '.join(TEXT_PARTS)}")
    files = [
        evaluate_file(r, lab, text_part=text_part, seed=seed, progress=progress) for r, lab in pairs
    ]
    return ReportsEval(text_part, seed, files)


def summary(run: ReportsEval) -> dict[str, Any]:
    """The JSON report: per file, rows accounted for, clean rates, corruption scores, every case."""
    files = []
    for f in run.files:
        per_label = {}
        for label, t in f.per_label.items():
            per_label[label] = {
                **t.__dict__,
                "missing_rate": t.missing / t.missing_possible if t.missing_possible else None,
                "unsupported_rate": (
                    t.unsupported / t.unsupported_possible if t.unsupported_possible else None
                ),
            }
        kinds = {}
        for kind, k in f.kinds.items():
            kinds[kind] = {
                "cases": k.cases,
                "tp": k.tp,
                "fp": k.fp,
                "fn": k.fn,
                "exact": k.exact,
                "precision": k.tp / (k.tp + k.fp) if k.tp + k.fp else None,
                "recall": k.tp / (k.tp + k.fn) if k.tp + k.fn else None,
                "skipped": dict(sorted(k.skipped.items())),
                "skipped_total": sum(k.skipped.values()),
            }
        files.append(
            {
                "reports": str(f.reports),
                "labels": str(f.labels),
                "rows": f.rows,
                "used": f.used,
                "skipped": dict(sorted(f.skipped.items())),
                "skipped_total": sum(f.skipped.values()),
                "skipped_rows": f.skipped_rows,
                "labels_without_report": f.labels_without_report,
                "reports_with_spurious_flags": f.reports_with_spurious,
                "clean": per_label,
                "spurious_flags": f.spurious,
                "corruptions": kinds,
                "cases": f.cases,
            }
        )
    return {"text": run.text, "seed": run.seed, "labels": list(LABELS), "files": files}
