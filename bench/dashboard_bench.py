"""Instructor dashboard query time over 100,000 generated attempts, on SQLite and PostgreSQL.

Generates a teaching year (by default 250 sessions × 20 learners × 20 library cases = 100,000
attempts, each with realistic outcome rows and a real-sized audit JSON), loads it into a fresh
SQLite file and a fresh PostgreSQL database (migrated by the app's own code), runs ``ANALYZE``, then
times what the dashboard page runs: every table of ``ui.services.dashboard.load`` plus the latest
attempts and the filter options, unfiltered ("all sessions") and for one session; and the full CSV
export of every attempt. Prints the median and p90 of ``--runs`` runs, in milliseconds.

    python bench/dashboard_bench.py                       # starts a throwaway PostgreSQL server
    python bench/dashboard_bench.py --postgres-url postgresql://user@host/db   # an empty database
    python bench/dashboard_bench.py --attempts 20000 --no-postgres

The throwaway server uses Debian's binaries (``apt-get install postgresql``) as the tests do
(``reliability/postgres.py``). Needs the ``app`` extra, alembic and psycopg.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.labels import POSITIVE_LABELS
from cxr_auditor.db import open_database
from cxr_auditor.db.engine import reading, writing
from cxr_auditor.db.models import (
    Attempt,
    AttemptDetail,
    AttemptOutcome,
    CaseSet,
    CaseSetItem,
    Participant,
    TeachingSession,
)
from cxr_auditor.serving.readers import make_readers
from cxr_auditor.ui.services import attempts as attempt_service
from cxr_auditor.ui.services import dashboard

CHUNK = 2_000


def template_audit() -> dict:
    """A real audit result (a wrong-side pneumothorax), so rows have their real size."""
    case = load_library().get("nih-00005140_001")
    feedback = attempt_service.score_attempt(
        case, "Left pneumothorax. Small right effusion.", [], make_readers(None)
    )
    return {
        "audit": feedback.audit.model_dump(mode="json"),
        "score": feedback.reference.model_dump(mode="json"),
    }


def generate(n_attempts: int, seed: int = 0) -> dict[str, list[dict]]:
    """Rows for every table: sessions of 20 learners answering 20 cases each."""
    rng = random.Random(seed)
    library = load_library()
    case_labels = {
        c.case.id: [lab for lab in c.case.labels() if lab in POSITIVE_LABELS] for c in library.cases
    }
    case_ids = sorted(case_labels)
    per_session = 20 * 20
    n_sessions = math.ceil(n_attempts / per_session)
    blob = template_audit()
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    rows: dict[str, list[dict]] = {
        k: []
        for k in ("case_sets", "items", "sessions", "people", "attempts", "details", "outcomes")
    }
    attempt_id = person_id = 0
    for s in range(1, n_sessions + 1):
        chosen = rng.sample(case_ids, 20)
        created = start + timedelta(days=s)
        rows["case_sets"].append({"id": s, "name": f"Session {s}", "created_at": created})
        rows["items"] += [
            {"case_set_id": s, "position": k, "case_id": c} for k, c in enumerate(chosen)
        ]
        rows["sessions"].append(
            {
                "id": s,
                "code": f"B{s:05d}",
                "title": f"Session {s}",
                "case_set_id": s,
                "time_limit_s": 180,
                "status": "closed",
                "created_at": created,
                "closed_at": created,
            }
        )
        for learner in range(20):
            person_id += 1
            name = f"Learner {s}-{learner}"
            rows["people"].append(
                {
                    "id": person_id,
                    "token": uuid.uuid4().hex,
                    "session_id": s,
                    "mode": "session",
                    "display_name": name,
                    "name_key": name.casefold(),
                    "joined_at": created,
                }
            )
            skill = rng.uniform(0.4, 0.9)
            for position, case_id in enumerate(chosen):
                if attempt_id >= n_attempts:
                    break
                attempt_id += 1
                counts, outcomes = {"hit": 0, "miss": 0, "side_error": 0, "over_call": 0}, []
                flags = {"MISSING": 0, "UNSUPPORTED": 0, "LATERALITY": 0}
                for label in case_labels[case_id]:
                    kind = (
                        "hit"
                        if rng.random() < skill
                        else rng.choice(["miss", "miss", "miss", "side_error"])
                    )
                    counts[kind] += 1
                    outcomes.append((label, "reference", kind))
                    if rng.random() > skill:
                        flag = rng.choice(["MISSING", "MISSING", "LATERALITY"])
                        flags[flag] += 1
                        outcomes.append((label, "draft", flag))
                if rng.random() > skill + 0.2:
                    label = rng.choice(POSITIVE_LABELS)
                    counts["over_call"] += 1
                    flags["UNSUPPORTED"] += 1
                    outcomes += [(label, "reference", "over_call"), (label, "draft", "UNSUPPORTED")]
                n_read = len(case_labels[case_id])
                n_learner = counts["hit"] + counts["side_error"] + counts["over_call"]
                total = n_read + n_learner
                seconds = min(900.0, rng.lognormvariate(4.3, 0.5))
                opened = created + timedelta(minutes=position * 4)
                rows["attempts"].append(
                    {
                        "id": attempt_id,
                        "submission_id": str(uuid.uuid4()),
                        "participant_id": person_id,
                        "session_id": s,
                        "mode": "session",
                        "case_id": case_id,
                        "position": position,
                        "box_score": 2 * counts["hit"] / total if total else 1.0,
                        "model_box_score": None,
                        "box_hits": counts["hit"],
                        "box_misses": counts["miss"],
                        "box_side_errors": counts["side_error"],
                        "box_over_calls": counts["over_call"],
                        "flags_missing": flags["MISSING"],
                        "flags_unsupported": flags["UNSUPPORTED"],
                        "flags_laterality": flags["LATERALITY"],
                        "urgent_missed": 0,
                        "opened_at": opened,
                        "submitted_at": opened + timedelta(seconds=seconds),
                        "seconds": round(seconds, 3),
                        "over_time": seconds > 180,
                    }
                )
                rows["details"].append(
                    {
                        "attempt_id": attempt_id,
                        "draft": "Left pneumothorax. Small right effusion.",
                        "learner_boxes": [],
                        "audit": blob["audit"],
                        "reference_score": blob["score"],
                        "model_score": None,
                    }
                )
                rows["outcomes"] += [
                    {"attempt_id": attempt_id, "label": label, "channel": ch, "kind": kind}
                    for label, ch, kind in outcomes
                ]
    return rows


def load(engine: Engine, rows: dict[str, list[dict]]) -> float:
    started = time.perf_counter()
    for model, key in (
        (CaseSet, "case_sets"),
        (CaseSetItem, "items"),
        (TeachingSession, "sessions"),
        (Participant, "people"),
        (Attempt, "attempts"),
        (AttemptDetail, "details"),
        (AttemptOutcome, "outcomes"),
    ):
        data = rows[key]
        for first in range(0, len(data), CHUNK):
            with writing(engine) as db:
                db.execute(insert(model), data[first : first + CHUNK])
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            for table in (
                "case_sets",
                "teaching_sessions",
                "participants",
                "attempts",
                "attempt_outcomes",
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        connection.execute(text("ANALYZE"))
        connection.commit()
    return time.perf_counter() - started


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, math.ceil(0.9 * len(times)) - 1)]


def page_load(engine: Engine, filters: dashboard.Filters) -> None:
    """What one dashboard page run queries."""
    with reading(engine) as db:
        dashboard.filter_options(db)
    dashboard.load(engine, filters)
    with reading(engine) as db:
        dashboard.attempts_table(db, filters, limit=200)


def measure(name: str, engine: Engine, runs: int) -> list[tuple[str, str, float, float]]:
    every, one = dashboard.Filters(modes=("session",)), dashboard.Filters(session_ids=(1,))
    results = []
    with reading(engine) as db:
        per_query = {
            "overview": lambda: dashboard.overview(db, every),
            "finding_errors": lambda: dashboard.finding_errors(db, every),
            "case_difficulty": lambda: dashboard.case_difficulty(db, every),
            "learner_summary": lambda: dashboard.learner_summary(db, every),
            "score_histogram": lambda: dashboard.score_histogram(db, every),
            "attempts_table (latest 200)": lambda: dashboard.attempts_table(db, every, limit=200),
            "filter_options": lambda: dashboard.filter_options(db),
        }
        for label, work in per_query.items():
            results.append((name, label, *timed(runs, work)))
    results.append(
        (name, "dashboard page, all sessions", *timed(runs, lambda: page_load(engine, every)))
    )
    results.append(
        (name, "dashboard page, one session", *timed(runs, lambda: page_load(engine, one)))
    )

    def export() -> None:
        with reading(engine) as db:
            dashboard.csv_bytes(dashboard.attempts_table(db, every))

    results.append((name, "CSV export, every attempt", *timed(max(1, runs // 2), export)))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database to fill")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = generate(args.attempts)
    print(
        f"generated {len(rows['attempts']):,} attempts, {len(rows['outcomes']):,} outcome rows, "
        f"{len(rows['people']):,} learners, {len(rows['sessions'])} sessions "
        f"in {time.perf_counter() - started:.1f} s"
    )
    targets: list[tuple[str, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="cxr-dash-bench-"))
    targets.append(("sqlite", f"sqlite:///{folder / 'bench.sqlite3'}"))
    if not args.no_postgres:
        if args.postgres_url:
            targets.append(("postgresql", args.postgres_url))
        else:
            import cxr_auditor.reliability.postgres

            cluster = cxr_auditor.reliability.postgres.start_cluster()
            targets.append(
                ("postgresql", cxr_auditor.reliability.postgres.create_database(cluster))
            )
    results, loads = [], {}
    try:
        for name, url in targets:
            engine = open_database(url)
            loads[name] = load(engine, rows)
            print(f"{name}: loaded in {loads[name]:.1f} s")
            results += measure(name, engine, args.runs)
            engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the SQLite file is hundreds of MB

    print(
        f"\nDashboard queries over {len(rows['attempts']):,} attempts "
        f"({platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"{args.runs} runs; ms)"
    )
    print("| backend | query | median | p90 |\n|---|---|---:|---:|")
    for name, label, median, p90 in results:
        print(f"| {name} | {label} | {median:,.0f} | {p90:,.0f} |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"attempts": len(rows["attempts"]), "load_s": loads, "results": results}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
