"""The database unavailable during a submission: the learner is told, nothing is half-written, and
the answer is stored exactly once when the database is back.

- Service layer, SQLite and PostgreSQL (``teaching_db``): a write that fails between the attempt
  row and its detail row (the connection dropped mid-transaction) leaves no trace of the attempt;
  the same submission sent again afterwards is stored once, complete.
- The app (AppTest, the practice quiz) on PostgreSQL: the database stops accepting connections
  (``ALLOW_CONNECTIONS false``, its sessions ended) just before Submit; the page says nothing was
  saved and why, and keeps the draft; once the database is back, Submit stores it, once, and more
  runs do not store it again (``ui.views.session_common.run_guarded``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from apptest_support import APP, box, drawing
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.case_format import load_library
from cxr_auditor.db import open_database
from cxr_auditor.db.attempt_store import count_attempts
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import Attempt, AttemptDetail, AttemptOutcome
from cxr_auditor.db.store import now
from cxr_auditor.serving.readers import make_readers
from cxr_auditor.ui.services import attempts, sessions

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db

RIGHT_PTX = "nih-00005140_001"
WORK = f"q0_{RIGHT_PTX}"


def stored_rows(engine) -> tuple[int, int, int]:
    """(attempts, detail rows, outcome rows) in the database."""
    with reading(engine) as db:
        return (
            len(db.execute(select(Attempt.id)).all()),
            len(db.execute(select(AttemptDetail.attempt_id)).all()),
            len(db.execute(select(AttemptOutcome.id)).all()),
        )


def test_a_write_cut_in_the_middle_leaves_nothing_half_written(teaching_db) -> None:
    library = load_library()
    feedback = attempts.score_attempt(
        library.get(RIGHT_PTX), "No acute abnormality.", [], make_readers(None)
    )
    person = sessions.practice_participant(teaching_db, "Sam")
    opened = now() - timedelta(seconds=20)
    data = attempts.attempt_data(
        feedback,
        submission_id=attempts.new_submission_id(),
        participant_id=person.id,
        session_id=None,
        mode="quiz",
        position=0,
        opened_at=opened,
        submitted_at=now(),
    )
    assert data.outcomes  # the attempt has outcome rows to lose

    def drop_the_connection(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO ATTEMPT_DETAILS"):
            raise OperationalError(statement, parameters, Exception("server closed the connection"))

    event.listen(teaching_db, "before_cursor_execute", drop_the_connection)
    try:
        with pytest.raises(SQLAlchemyError):
            attempts.submit(teaching_db, data)
    finally:
        event.remove(teaching_db, "before_cursor_execute", drop_the_connection)
    assert stored_rows(teaching_db) == (0, 0, 0)  # the attempt row went with the rest

    first = attempts.submit(teaching_db, data)  # the learner presses Submit again
    again = attempts.submit(teaching_db, data)
    assert (first.created, again.created, again.attempt_id) == (True, False, first.attempt_id)
    assert stored_rows(teaching_db) == (1, 1, len(data.outcomes))


def _admin(url: str, sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, dbname="postgres", autocommit=True
    ) as connection:
        connection.execute(sql.format(db=parsed.database))


def make_unavailable(url: str) -> None:
    """No new connection is accepted and every open one is ended (an outage, seen by the app)."""
    _admin(url, 'ALTER DATABASE "{db}" WITH ALLOW_CONNECTIONS false')
    _admin(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'")


def make_available(url: str) -> None:
    _admin(url, 'ALTER DATABASE "{db}" WITH ALLOW_CONNECTIONS true')


def page_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


@pytest.mark.slow
def test_the_learner_is_told_and_the_answer_is_stored_once_when_the_database_is_back(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    monkeypatch.setenv("CXR_DATABASE_URL", url)
    monkeypatch.delenv("CXR_TRITON_URL", raising=False)
    monkeypatch.delenv("CXR_CASE_LIBRARY", raising=False)
    engine = open_database(url)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.switch_page("views/quiz.py")
    at.session_state["quiz_case_id"] = RIGHT_PTX
    at.run()
    at.session_state[f"canvas_{WORK}"] = drawing(box("pneumothorax", 0.35, 0.14, 0.55, 0.24))
    at.run()
    draft = "Right apical pneumothorax."
    at.text_area(key=f"draft_{WORK}").input(draft)
    try:
        make_unavailable(url)
        at.button(key=f"submit_{WORK}").click()
        at.run()
        assert not at.exception
        shown = page_text(at)
        assert "The teaching database is not answering just now, so nothing was saved" in shown
        assert "not currently accepting connections" in shown  # the reason, without a password
        assert at.text_area(key=f"draft_{WORK}").value == draft  # the answer is still there
    finally:
        make_available(url)
    assert count_attempts(engine) == 0  # nothing half-written while it was down

    at.button(key=f"submit_{WORK}").click()
    at.run()
    assert not at.exception
    assert count_attempts(engine) == 1
    assert "not answering" not in page_text(at)
    for _ in range(2):  # a reload and a stray second submission store nothing more
        at.run()
    assert count_attempts(engine) == 1 and stored_rows(engine)[1] == 1
    engine.dispose()
