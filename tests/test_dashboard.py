"""Dashboard numbers from a small hand-made teaching week, counted by hand, on SQLite and
PostgreSQL.

Week: session A (cases c1, c2; Sam and Ana), session B (case c1; Lee), and one practice answer.
"""

from __future__ import annotations

import io
import uuid

import pandas as pd
import pytest

from cxr_auditor.core.labels import DISCLAIMER
from cxr_auditor.db.attempt_store import AttemptData, store_attempt
from cxr_auditor.db.engine import reading
from cxr_auditor.db.store import now
from cxr_auditor.ui.services import dashboard, sessions
from cxr_auditor.ui.services.dashboard import Filters

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db

SESSION_ONLY = Filters(modes=("session",))


def answer(person, info, case, score, outcomes=(), seconds=30.0, late=False, **counts):
    moment = now()
    return AttemptData(
        submission_id=str(uuid.uuid4()),
        participant_id=person.id,
        session_id=info.id if info else None,
        mode="session" if info else "quiz",
        case_id=case,
        position=info.case_ids.index(case) if info else None,
        draft=f"draft for {case}",
        learner_boxes=[],
        audit={},
        reference_score={},
        model_score=None,
        box_score=score,
        model_box_score=None,
        box_hits=counts.get("hits", 0),
        box_misses=counts.get("misses", 0),
        box_side_errors=counts.get("side", 0),
        box_over_calls=counts.get("over", 0),
        flags_missing=counts.get("missing", 0),
        flags_unsupported=counts.get("unsupported", 0),
        flags_laterality=counts.get("laterality", 0),
        urgent_missed=0,
        opened_at=moment,
        submitted_at=moment,
        seconds=seconds,
        over_time=late,
        outcomes=list(outcomes),
    )


@pytest.fixture
def week(teaching_db):
    known = {"c1", "c2"}
    a = sessions.create_session(teaching_db, title="A", case_ids=["c1", "c2"], known_case_ids=known)
    b = sessions.create_session(teaching_db, title="B", case_ids=["c1"], known_case_ids=known)
    sam = sessions.join(teaching_db, a.code, "Sam", "1234")[1]
    ana = sessions.join(teaching_db, a.code, "Ana", "1234")[1]
    lee = sessions.join(teaching_db, b.code, "Lee", "1234")[1]
    practice = sessions.practice_participant(teaching_db)
    rows = [
        answer(sam, a, "c1", 1.0, [("pneumothorax", "reference", "hit")], 30, hits=1),
        answer(
            sam,
            a,
            "c2",
            0.0,
            [("nodule_mass", "draft", "MISSING"), ("nodule_mass", "reference", "miss")],
            90,
            True,
            missing=1,
            misses=1,
        ),
        answer(
            ana,
            a,
            "c1",
            0.0,
            [("pneumothorax", "draft", "LATERALITY"), ("pneumothorax", "reference", "side_error")],
            60,
            laterality=1,
            side=1,
        ),
        answer(
            ana,
            a,
            "c2",
            0.25,
            [
                ("pleural_effusion", "draft", "UNSUPPORTED"),
                ("pleural_effusion", "reference", "over_call"),
                ("nodule_mass", "reference", "miss"),
                ("nodule_mass", "model", "hit"),
            ],
            45,
            unsupported=1,
            over=1,
            misses=1,
        ),
        answer(lee, b, "c1", 1.0, [("pneumothorax", "reference", "hit")], 20, hits=1),
        answer(practice, None, "c2", 0.5, [], 10),
    ]
    for row in rows:
        assert store_attempt(teaching_db, row).created
    return teaching_db, {"a": a, "b": b, "sam": sam, "ana": ana, "lee": lee}


def test_missed_over_called_and_wrong_side_per_finding(week):
    engine, _ = week
    table = dashboard.load(engine, SESSION_ONLY).findings.set_index("label")
    ptx, nodule, effusion = (
        table.loc[k] for k in ("pneumothorax", "nodule_mass", "pleural_effusion")
    )
    assert (ptx["boxes found"], ptx["boxes wrong side"], ptx["draft wrong side"]) == (2, 1, 1)
    assert ptx["box miss rate"] == pytest.approx(1 / 3) and ptx["wrong side (all)"] == 2
    assert (nodule["draft missed"], nodule["boxes missed"], nodule["boxes found"]) == (1, 2, 0)
    assert (effusion["draft over-called"], effusion["boxes over-called"]) == (1, 1)
    assert pd.isna(table.loc["cardiomegaly", "box miss rate"])
    most_missed = dashboard.ranked(table.reset_index(), ["draft missed", "boxes missed"])
    assert list(most_missed["label"]) == ["nodule_mass"]


def test_per_case_difficulty_and_time(week):
    engine, _ = week
    cases = dashboard.load(engine, SESSION_ONLY).cases.set_index("case")
    assert list(cases.index) == ["c2", "c1"]  # hardest first
    c1, c2 = cases.loc["c1"], cases.loc["c2"]
    assert (c2["attempts"], c2["share with an error"], c2["mean box score"]) == (2, 1.0, 0.125)
    assert c1["attempts"] == 3 and c1["share with an error"] == pytest.approx(1 / 3)
    assert c1["mean seconds"] == pytest.approx(110 / 3)
    assert (c1["min seconds"], c1["max seconds"], c2["over time"]) == (20, 60, 1)


def test_per_learner_summary_weakest_first(week):
    engine, _ = week
    learners = dashboard.load(engine, SESSION_ONLY).learners
    assert list(learners["learner"]) == ["Ana", "Sam", "Lee"]
    ana = learners.iloc[0]
    assert (ana["attempts"], ana["mean box score"], ana["wrong side"]) == (2, 0.125, 2)
    assert (ana["draft over-called"], ana["boxes missed"], ana["boxes over-called"]) == (1, 1, 1)
    assert list(learners["over time"]) == [0, 1, 0]


def test_box_score_distribution_in_ten_bins(week):
    engine, _ = week
    histogram = dashboard.load(engine, Filters()).histogram
    assert len(histogram) == 10 and histogram["attempts"].sum() == 6
    assert dict(zip(histogram["bin"], histogram["attempts"], strict=True)) == {
        0: 2,
        1: 0,
        2: 1,
        3: 0,
        4: 0,
        5: 1,
        6: 0,
        7: 0,
        8: 0,
        9: 2,
    }


@pytest.mark.parametrize(
    "which, expected",
    [
        (lambda w: Filters(), 6),
        (lambda w: SESSION_ONLY, 5),
        (lambda w: Filters(modes=("quiz",)), 1),
        (lambda w: Filters(session_ids=(w["b"].id,)), 1),
        (lambda w: Filters(session_ids=(w["a"].id, w["b"].id)), 5),
        (lambda w: Filters(case_ids=("c2",)), 3),
        (lambda w: Filters(participant_ids=(w["sam"].id,)), 2),
        (lambda w: Filters(case_ids=("c1",), participant_ids=(w["ana"].id, w["lee"].id)), 2),
    ],
)
def test_filters(week, which, expected):
    engine, people = week
    data = dashboard.load(engine, which(people))
    assert data.overview["attempts"] == expected
    assert data.histogram["attempts"].sum() == expected
    assert data.learners["attempts"].sum() == expected
    with reading(engine) as db:
        assert len(dashboard.attempts_table(db, which(people))) == expected


def test_the_attempts_export_and_its_csv(week):
    engine, _ = week
    with reading(engine) as db:
        table = dashboard.attempts_table(db, Filters())
        options = dashboard.filter_options(db)
    assert list(table["learner"]) == ["Practice", "Lee", "Ana", "Ana", "Sam", "Sam"]
    assert table["session"].iloc[0] == "practice"
    data = dashboard.csv_bytes(table)
    back = pd.read_csv(io.BytesIO(data))  # plain: no line to skip
    assert list(back.columns) == [*table.columns, "notice"] and len(back) == 6
    assert list(back["draft"]) == list(table["draft"]) and set(back["notice"]) == {DISCLAIMER}
    assert list(table.columns).index("draft") < list(table.columns).index("box score")
    assert DISCLAIMER in dashboard.export_notes().decode()
    assert options["cases"] == ["c1", "c2"] and len(options["learners"]) == 4


def test_tables_are_presented_with_titles_positions_from_one_and_rounded_numbers(week):
    engine, _ = week
    with reading(engine) as db:
        table = dashboard.attempts_table(db, SESSION_ONLY)
    shown = dashboard.presented(table, {"c1": "Right pneumothorax", "c2": "Nodule"})
    assert set(shown["case"]) == {"Right pneumothorax", "Nodule"}
    assert set(shown["case id"]) == {"c1", "c2"}
    assert sorted(set(shown["case number"])) == [1, 2]  # stored 0 and 1
    cases = dashboard.presented(dashboard.load(engine, SESSION_ONLY).cases)
    c1 = cases.set_index("case").loc["c1"]
    assert c1["mean seconds"] == 37 and c1["share with an error"] == 0.33


def test_an_empty_database_gives_an_empty_dashboard(teaching_db):
    data = dashboard.load(teaching_db, Filters())
    assert data.overview["attempts"] == 0 and data.overview["mean_box_score"] is None
    assert data.cases.empty and data.learners.empty
    assert data.histogram["attempts"].sum() == 0 and len(data.findings) == 5
