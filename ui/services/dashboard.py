"""The instructor dashboard's numbers: SQL aggregates over stored attempts, as pandas tables.

One function per table, each taking a ``Filters`` (sessions, cases, learners, modes; empty means
all) and doing its counting in the database (GROUP BY), so a dashboard over 100,000 attempts stays
fast on SQLite and PostgreSQL alike (``bench/dashboard_bench.py`` measures it):

- ``finding_errors``: per finding, draft misses / over-calls / wrong sides (audit flags) and box
  hits / misses / wrong sides / over-calls (against the reference read);
- ``case_difficulty``: per case, attempts, share not fully correct, mean box score, time;
- ``learner_summary``: per learner, attempts, errors by kind, mean box score, time;
- ``score_histogram``: box scores in ten bins; ``attempts_table``: one row per attempt (CSV export).

``presented`` turns any of them into what the page shows and exports: case titles (the id kept in
``case id``), positions counted from 1 as learners saw them ("Case 1 of 4"), numbers rounded.

Box outcomes against the model's read are stored but not counted here: they describe the model as
much as the learner. This module renders nothing; ``csv_bytes`` formats any table for download as
a plain CSV (one header row, read by a bare ``pandas.read_csv``), the disclaimer in its last
column and in ``export_notes``, the text file offered beside the CSVs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cxr_auditor.core.labels import DISCLAIMER, POSITIVE_LABELS, display_name
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import (
    Attempt,
    AttemptDetail,
    AttemptOutcome,
    Participant,
    TeachingSession,
)
from cxr_auditor.ui.services.sessions import format_code

MODES = ("session", "quiz")
PRACTICE = "practice"  # the session column of a practice-quiz answer
FINDING_COLUMNS = {
    ("draft", "MISSING"): "draft missed",
    ("draft", "UNSUPPORTED"): "draft over-called",
    ("draft", "LATERALITY"): "draft wrong side",
    ("draft", "URGENT_MISSED"): "urgent not reported",
    ("reference", "hit"): "boxes found",
    ("reference", "miss"): "boxes missed",
    ("reference", "side_error"): "boxes wrong side",
    ("reference", "over_call"): "boxes over-called",
}
BINS = 10


@dataclass(frozen=True)
class Filters:
    """Which attempts count; an empty tuple means no restriction."""

    session_ids: tuple[int, ...] = ()
    case_ids: tuple[str, ...] = ()
    participant_ids: tuple[int, ...] = ()
    modes: tuple[str, ...] = MODES


def _where(query: Any, filters: Filters) -> Any:
    if filters.session_ids:
        query = query.where(Attempt.session_id.in_(filters.session_ids))
    if filters.case_ids:
        query = query.where(Attempt.case_id.in_(filters.case_ids))
    if filters.participant_ids:
        query = query.where(Attempt.participant_id.in_(filters.participant_ids))
    if tuple(sorted(filters.modes)) != tuple(sorted(MODES)):
        query = query.where(Attempt.mode.in_(filters.modes))
    return query


def _frame(db: Session, query: Any) -> pd.DataFrame:
    result = db.execute(query)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    if "session" in frame.columns:  # join codes as learners see them: K7Q-M3P
        frame["session"] = frame["session"].map(lambda c: c if c == PRACTICE else format_code(c))
    return frame


def _mean(column: Any) -> Any:
    return func.avg(cast(column, Float))


def _share(condition: Any) -> Any:
    return func.avg(case((condition, 1.0), else_=0.0))


# --------------------------------------------------------------------------- tables


def overview(db: Session, filters: Filters) -> dict[str, Any]:
    row = db.execute(
        _where(
            select(
                func.count(Attempt.id).label("attempts"),
                func.count(func.distinct(Attempt.participant_id)).label("learners"),
                func.count(func.distinct(Attempt.case_id)).label("cases"),
                _mean(Attempt.box_score).label("mean_box_score"),
                _mean(Attempt.seconds).label("mean_seconds"),
            ),
            filters,
        )
    ).one()
    return dict(row._mapping)


def finding_errors(db: Session, filters: Filters) -> pd.DataFrame:
    """One row per positive label: counts of each draft flag and box outcome."""
    query = (
        select(
            AttemptOutcome.label,
            AttemptOutcome.channel,
            AttemptOutcome.kind,
            func.count().label("n"),
        )
        .join(Attempt, Attempt.id == AttemptOutcome.attempt_id)
        .where(AttemptOutcome.channel.in_(("draft", "reference")))
        .group_by(AttemptOutcome.label, AttemptOutcome.channel, AttemptOutcome.kind)
    )
    counts = {(r.label, r.channel, r.kind): int(r.n) for r in db.execute(_where(query, filters))}
    rows = []
    for label in POSITIVE_LABELS:
        row: dict[str, Any] = {"label": label, "finding": display_name(label)}
        for (channel, kind), column in FINDING_COLUMNS.items():
            row[column] = counts.get((label, channel, kind), 0)
        scored = row["boxes found"] + row["boxes missed"] + row["boxes wrong side"]
        row["box miss rate"] = (
            (row["boxes missed"] + row["boxes wrong side"]) / scored if scored else None
        )
        row["wrong side (all)"] = row["draft wrong side"] + row["boxes wrong side"]
        rows.append(row)
    return pd.DataFrame(rows)


def case_difficulty(db: Session, filters: Filters) -> pd.DataFrame:
    """Per case: attempts, share not fully correct, mean box score, draft error shares, time."""
    any_error = (
        Attempt.flags_missing
        + Attempt.flags_unsupported
        + Attempt.flags_laterality
        + Attempt.box_misses
        + Attempt.box_side_errors
        + Attempt.box_over_calls
    ) > 0
    query = select(
        Attempt.case_id.label("case"),
        func.count(Attempt.id).label("attempts"),
        _share(any_error).label("share with an error"),
        _mean(Attempt.box_score).label("mean box score"),
        _share(Attempt.flags_missing > 0).label("draft missed a finding"),
        _share(Attempt.flags_unsupported > 0).label("draft over-called"),
        _share(Attempt.flags_laterality + Attempt.box_side_errors > 0).label("wrong side"),
        _mean(Attempt.seconds).label("mean seconds"),
        func.min(Attempt.seconds).label("min seconds"),
        func.max(Attempt.seconds).label("max seconds"),
        func.sum(case((Attempt.over_time, 1), else_=0)).label("over time"),
    ).group_by(Attempt.case_id)
    frame = _frame(db, _where(query, filters))
    if frame.empty:
        return frame
    return frame.sort_values(
        ["share with an error", "mean box score"], ascending=[False, True]
    ).reset_index(drop=True)


def learner_summary(db: Session, filters: Filters) -> pd.DataFrame:
    """Per learner: attempts, errors by kind, mean box score, time; weakest first."""
    query = (
        select(
            Participant.id.label("learner_id"),
            Participant.display_name.label("learner"),
            func.coalesce(TeachingSession.code, PRACTICE).label("session"),
            func.count(Attempt.id).label("attempts"),
            _mean(Attempt.box_score).label("mean box score"),
            func.sum(Attempt.flags_missing).label("draft missed"),
            func.sum(Attempt.flags_unsupported).label("draft over-called"),
            func.sum(Attempt.flags_laterality + Attempt.box_side_errors).label("wrong side"),
            func.sum(Attempt.box_misses).label("boxes missed"),
            func.sum(Attempt.box_over_calls).label("boxes over-called"),
            _mean(Attempt.seconds).label("mean seconds"),
            func.sum(case((Attempt.over_time, 1), else_=0)).label("over time"),
        )
        .join(Participant, Participant.id == Attempt.participant_id)
        .outerjoin(TeachingSession, TeachingSession.id == Participant.session_id)
        .group_by(Participant.id, Participant.display_name, TeachingSession.code)
    )
    frame = _frame(db, _where(query, filters))
    if frame.empty:
        return frame
    return frame.sort_values("mean box score").reset_index(drop=True)


def score_histogram(db: Session, filters: Filters) -> pd.DataFrame:
    """Box scores against the reference in ten bins (0-0.1, ..., 0.9-1.0; 1.0 in the last)."""
    bucket = case(
        *[(Attempt.box_score < (k + 1) / BINS, k) for k in range(BINS - 1)], else_=BINS - 1
    ).label("bin")
    query = select(bucket, func.count(Attempt.id).label("attempts")).group_by(bucket)
    counts = {int(r.bin): int(r.attempts) for r in db.execute(_where(query, filters))}
    return pd.DataFrame(
        [
            {
                "bin": k,
                "from": k / BINS,
                "to": (k + 1) / BINS,
                "box score": f"{k / BINS:.1f}–{(k + 1) / BINS:.1f}",
                "attempts": counts.get(k, 0),
            }
            for k in range(BINS)
        ]
    )


def attempts_table(db: Session, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per attempt, newest first (no images, no JSON): what the CSV export holds."""
    query = (
        select(
            Attempt.id.label("attempt"),
            Attempt.submitted_at.label("submitted at"),
            func.coalesce(TeachingSession.code, PRACTICE).label("session"),
            Participant.display_name.label("learner"),
            Attempt.case_id.label("case"),
            Attempt.position.label("position"),
            AttemptDetail.draft.label("draft"),
            Attempt.box_score.label("box score"),
            Attempt.model_box_score.label("box score vs model"),
            Attempt.box_hits.label("boxes found"),
            Attempt.box_misses.label("boxes missed"),
            Attempt.box_side_errors.label("boxes wrong side"),
            Attempt.box_over_calls.label("boxes over-called"),
            Attempt.flags_missing.label("draft missed"),
            Attempt.flags_unsupported.label("draft over-called"),
            Attempt.flags_laterality.label("draft wrong side"),
            Attempt.urgent_missed.label("urgent not reported"),
            Attempt.seconds.label("seconds"),
            Attempt.over_time.label("over time"),
        )
        .join(Participant, Participant.id == Attempt.participant_id)
        .outerjoin(AttemptDetail, AttemptDetail.attempt_id == Attempt.id)
        .outerjoin(TeachingSession, TeachingSession.id == Attempt.session_id)
        .order_by(Attempt.id.desc())
    )
    query = _where(query, filters)
    return _frame(db, query.limit(limit) if limit else query)


def filter_options(db: Session) -> dict[str, Any]:
    """What the filters can offer: sessions, cases and learners that have attempts."""
    sessions = db.execute(
        select(TeachingSession.id, TeachingSession.code, TeachingSession.title).order_by(
            TeachingSession.id.desc()
        )
    ).all()
    cases = db.execute(select(Attempt.case_id).distinct().order_by(Attempt.case_id)).scalars()
    learners = db.execute(
        select(
            Participant.id,
            Participant.display_name,
            func.coalesce(TeachingSession.code, PRACTICE),
        )
        .outerjoin(TeachingSession, TeachingSession.id == Participant.session_id)
        .order_by(Participant.id)
    ).all()
    return {
        "sessions": {row.id: f"{format_code(row.code)} · {row.title}" for row in sessions},
        "cases": list(cases),
        "learners": {
            row[0]: f"{row[1]} ({row[2] if row[2] == PRACTICE else format_code(row[2])})"
            for row in learners
        },
    }


@dataclass(frozen=True)
class Dashboard:
    """Every table the dashboard page shows, read in one consistent snapshot."""

    overview: dict[str, Any]
    findings: pd.DataFrame
    cases: pd.DataFrame
    learners: pd.DataFrame
    histogram: pd.DataFrame


def load(engine: Engine, filters: Filters) -> Dashboard:
    with reading(engine) as db:
        return Dashboard(
            overview(db, filters),
            finding_errors(db, filters),
            case_difficulty(db, filters),
            learner_summary(db, filters),
            score_histogram(db, filters),
        )


def ranked(findings: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Findings with any count in ``columns``, most first (for 'most missed', 'most
    over-called')."""
    total = findings[list(columns)].sum(axis=1)
    return findings.assign(total=total)[total > 0].sort_values("total", ascending=False)


def presented(frame: pd.DataFrame, titles: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` as shown and exported: case titles, positions from 1, rounded numbers."""
    out = frame.copy()
    if titles is not None and "case" in out.columns:
        out.insert(len(out.columns), "case id", out["case"])
        out["case"] = out["case"].map(lambda case_id: titles.get(case_id, case_id))
    if "position" in out.columns:  # stored from 0; learners saw "Case 1 of N"
        out["position"] = (
            out["position"].map(lambda p: int(p) + 1 if pd.notna(p) else None).astype("Int64")
        )
        out = out.rename(columns={"position": "case number"})
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].round(0 if "seconds" in column else 2)
            if "seconds" in column and out[column].notna().all():
                out[column] = out[column].astype(int)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as plain UTF-8 CSV; the disclaimer is the value of its last column, ``notice``."""
    return frame.assign(notice=DISCLAIMER).to_csv(index=False).encode("utf-8")


def export_notes() -> bytes:
    """The text file offered beside the CSVs: the disclaimer and how to read the tables."""
    return (
        f"CXR Draft Auditor: instructor dashboard exports\n\n{DISCLAIMER}\n\n"
        "Each CSV has one header row and loads with a plain pandas.read_csv (or any spreadsheet).\n"
        "'notice' repeats the disclaimer on every row. 'case' is the case title, 'case id' its\n"
        "library id; 'case number' counts from 1, as learners saw it ('Case 1 of 4'). Box\n"
        "scores are 0 to 1 (share of reference findings found); shares are 0 to 1; times in\n"
        "seconds. Learner names are the names learners typed: handle the files accordingly.\n"
    ).encode()
