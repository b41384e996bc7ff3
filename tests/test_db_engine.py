"""Engines: SQLite tuned for concurrent learners, transactions that are all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from cxr_auditor.db.engine import make_engine, reading, writing
from cxr_auditor.db.models import CaseSet
from cxr_auditor.db.store import create_case_set

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'folder' / 'db.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "deep" / "folder" / "db.sqlite3").is_file()


def test_a_failed_write_leaves_nothing_half_written(teaching_db):
    with pytest.raises(RuntimeError, match="boom"), writing(teaching_db) as db:
        create_case_set(db, "Week 1", ["case-a", "case-b"])
        raise RuntimeError("boom")
    with reading(teaching_db) as db:
        assert db.execute(select(func.count()).select_from(CaseSet)).scalar_one() == 0


def test_a_completed_write_is_committed(teaching_db):
    with writing(teaching_db) as db:
        create_case_set(db, "Week 1", ["case-a"])
    with reading(teaching_db) as db:
        assert db.execute(select(CaseSet.name)).scalars().all() == ["Week 1"]


def test_a_read_transaction_does_not_block_a_writer_on_sqlite(tmp_path):
    from cxr_auditor.db import open_database

    engine = open_database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with reading(engine) as db:
        db.execute(text("SELECT count(*) FROM case_sets")).scalar()
        with writing(engine) as other:  # would wait for the busy timeout if reads locked
            create_case_set(other, "written during a read", ["x"])
    with reading(engine) as db:
        assert db.execute(select(func.count()).select_from(CaseSet)).scalar_one() == 1
