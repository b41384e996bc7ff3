"""Load: 40 learners submitting at once through the service layer, on SQLite and on PostgreSQL.

Each learner joins one teaching session (``ui.services.sessions.join``) and answers its 10 cases:
the draft is audited and the (empty) boxes scored (``attempts.score_attempt``), the row built
(``attempts.attempt_data``) and stored (``attempts.submit``), with every learner's Submit
double-clicked: two threads send the same answers, so 80 threads start together at a barrier.
Afterwards the database is read back: every answer stored exactly once (none lost, none
duplicated), each with its detail row and all its outcome rows (never half-written), and each
double click answered with the same attempt. Two runs per database: a burst (all 80 threads
submit back to back) and a paced one (a random 0..``--think`` s before each answer, as learners
writing). Latencies are per submission: ``submit`` is the database write alone, ``answer`` is
scoring plus the write, as a learner waits for it::

    python bench/load_attempts.py                            # SQLite, then a throwaway PostgreSQL
    python bench/load_attempts.py --backends sqlite --learners 40 --cases 10
    python bench/load_attempts.py --postgres-url postgresql://user:pw@host/db   # an existing server

The throwaway PostgreSQL comes from ``reliability/postgres.py`` (Debian's server binaries, a
temporary folder, loopback); it exits 1 when an answer was lost, duplicated or half-written.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from cxr_auditor.reliability.fuzz_common import machine, percentile, table

DRAFTS = (
    "No acute cardiopulmonary abnormality.",
    "Small right pleural effusion. No pneumothorax.",
    "Right apical pneumothorax.",
    "Cardiomegaly. Possible left lower lobe consolidation.",
)


def run_load(
    url: str, learners: int, cases: int, think_s: float = 0.0
) -> tuple[list[object], list[str]]:
    """One load run on the database at ``url``; the table row and the problems found.

    ``think_s``: each learner waits a random 0..think_s seconds before each answer (0: a burst).
    """
    import random

    from sqlalchemy import select

    from cxr_auditor.core.case_format import load_library
    from cxr_auditor.db import open_database
    from cxr_auditor.db.engine import reading
    from cxr_auditor.db.models import Attempt, AttemptDetail, AttemptOutcome
    from cxr_auditor.db.store import now
    from cxr_auditor.serving.readers import make_readers
    from cxr_auditor.ui.services import attempts, sessions

    engine = open_database(url)
    library = load_library()
    case_ids = [loaded.case.id for loaded in library.cases[:cases]]
    info = sessions.create_session(
        engine, title="Load", case_ids=case_ids, known_case_ids=set(case_ids)
    )
    people = [sessions.join(engine, info.code, f"Learner {k}", "1234")[1] for k in range(learners)]
    readers = make_readers(None)
    submission_ids = {(p.id, c): attempts.new_submission_id() for p in people for c in case_ids}
    answer_ms: list[float] = []
    submit_ms: list[float] = []
    stored: dict[str, list[object]] = {}
    expected_outcomes: dict[str, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2 * learners)

    def learner(person: object, click: int) -> None:
        pause = random.Random(f"{getattr(person, 'id', 0)}")  # both clicks wait alike
        try:
            barrier.wait(timeout=120)
            for position, case_id in enumerate(case_ids):
                time.sleep(pause.uniform(0, think_s))
                started = time.perf_counter()
                draft = DRAFTS[(person.id + position) % len(DRAFTS)]  # type: ignore[attr-defined]
                feedback = attempts.score_attempt(library.get(case_id), draft, [], readers)
                opened = now() - timedelta(seconds=30)
                data = attempts.attempt_data(
                    feedback,
                    submission_id=submission_ids[(person.id, case_id)],  # type: ignore[attr-defined]
                    participant_id=person.id,
                    session_id=info.id,
                    mode="session",  # type: ignore[attr-defined]
                    position=position,
                    opened_at=opened,
                    submitted_at=now(),
                )
                written = time.perf_counter()
                result = attempts.submit(engine, data)
                done = time.perf_counter()
                with lock:
                    answer_ms.append((done - started) * 1000)
                    submit_ms.append((done - written) * 1000)
                    stored.setdefault(data.submission_id, []).append(result)
                    expected_outcomes[data.submission_id] = len(data.outcomes)
        except Exception as error:
            with lock:
                errors.append(
                    f"learner {getattr(person, 'id', '?')} click {click}: "
                    f"{type(error).__name__}: {error}"
                )

    threads = [threading.Thread(target=learner, args=(p, k)) for p in people for k in (1, 2)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.perf_counter() - started

    problems = list(errors)
    with reading(engine) as db:  # this run's session only (a reused database may hold more)
        rows = db.execute(
            select(
                Attempt.id, Attempt.submission_id, Attempt.participant_id, Attempt.case_id
            ).where(Attempt.session_id == info.id)
        ).all()
        ours = select(Attempt.id).where(Attempt.session_id == info.id)
        details = set(
            db.execute(
                select(AttemptDetail.attempt_id).where(AttemptDetail.attempt_id.in_(ours))
            ).scalars()
        )
        outcome_counts = Counter(
            db.execute(
                select(AttemptOutcome.attempt_id).where(AttemptOutcome.attempt_id.in_(ours))
            ).scalars()
        )
        n_outcomes = sum(outcome_counts.values())
    engine.dispose()
    expected = set(submission_ids.values())
    found = Counter(r.submission_id for r in rows)
    lost = len(expected - set(found))
    duplicated = sum(n - 1 for n in found.values()) + sum(
        n - 1 for n in Counter((r.participant_id, r.case_id) for r in rows).values()
    )
    by_submission = {r.submission_id: r.id for r in rows}
    half = sum(
        1
        for r in rows
        if r.id not in details
        or outcome_counts.get(r.id, 0) != expected_outcomes.get(r.submission_id, -1)
    )
    clicks = [sorted(o.created for o in results) for results in stored.values()]
    same = all(
        len({o.attempt_id for o in results}) == 1
        and results[0].attempt_id == by_submission.get(sid)
        for sid, results in stored.items()
    )
    if lost:
        problems.append(f"{lost} answers lost")
    if duplicated:
        problems.append(f"{duplicated} duplicated rows")
    if half:
        problems.append(f"{half} attempts half-written (no detail row or missing outcome rows)")
    if any(c != [False, True] for c in clicks) or not same:
        problems.append("a double click did not get the one stored attempt back")
    if n_outcomes != sum(expected_outcomes.values()):
        problems.append("outcome rows do not add up")
    backend = url.split(":", 1)[0].split("+")[0]
    arrivals = "burst" if not think_s else f"0-{think_s:g} s think"
    row = [
        backend,
        arrivals,
        learners,
        len(expected),
        len(rows),
        lost,
        duplicated,
        half,
        percentile(submit_ms, 50),
        percentile(submit_ms, 99),
        max(submit_ms, default=0.0),
        percentile(answer_ms, 50),
        percentile(answer_ms, 99),
        len(expected) / elapsed if elapsed else 0.0,
    ]
    return row, problems


def postgres_url() -> str:
    """A fresh database on a throwaway PostgreSQL server (reliability/postgres.py)."""
    from cxr_auditor.reliability.postgres import create_database, start_cluster

    return create_database(start_cluster())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--cases", type=int, default=10, help="answers per learner")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="the paced run: a random 0..THINK seconds before each answer (the burst run has none)",
    )
    parser.add_argument(
        "--postgres-url",
        help="use this PostgreSQL database instead of a "
        "throwaway server (it must be empty or hold the teaching schema)",
    )
    args = parser.parse_args(argv)
    rows, failed = [], False
    with tempfile.TemporaryDirectory(prefix="cxr-load-") as work:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{Path(work) / 'load.sqlite3'}"
            elif backend == "postgresql":
                try:
                    url = args.postgres_url or postgres_url()
                except (OSError, RuntimeError, ImportError) as error:
                    print(f"PostgreSQL skipped: {error}")
                    failed = True
                    continue
            else:
                parser.error(f"unknown backend {backend!r}; allowed: sqlite, postgresql")
            for think in (0.0, args.think):
                if think and backend == "postgresql" and not args.postgres_url:
                    url = postgres_url()  # a fresh database for the second run
                elif think and backend == "sqlite":
                    url = f"sqlite:///{Path(work) / 'load_paced.sqlite3'}"
                row, problems = run_load(url, args.learners, args.cases, think)
                rows.append(row)
                for problem in problems[:10]:
                    print(f"FAIL {backend}: {problem}")
                failed = failed or bool(problems)
    print(
        f"Load: {args.learners} learners x {args.cases} answers, each Submit double-clicked "
        f"({2 * args.learners} threads at once); {machine()}"
    )
    print(
        table(
            [
                "database",
                "arrivals",
                "learners",
                "answers",
                "stored",
                "lost",
                "duplicated",
                "half-written",
                "submit p50 ms",
                "submit p99 ms",
                "submit max ms",
                "answer p50 ms",
                "answer p99 ms",
                "answers/s",
            ],
            rows,
        )
    )
    print("\nFAIL" if failed else "\nPASS: nothing lost, duplicated or half-written")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
