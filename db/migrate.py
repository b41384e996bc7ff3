"""Schema creation and versioned migrations (Alembic), run safely by several app processes at once.

``prepare(engine)`` brings any database to the newest schema (``alembic upgrade head``): an empty
database gets every table, an older one its missing migrations, a current one nothing. Two processes
starting together take turns: PostgreSQL through an advisory lock, SQLite through the write lock
(``BEGIN IMMEDIATE``). The migration scripts live in ``migrations/versions/``; the models in
``models.py`` must always equal their result (a test compares them on SQLite and PostgreSQL).

This module runs migrations and reports the schema version; it reads and writes no teaching data.
"""

from __future__ import annotations

import io
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from cxr_auditor.db.engine import WRITE_OPTION, is_sqlite

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
PG_LOCK_KEY = 0x43585241  # "CXRA": the advisory lock that serializes migrations


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic config for this package's migrations (no ``alembic.ini`` needed)."""
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None for a database never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """``alembic upgrade <revision>`` under the migration lock."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection.execution_options(**{WRITE_OPTION: True})
            connection.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE: hold the write lock
            command.upgrade(alembic_config(connection), revision)
            connection.commit()
            return
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_LOCK_KEY})
        connection.commit()
        try:
            command.upgrade(alembic_config(connection), revision)
            connection.commit()
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
            connection.commit()


def downgrade(engine: Engine, revision: str) -> None:
    """``alembic downgrade <revision>`` (``base`` empties the database of this schema)."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            connection.execution_options(**{WRITE_OPTION: True})
        command.downgrade(alembic_config(connection), revision)
        connection.commit()


def prepare(engine: Engine) -> None:
    """Bring the database to the newest schema unless it is there already (cheap when current)."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def offline_sql(url: str, revision: str = "head") -> str:
    """The SQL ``upgrade`` would run on an empty database of ``url``'s kind, for review."""
    buffer = io.StringIO()
    config = alembic_config(url=url)
    config.output_buffer = buffer
    command.upgrade(config, revision, sql=True)
    return buffer.getvalue()
