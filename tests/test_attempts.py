"""Attempts: scoring on library cases, storing exactly once, isolation between learners, and
40 learners × 10 submissions at once losing and duplicating nothing, also across a restart.

Database rows run on SQLite and on a real PostgreSQL server (``teaching_db``).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cxr_auditor.core.audit import model_read, rule_reader
from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import Finding
from cxr_auditor.db import open_database
from cxr_auditor.db.attempt_store import count_attempts, own_attempt, own_attempts
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import Attempt, AttemptOutcome
from cxr_auditor.db.store import now
from cxr_auditor.serving.readers import Readers, make_readers
from cxr_auditor.ui.services import attempts, sessions
from cxr_auditor.ui.services.palette import FLAG_COLOURS

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db

RIGHT_PTX = "nih-00005140_001"  # one right pneumothorax, y 0.26-0.69, x 0.12-0.26
INSIDE_RIGHT_PTX = (0.35, 0.14, 0.55, 0.24)
LEFT_APEX = (0.30, 0.75, 0.50, 0.85)
EMBEDDED = make_readers(None)


@pytest.fixture(scope="module")
def library():
    return load_library()


def learner_box(label: str, box) -> Finding:
    return Finding(label=label, box=box, source="learner")


@pytest.mark.parametrize(
    "draft, boxes, flags, rows",
    [
        # Reported and boxed on the correct side.
        (
            "Right apical pneumothorax.",
            [learner_box("pneumothorax", INSIDE_RIGHT_PTX)],
            [("URGENT", True)],
            [("pneumothorax", "reference", "hit")],
        ),
        # Called normal and nothing boxed: missed twice over.
        (
            "No acute cardiopulmonary abnormality.",
            [],
            [("MISSING", None), ("URGENT", False)],
            [
                ("pneumothorax", "draft", "MISSING"),
                ("pneumothorax", "draft", "URGENT_MISSED"),
                ("pneumothorax", "reference", "miss"),
            ],
        ),
        # The wrong side in the draft and on the image.
        (
            "Left pneumothorax.",
            [learner_box("pneumothorax", LEFT_APEX)],
            [("URGENT", True), ("LATERALITY", None)],
            [("pneumothorax", "draft", "LATERALITY"), ("pneumothorax", "reference", "side_error")],
        ),
    ],
)
def test_an_attempt_is_audited_and_its_boxes_scored(library, draft, boxes, flags, rows):
    feedback = attempts.score_attempt(library.get(RIGHT_PTX), draft, boxes, EMBEDDED)
    assert [(f.kind, f.in_draft) for f in feedback.audit.flags] == flags
    assert attempts.outcomes_of(feedback) == rows
    assert feedback.audit.grounder.kind == "reference" and feedback.model is None


@pytest.mark.parametrize("draft", ["", "   ", "x" * 20_001])
def test_an_empty_or_overlong_draft_is_refused(library, draft):
    with pytest.raises(InputError):
        attempts.score_attempt(library.get(RIGHT_PTX), draft, [], EMBEDDED)


class FakeGrounder:
    """A model server stand-in: a fixed grounder output, the rule parser for drafts."""

    def __init__(self, raw: str) -> None:
        self.raw = raw

    def image_read(self, image_bytes: bytes):
        assert image_bytes[:3] == b"\xff\xd8\xff"
        return model_read(self.raw, "fake-grounder", "1")

    def draft_reader(self):
        return rule_reader()


def test_with_a_model_the_boxes_are_also_scored_against_its_read(library):
    model = Readers(
        "triton",
        FakeGrounder(
            '[{"label": "pneumothorax", "box_2d": [0.05, 0.70, 0.40, 0.95]},'
            ' {"label": "pleural_effusion", "box_2d": [0.70, 0.05, 0.95, 0.40]}]'
        ),
    )
    feedback = attempts.score_attempt(
        library.get(RIGHT_PTX),
        "Left pneumothorax.",
        [learner_box("pneumothorax", LEFT_APEX)],
        model,
    )
    assert feedback.audit.grounder.kind == "reference"  # the draft is judged on the answer
    assert feedback.reference.side_errors == 1
    assert feedback.model is not None and feedback.model.score is not None
    assert [(o.kind, o.label) for o in feedback.model.score.outcomes] == [
        ("miss", "pleural_effusion"),
        ("hit", "pneumothorax"),
    ]
    assert ("pneumothorax", "model", "hit") in attempts.outcomes_of(feedback)
    boxes = attempts.overlay_boxes(feedback)
    assert [b.caption for b in boxes] == [
        "1,2 Pneumothorax",  # the reference box, named by flags 1 (URGENT) and 2 (LATERALITY)
        "model: Pneumothorax",
        "model: Pleural effusion",
        "you 1: Pneumothorax (wrong side)",
    ]
    assert [b.dashed for b in boxes] == [False, True, True, False]
    assert boxes[0].colour == FLAG_COLOURS["LATERALITY"].hex
    only_mine = attempts.overlay_boxes(feedback, show_reference=False, show_model=False)
    assert [b.colour for b in only_mine] == [attempts.LEARNER.hex]


def test_a_failed_model_read_is_said_and_not_scored(library):
    model = Readers("triton", FakeGrounder("I cannot see an image."))
    feedback = attempts.score_attempt(library.get(RIGHT_PTX), "Right pneumothorax.", [], model)
    assert feedback.model is not None and feedback.model.score is None
    assert "no JSON" in (feedback.model.problem or "")


# --------------------------------------------------------------------------- storing


def session_with(engine, case_ids, names, time_limit_s=None):
    info = sessions.create_session(
        engine,
        title="Week 1",
        case_ids=list(case_ids),
        known_case_ids=set(case_ids),
        time_limit_s=time_limit_s,
    )
    return info, [sessions.join(engine, info.code, name, "1234")[1] for name in names]


def data_for(feedback, person, info, position, seconds=42.0, submission_id=None):
    opened = now() - timedelta(seconds=seconds)
    return attempts.attempt_data(
        feedback,
        submission_id=submission_id or attempts.new_submission_id(),
        participant_id=person.id,
        session_id=info.id if info else None,
        mode="session" if info else "quiz",
        position=position,
        opened_at=opened,
        submitted_at=opened + timedelta(seconds=seconds),
        time_limit_s=info.time_limit_s if info else None,
    )


@pytest.fixture(scope="module")
def ptx_feedback(library):
    return attempts.score_attempt(
        library.get(RIGHT_PTX),
        "Left pneumothorax.",
        [learner_box("pneumothorax", LEFT_APEX)],
        EMBEDDED,
    )


@pytest.mark.parametrize("seconds, late", [(30, False), (60, False), (90, True)])
def test_time_per_case_and_lateness(ptx_feedback, seconds, late):
    opened = now()
    data = attempts.attempt_data(
        ptx_feedback,
        submission_id="s",
        participant_id=1,
        session_id=1,
        mode="session",
        position=0,
        opened_at=opened,
        submitted_at=opened + timedelta(seconds=seconds),
        time_limit_s=60,
    )
    assert (data.seconds, data.over_time) == (seconds, late)
    assert (data.flags_laterality, data.box_side_errors, data.urgent_missed) == (1, 1, 0)


def test_a_retried_submit_is_stored_once(teaching_db, ptx_feedback):
    info, (sam,) = session_with(teaching_db, [RIGHT_PTX], ["Sam"])
    data = data_for(ptx_feedback, sam, info, 0)
    first, again = attempts.submit(teaching_db, data), attempts.submit(teaching_db, data)
    assert (first.created, first.reason) == (True, "new")
    assert (again.created, again.reason, again.attempt_id) == (
        False,
        "same_submission",
        first.attempt_id,
    )
    other_click = attempts.submit(
        teaching_db, dataclasses.replace(data, submission_id=attempts.new_submission_id())
    )
    assert (other_click.reason, other_click.attempt_id) == ("already_answered", first.attempt_id)
    assert count_attempts(teaching_db) == 1
    with reading(teaching_db) as db:
        stored = db.execute(select(func.count()).select_from(AttemptOutcome)).scalar_one()
    assert stored == len(data.outcomes) == 2


def test_practice_may_repeat_a_case(teaching_db, ptx_feedback):
    person = sessions.practice_participant(teaching_db)
    for _ in range(2):
        assert attempts.submit(teaching_db, data_for(ptx_feedback, person, None, None)).created
    assert [row["mode"] for row in own_attempts(teaching_db, person.id)] == ["quiz", "quiz"]


def test_a_closed_session_takes_no_new_answer_but_keeps_the_stored_ones(teaching_db, ptx_feedback):
    info, (sam, ana) = session_with(teaching_db, [RIGHT_PTX], ["Sam", "Ana"])
    kept = data_for(ptx_feedback, sam, info, 0)
    stored = attempts.submit(teaching_db, kept)
    sessions.set_open(teaching_db, info.id, False)
    late = attempts.submit(teaching_db, data_for(ptx_feedback, ana, info, 0))
    assert (late.attempt_id, late.created, late.reason) == (None, False, "session_closed")
    assert attempts.submit(teaching_db, kept).attempt_id == stored.attempt_id
    assert count_attempts(teaching_db) == 1


def test_a_learner_sees_only_their_own_attempts(teaching_db, ptx_feedback):
    info, (sam, ana) = session_with(teaching_db, [RIGHT_PTX], ["Sam", "Ana"])
    sams = attempts.submit(teaching_db, data_for(ptx_feedback, sam, info, 0)).attempt_id
    anas = attempts.submit(teaching_db, data_for(ptx_feedback, ana, info, 0)).attempt_id
    assert [row["id"] for row in own_attempts(teaching_db, sam.id)] == [sams]
    assert own_attempt(teaching_db, sam.id, anas) is None
    assert own_attempt(teaching_db, ana.id, anas)["participant_id"] == ana.id


def test_the_feedback_is_rebuilt_from_the_stored_row(teaching_db, library):
    model = Readers(
        "triton", FakeGrounder('[{"label": "pneumothorax", "box_2d": [0.3, 0.1, 0.6, 0.3]}]')
    )
    feedback = attempts.score_attempt(
        library.get(RIGHT_PTX),
        "Right pneumothorax.",
        [learner_box("pneumothorax", INSIDE_RIGHT_PTX)],
        model,
    )
    info, (sam,) = session_with(teaching_db, [RIGHT_PTX], ["Sam"])
    attempt_id = attempts.submit(teaching_db, data_for(feedback, sam, info, 0)).attempt_id
    row = own_attempt(teaching_db, sam.id, attempt_id)
    assert attempts.feedback_of(row) == feedback
    assert row["model_box_score"] == pytest.approx(1.0) and row["box_score"] == 1.0


# --------------------------------------------------------------------------- concurrency

LEARNERS, SUBMISSIONS = 40, 10


def test_forty_learners_times_ten_submissions_at_once_lose_and_duplicate_nothing(
    teaching_db, library
):
    case_ids = [loaded.case.id for loaded in library.cases[:SUBMISSIONS]]
    feedbacks = [
        attempts.score_attempt(library.get(c), "No acute abnormality.", [], EMBEDDED)
        for c in case_ids
    ]
    info, people = session_with(teaching_db, case_ids, [f"Learner {k}" for k in range(LEARNERS)])
    jobs = [
        [data_for(feedbacks[p], person, info, p) for p in range(SUBMISSIONS)] for person in people
    ]
    # Every learner double-clicks Submit: two threads send the same ten answers, all at once.
    results: dict[str, list] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2 * LEARNERS)
    lock = threading.Lock()

    def click(answers) -> None:
        try:
            barrier.wait(timeout=60)
            for data in answers:
                stored = attempts.submit(teaching_db, data)
                with lock:
                    results.setdefault(data.submission_id, []).append(stored)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=click, args=(answers,)) for answers in jobs for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    expected = {data.submission_id for answers in jobs for data in answers}
    assert set(results) == expected and len(expected) == LEARNERS * SUBMISSIONS
    for submission, outcomes in results.items():
        assert sorted(o.created for o in outcomes) == [False, True], submission
        assert len({o.attempt_id for o in outcomes}) == 1
    with reading(teaching_db) as db:
        rows = db.execute(
            select(Attempt.submission_id, Attempt.participant_id, Attempt.case_id)
        ).all()
        n_outcomes = db.execute(select(func.count()).select_from(AttemptOutcome)).scalar_one()
    assert len(rows) == LEARNERS * SUBMISSIONS
    assert {r.submission_id for r in rows} == expected
    assert Counter((r.participant_id, r.case_id) for r in rows).most_common(1)[0][1] == 1
    assert n_outcomes == sum(len(data.outcomes) for answers in jobs for data in answers)

    # The app restarts: a new engine on the same database still has every attempt, and a
    # browser retrying its last submits gets the stored answers back.
    url = teaching_db.url
    teaching_db.dispose()
    restarted = open_database(url)
    assert count_attempts(restarted) == LEARNERS * SUBMISSIONS
    again = attempts.submit(restarted, jobs[7][3])
    assert (again.created, again.attempt_id) == (
        False,
        results[jobs[7][3].submission_id][0].attempt_id,
    )
    assert [r["position"] for r in own_attempts(restarted, people[7].id)] == list(
        range(SUBMISSIONS)
    )
    restarted.dispose()
