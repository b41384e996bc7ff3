"""Case difficulty from recorded attempts: the buckets, and the query over a real database."""

from __future__ import annotations

import pytest
from test_dashboard import answer

from cxr_auditor.db import open_database
from cxr_auditor.db.attempt_store import store_attempt
from cxr_auditor.ui.services import sessions
from cxr_auditor.ui.services.difficulty import MIN_ATTEMPTS, bucket, miss_rows, rate


@pytest.mark.parametrize(
    "attempts, missed, expected",
    [
        (0, 0, "not yet rated"),  # never tried
        (MIN_ATTEMPTS - 1, MIN_ATTEMPTS - 1, "not yet rated"),  # all missed, but too few
        (MIN_ATTEMPTS, 0, "easy"),
        (6, 1, "easy"),  # a sixth missed
        (6, 2, "moderate"),  # a third missed: no longer easy
        (6, 3, "moderate"),  # half
        (6, 4, "hard"),  # two thirds missed
        (10, 10, "hard"),
    ],
)
def test_buckets(attempts, missed, expected):
    assert bucket(attempts, missed) == expected


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError, match="between 0 and attempts"):
        bucket(3, 4)


def test_rate_keeps_the_counts_and_says_them():
    rated = rate([("c1", 6, 4), ("c2", 2, 2)])
    assert rated["c1"].bucket == "hard" and rated["c1"].share_missed == pytest.approx(4 / 6)
    assert rated["c1"].line() == "hard: 4 of 6 attempts missed a reference finding"
    assert rated["c2"].line().startswith("not yet rated: 2 attempt(s)")


def test_a_missed_finding_is_a_draft_omission_a_missed_box_or_a_box_on_the_wrong_side(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'difficulty.sqlite3'}")
    learner = sessions.practice_participant(db)
    counts = [{}, {"missing": 1}, {"misses": 2}, {"side": 1}, {"over": 3, "unsupported": 1}]
    for extra in counts:
        store_attempt(db, answer(learner, None, "c1", 0.5, **extra))
    store_attempt(db, answer(learner, None, "c2", 1.0, hits=1))
    assert sorted(miss_rows(db)) == [("c1", 5, 3), ("c2", 1, 0)]
    rated = rate(miss_rows(db))
    assert rated["c1"].bucket == "moderate" and rated["c2"].bucket == "not yet rated"
