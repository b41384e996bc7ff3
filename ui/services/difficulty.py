"""How hard a case is, from the attempts recorded in the classroom database.

A case's difficulty is the share of its attempts that missed a reference finding: the draft left out
or denied a boxed finding (a MISSING flag, ``flags_missing``), or the learner's boxes missed one or
put it on the wrong side (``box_misses``, ``box_side_errors``). Over-calls do not count: on an
incomplete reference they are not even scored. Buckets: under a third of attempts missed, easy;
under two thirds, moderate; otherwise hard. Below ``MIN_ATTEMPTS`` attempts a case is "not yet
rated": three learners are not a difficulty. Session and practice attempts both count.

``rate`` is a pure function over ``(case id, attempts, attempts that missed)`` rows; ``miss_rows``
is the one query that produces them (a GROUP BY over the narrow attempts table).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import Attempt

Bucket = Literal["easy", "moderate", "hard", "not yet rated"]
BUCKETS: tuple[Bucket, ...] = ("easy", "moderate", "hard", "not yet rated")
MIN_ATTEMPTS = 5
EASY_BELOW = 1 / 3
MODERATE_BELOW = 2 / 3


@dataclass(frozen=True)
class Difficulty:
    attempts: int
    missed: int
    bucket: Bucket

    @property
    def share_missed(self) -> float | None:
        return self.missed / self.attempts if self.attempts else None

    def line(self) -> str:
        """``"moderate: 3 of 7 attempts missed a reference finding"``."""
        if self.bucket == "not yet rated":
            return (
                f"not yet rated: {self.attempts} attempt(s) so far; "
                f"a case is rated once it has {MIN_ATTEMPTS}"
            )
        return (
            f"{self.bucket}: {self.missed} of {self.attempts} attempts missed a reference finding"
        )


NOT_RATED = Difficulty(0, 0, "not yet rated")


def bucket(attempts: int, missed: int) -> Bucket:
    """The bucket for a case with ``attempts`` attempts of which ``missed`` missed a finding."""
    if attempts < 0 or not 0 <= missed <= attempts:
        raise ValueError(f"missed ({missed}) must be between 0 and attempts ({attempts})")
    if attempts < MIN_ATTEMPTS:
        return "not yet rated"
    share = missed / attempts
    if share < EASY_BELOW:
        return "easy"
    return "moderate" if share < MODERATE_BELOW else "hard"


def rate(rows: Iterable[tuple[str, int, int]]) -> dict[str, Difficulty]:
    """Per case id, its difficulty; a case absent from ``rows`` is ``NOT_RATED``."""
    return {
        case_id: Difficulty(int(n), int(missed), bucket(int(n), int(missed)))
        for case_id, n, missed in rows
    }


def miss_rows(db: Engine) -> list[tuple[str, int, int]]:
    """``(case id, attempts, attempts that missed a reference finding)`` per attempted case."""
    missed = (Attempt.flags_missing + Attempt.box_misses + Attempt.box_side_errors) > 0
    query = select(
        Attempt.case_id,
        func.count(Attempt.id),
        func.sum(case((missed, 1), else_=0)),
    ).group_by(Attempt.case_id)
    with reading(db) as session:
        return [(case_id, int(n), int(m or 0)) for case_id, n, m in session.execute(query)]
