"""Alembic migrations: an empty database upgraded to head has exactly the models' schema.

Run on SQLite and on a real PostgreSQL server (``pg_fixture``; CI sets CXR_REQUIRE_POSTGRES=1).
"""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from cxr_auditor.db.engine import make_engine
from cxr_auditor.db.migrate import (
    current_revision,
    downgrade,
    head_revision,
    offline_sql,
    prepare,
    upgrade,
)
from cxr_auditor.db.models import Base

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db

TABLES = {
    "alembic_version",
    "case_sets",
    "case_set_items",
    "teaching_sessions",
    "participants",
    "case_openings",
    "attempts",
    "attempt_details",
    "attempt_outcomes",
    "instructor_actions",
    "seat_drafts",
    "model_reads",
    "authored_cases",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_on_an_empty_database_gives_the_models_schema(empty_url):
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) == TABLES
    assert schema_differences(engine) == []
    engine.dispose()


def test_the_one_answer_per_case_index_is_partial_and_unique(empty_url):
    engine = make_engine(empty_url)
    prepare(engine)
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("attempts")}
    index = indexes["ux_attempts_one_per_session_case"]
    assert index["unique"] and index["column_names"] == ["participant_id", "session_id", "case_id"]
    dialect = engine.dialect.name
    where = index.get("dialect_options", {}).get(f"{dialect}_where")
    assert where is not None and "session" in str(where)
    engine.dispose()


def test_downgrade_to_base_and_back_leaves_the_same_schema(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert schema_differences(engine) == []
    engine.dispose()


def test_app_processes_starting_together_migrate_once(empty_url):
    engines = [make_engine(empty_url) for _ in range(4)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(engines))

    def start(engine) -> None:
        try:
            barrier.wait()
            prepare(engine)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert all(current_revision(engine) == head_revision() for engine in engines)
    assert schema_differences(engines[0]) == []
    for engine in engines:
        engine.dispose()


def test_offline_sql_lets_a_dba_review_the_postgresql_schema():
    sql = offline_sql("postgresql+psycopg://cxr@db/teaching")
    assert "CREATE TABLE attempts" in sql
    assert "CREATE UNIQUE INDEX ux_attempts_one_per_session_case" in sql
    assert "WHERE mode = 'session'" in sql
    assert "CREATE TABLE seat_drafts" in sql and "ADD COLUMN pin_hash" in sql
    assert "CREATE TABLE authored_cases" in sql and "image BYTEA NOT NULL" in sql
    assert f"version_num='{head_revision()}'" in sql.replace(" = ", "=")


def test_upgrading_a_0001_database_keeps_its_learners_and_adds_seats(empty_url):
    from sqlalchemy import text

    engine = make_engine(empty_url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO participants (token, session_id, mode, display_name, name_key, "
                "joined_at) VALUES ('t', NULL, 'quiz', 'Sam', 'sam', CURRENT_TIMESTAMP)"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT display_name, pin_hash, pin_failures FROM participants")
        ).one()
    assert tuple(row) == ("Sam", None, 0)
    assert "seat_drafts" in inspect(engine).get_table_names()
    downgrade(engine, "0001")
    assert "seat_drafts" not in inspect(engine).get_table_names()
    engine.dispose()
