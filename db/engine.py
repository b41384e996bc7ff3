"""Engines and transactions for the teaching database, tuned for many learners at once.

SQLite (one laptop): WAL journal (readers never block the writer), a 30 s busy timeout, foreign
keys on, and write transactions opened with ``BEGIN IMMEDIATE`` so that two submits at the same
moment queue for the write lock instead of failing on a lock upgrade. Read transactions stay plain
``BEGIN`` (deferred), so a long dashboard query never holds the write lock.

PostgreSQL (shared server): the psycopg 3 driver, a connection pool with pre-ping, READ COMMITTED;
uniqueness races are settled by the database (``INSERT ... ON CONFLICT DO NOTHING``).

``writing(engine)`` and ``reading(engine)`` give a ``Session`` inside one transaction: everything in
the block commits together or not at all. This module knows no table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.orm import Session

from cxr_auditor.db.config import display_url, normalize_url

SQLITE_BUSY_MS = 30_000
WRITE_OPTION = "cxr_write"


def _sqlite_engine(url: URL, echo: bool) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False},
        pool_size=8,
        max_overflow=32,
        pool_timeout=60,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, by us
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_engine(url: URL | str, *, echo: bool = False) -> Engine:
    """An engine for a SQLite or PostgreSQL URL (see ``config``); creates a SQLite file's folder."""
    parsed = normalize_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, echo)
    return create_engine(
        parsed,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=40,
        pool_timeout=60,
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A session in one write transaction: committed at the end of the block, or rolled back."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin(), Session(bind=connection, expire_on_commit=False) as session:
            yield session
            session.flush()


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session in one read transaction (a consistent snapshot for a page's queries)."""
    with (
        engine.connect() as connection,
        connection.begin(),
        Session(bind=connection, expire_on_commit=False) as session,
    ):
        yield session


def describe(engine: Engine) -> str:
    """The engine's URL without its password, for a page or a log line."""
    return display_url(engine.url)
