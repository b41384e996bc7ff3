"""``eval synthetic``: corrupted drafts from reference reads, audited by the real parser and
comparator.

Stages:
1. Cases: ``core.synthetic.make_case_set`` writes, per reference read, a faithful draft and one
   draft per corruption (omission, false finding, false negation, side swap, hedge), each with the
   decisions the comparator must produce, written down from the corruption (not by a comparator).
2. Audit: each draft goes through ``core.audit.run_audit`` with the chosen parser (rules or Triton)
   and the chosen image read (the case's reference read, or the Triton grounder on the case's image;
   an image is read once per read, not once per case).
3. Score: produced flags and notes against expected decisions, per kind and per label, with set
   semantics inside a case (``core.metrics.flag_key`` identities: kind, label, and the reason of a
   MISSING). An URGENT decision with ``in_draft`` false also counts as the pseudo-kind
   ``URGENT_NOT_IN_DRAFT``, so "the draft missed an urgent finding" is scored on its own.

The reference read is the truth of a synthetic case by construction, so it is used as complete
(an unsupported assertion is a flag, not a "reference may be incomplete" note) whatever its source.
Nothing is dropped: a case whose audit raised is kept with status ``error`` and its expected
decisions count as missed; an unreadable draft or image shows up as its not-evaluated note and
missed decisions. Kinds that a read cannot yield (no one-sided finding for a side swap, ...) are
counted by reason. This module does not write files (``synthetic_report`` does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from cxr_auditor.core.audit import DraftReader, ImageRead, run_audit
from cxr_auditor.core.case_format import ReferenceCase
from cxr_auditor.core.labels import LABELS
from cxr_auditor.core.metrics import FlagKey, f1, flag_key, flag_metrics, ratio
from cxr_auditor.core.schemas import AuditResult
from cxr_auditor.core.synthetic import CASE_KINDS, SyntheticCase, make_case_set
from cxr_auditor.evaluation.backends import Grounder
from cxr_auditor.evaluation.progress import track
from cxr_auditor.evaluation.sources import CaseSource

URGENT_MISSED = "URGENT_NOT_IN_DRAFT"
DISCREPANCY_KINDS = ("MISSING", "UNSUPPORTED", "LATERALITY", "URGENT", URGENT_MISSED)
NO_LABEL = "-"
Status = Literal["ok", "draft_not_evaluated", "image_not_evaluated", "error"]


def decision_keys(items: Iterable[Any]) -> set[FlagKey]:
    """Identities of flags, notes or expected decisions, plus URGENT_NOT_IN_DRAFT where due."""
    keys: set[FlagKey] = set()
    for item in items:
        kind, label, reason = flag_key(item)
        keys.add((kind, NO_LABEL if label == "None" else label, reason))
        if kind == "URGENT" and getattr(item, "in_draft", None) is False:
            keys.add((URGENT_MISSED, label, None))
    return keys


@dataclass
class CaseOutcome:
    """One synthetic case after its audit: what was expected, what came out, and how it went."""

    case_id: str
    read_id: str
    kind: str
    corrupted_label: str | None
    draft: str
    expected: set[FlagKey]
    produced: set[FlagKey]
    status: Status = "ok"
    error: str | None = None
    statements: set[tuple[str, str]] = field(default_factory=set)
    mentions: set[tuple[str, str]] = field(default_factory=set)

    @property
    def correct(self) -> bool:
        return self.expected == self.produced

    def listing(self) -> dict[str, Any]:
        """The case as written into the JSON summary's mismatch list."""

        def show(keys: set[FlagKey]) -> list[str]:
            return sorted(":".join(part for part in key if part) for key in keys)

        return {
            "case_id": self.case_id,
            "kind": self.kind,
            "status": self.status,
            "error": self.error,
            "draft": self.draft,
            "expected": show(self.expected),
            "produced": show(self.produced),
            "missed": show(self.expected - self.produced),
            "unexpected": show(self.produced - self.expected),
        }


def _status(result: AuditResult) -> Status:
    if not result.draft_evaluated:
        return "draft_not_evaluated"
    if not result.image_evaluated:
        return "image_not_evaluated"
    return "ok"


def audit_cases(
    cases: list[SyntheticCase],
    reads: dict[str, ReferenceCase],
    reader: DraftReader,
    grounder: Grounder,
    progress: bool = True,
) -> list[CaseOutcome]:
    """Audit every case; one outcome per case, in order, whatever happened to it."""
    image_reads: dict[str, ImageRead] = {}
    outcomes = []
    for case in track(cases, len(cases), "eval synthetic", enabled=progress):
        read_id = case.case_id.rsplit(":", 1)[0]
        outcome = CaseOutcome(
            case_id=case.case_id,
            read_id=read_id,
            kind=case.kind,
            corrupted_label=case.corrupted_label,
            draft=case.draft,
            expected=decision_keys(case.expected),
            produced=set(),
            statements={(s.label, s.status) for s in case.statements},
        )
        try:
            if read_id not in image_reads:
                image_reads[read_id] = grounder.read(reads[read_id], complete=True)
            result = run_audit(case.draft, image_reads[read_id], reader)
        except Exception as error:
            outcome.status, outcome.error = "error", f"{type(error).__name__}: {error}"
        else:
            outcome.status = _status(result)
            outcome.error = result.parser_account.error or result.grounder_account.error
            outcome.produced = decision_keys([*result.flags, *result.notes])
            outcome.mentions = {(m.label, m.status) for m in result.mentions if m.label in LABELS}
        outcomes.append(outcome)
    return outcomes


def _prf(counts: Counter) -> dict[str, float | int]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "support": tp + fn,
        "precision": precision,
        "recall": recall,
        "f1": f1(precision, recall),
    }


def _tally(pairs: Iterable[tuple[set, set]], group: Any) -> dict[str, Counter]:
    """tp/fp/fn per group (``group(key)``) over (expected, produced) pairs of sets."""
    counts: dict[str, Counter] = {}
    for expected, produced in pairs:
        for key in expected | produced:
            outcome = (
                "tp" if key in expected and key in produced else "fn" if key in expected else "fp"
            )
            counts.setdefault(group(key), Counter())[outcome] += 1
    return counts


def score_outcomes(outcomes: list[CaseOutcome]) -> dict[str, Any]:
    """Every figure of the synthetic evaluation, as plain data."""
    pairs = [(o.expected, o.produced) for o in outcomes]
    by_kind = flag_metrics([o.produced for o in outcomes], [o.expected for o in outcomes])
    by_label = _tally(pairs, lambda key: key[1])
    by_kind_label = _tally(pairs, lambda key: f"{key[0]}|{key[1]}")
    matrix: dict[str, dict[str, dict]] = {}
    for name, counts in sorted(by_kind_label.items()):
        kind, label = name.split("|", 1)
        matrix.setdefault(kind, {})[label] = _prf(counts)
    per_case_kind = {}
    for kind in CASE_KINDS:
        of_kind = [o for o in outcomes if o.kind == kind]
        exact = sum(o.correct for o in of_kind)
        per_case_kind[kind] = {
            "n": len(of_kind),
            "exact": exact,
            "exact_rate": ratio(exact, len(of_kind)),
        }
    faithful = [o for o in outcomes if o.kind == "faithful"]
    false_flags = Counter(
        key[0] for o in faithful for key in o.produced - o.expected if key[0] in DISCREPANCY_KINDS
    )
    flagged = [
        o for o in faithful if any(key[0] in DISCREPANCY_KINDS for key in o.produced - o.expected)
    ]
    unexpected_any = [o for o in faithful if o.produced - o.expected]
    parser = _tally(
        ((o.statements, o.mentions) for o in outcomes if o.status != "error"), lambda key: key[0]
    )
    return {
        "n_cases": len(outcomes),
        "n_exact": sum(o.correct for o in outcomes),
        "exact_rate": ratio(sum(o.correct for o in outcomes), len(outcomes)),
        "status": dict(Counter(o.status for o in outcomes)),
        "per_kind": {kind: scores.model_dump() for kind, scores in by_kind.per_kind.items()},
        "per_label": {
            label: _prf(by_label[label]) for label in [*LABELS, NO_LABEL] if label in by_label
        },
        "per_kind_label": matrix,
        "per_case_kind": per_case_kind,
        "clean_drafts": {
            "n": len(faithful),
            "with_false_flag": len(flagged),
            "false_flag_rate": ratio(len(flagged), len(faithful)),
            "false_flags_by_kind": dict(false_flags),
            "with_any_unexpected_item": len(unexpected_any),
            "any_unexpected_rate": ratio(len(unexpected_any), len(faithful)),
            "false_flag_case_ids": [o.case_id for o in flagged],
        },
        "parser_on_drafts": {label: _prf(parser[label]) for label in LABELS if label in parser},
    }


@dataclass
class SyntheticEval:
    """The whole run: where the cases came from, what was skipped, every outcome, the scores."""

    source: CaseSource
    parser: str
    grounder: str
    seed: int
    limit: int | None
    skipped: Counter[str]
    outcomes: list[CaseOutcome]
    scores: dict[str, Any]


def evaluate_synthetic(
    source: CaseSource,
    reader: DraftReader,
    grounder: Grounder,
    *,
    parser_name: str,
    seed: int = 0,
    limit: int | None = None,
    progress: bool = True,
) -> SyntheticEval:
    reads = {case.case_id: case for case in source.cases}
    cases, skipped = make_case_set(((c.case_id, c.findings) for c in source.cases), seed, limit)
    outcomes = audit_cases(cases, reads, reader, grounder, progress)
    return SyntheticEval(
        source, parser_name, grounder.name, seed, limit, skipped, outcomes, score_outcomes(outcomes)
    )
