"""PostgreSQL fixtures on the throwaway server of ``cxr_auditor.reliability.postgres``.

``postgres_cluster`` (session scope) starts one server per test process; ``postgres_url`` gives
each test a fresh, empty database on it, and ``teaching_db`` runs a test twice: on a migrated SQLite
file, then on a migrated PostgreSQL database. Without the binaries (or psycopg) the tests skip,
saying what to install; with ``CXR_REQUIRE_POSTGRES=1`` (CI) they fail instead. A test module
loads the fixtures as a plugin, ``pytest_plugins = ["pg_fixture"]``, so every module shares one
server.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from cxr_auditor.reliability.postgres import (
    INSTALL_HINT,
    REQUIRE_ENV,
    Cluster,
    create_database,
    migrated_template,
    start_cluster,
)


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{REQUIRE_ENV}=1 but PostgreSQL is unavailable: {reason}")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def postgres_cluster() -> Cluster:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable(f"psycopg is not installed; {INSTALL_HINT}")
    try:
        return start_cluster()
    except (FileNotFoundError, RuntimeError, subprocess.TimeoutExpired, KeyError) as error:
        _unavailable(str(error))
        raise  # unreachable: skip/fail raise


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> Iterator[str]:
    """URL of a fresh, empty database for this test."""
    yield create_database(postgres_cluster)


@pytest.fixture(params=["sqlite", "postgresql"])
def teaching_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a fresh teaching database with the newest schema: SQLite, then PostgreSQL."""
    from cxr_auditor.db import open_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'teaching.sqlite3'}"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = create_database(cluster, template=migrated_template(cluster))
    engine = open_database(url)
    yield engine
    engine.dispose()
