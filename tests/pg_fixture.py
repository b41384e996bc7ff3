"""A throwaway PostgreSQL server for tests and benchmarks: Debian's binaries, a temp folder, loopback.

``postgres_cluster`` (session scope) starts one server per test process with ``initdb`` and
``pg_ctl`` from ``/usr/lib/postgresql/<version>/bin`` (run as the ``postgres`` user when the tests
run as root, since ``initdb`` refuses root), on a free port of 127.0.0.1 and a socket in its own
folder, with fsync off. ``postgres_url`` gives each test a fresh, empty database on it, and
``teaching_db`` runs a test twice: on a migrated SQLite file, then on a migrated PostgreSQL database.

Without the binaries (or psycopg) the tests skip, saying what to install; with
``CXR_REQUIRE_POSTGRES=1`` (CI) they fail instead, so PostgreSQL tests can never be skipped there.
A test module loads the fixtures as a plugin, ``pytest_plugins = ["pg_fixture"]`` (tests/ is on
the path when pytest runs), so every module shares one server; it is stopped (its folder
removed) at exit.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

REQUIRE_ENV = "CXR_REQUIRE_POSTGRES"
INSTALL_HINT = "apt-get install -y postgresql (Debian) and pip install 'psycopg[binary]'"


@dataclass
class Cluster:
    """A running throwaway server: its folder, port and an admin URL (user ``postgres``)."""

    root: Path
    bin_dir: Path
    port: int
    run_as: str | None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


_CLUSTER: Cluster | None = None


def pg_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` and ``pg_ctl``."""
    candidates = []
    for folder in glob.glob("/usr/lib/postgresql/*/bin"):
        path = Path(folder)
        version = path.parent.name
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file() and version.isdigit():
            candidates.append((int(version), path))
    return max(candidates)[1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(cluster_bin: Path, args: list[str], run_as: str | None) -> None:
    kwargs = {}
    if run_as is not None:
        user = pwd.getpwnam(run_as)
        kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    done = subprocess.run(
        [str(cluster_bin / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd="/",
        **kwargs,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")


def start_cluster() -> Cluster:
    """Start (once per process) and return the throwaway server; RuntimeError if it cannot."""
    global _CLUSTER
    if _CLUSTER is not None:
        return _CLUSTER
    bin_dir = pg_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError(
            f"no PostgreSQL server binaries in /usr/lib/postgresql/*/bin; {INSTALL_HINT}"
        )
    run_as = "postgres" if os.geteuid() == 0 else None
    # The postgres user must be able to reach the folder: under /tmp, not a root-only TMPDIR.
    root = Path(tempfile.mkdtemp(prefix="cxr-pg-", dir="/tmp" if run_as else None))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if run_as is not None:
        user = pwd.getpwnam(run_as)
        for path in (root, sock):
            os.chown(path, user.pw_uid, user.pw_gid)
    port = _free_port()
    _run(
        bin_dir,
        [
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        run_as,
    )
    options = (
        f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    _run(
        bin_dir,
        [
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        run_as,
    )
    _CLUSTER = Cluster(root, bin_dir, port, run_as)
    atexit.register(stop_cluster)
    return _CLUSTER


def stop_cluster() -> None:
    """Stop the server and remove its folder (registered with atexit by ``start_cluster``)."""
    global _CLUSTER
    cluster, _CLUSTER = _CLUSTER, None
    if cluster is None:
        return
    try:
        _run(
            cluster.bin_dir,
            ["pg_ctl", "-D", str(cluster.root / "data"), "-m", "immediate", "-w", "stop"],
            cluster.run_as,
        )
    finally:
        shutil.rmtree(cluster.root, ignore_errors=True)


def create_database(cluster: Cluster, name: str | None = None, template: str | None = None) -> str:
    """A new database on the server (empty, or a copy of ``template``); returns its URL."""
    import psycopg

    name = name or f"t_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(
        f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    return cluster.url(name)


_MIGRATED: dict[int, str] = {}


def migrated_template(cluster: Cluster) -> str:
    """A database with the newest teaching schema, made once, to copy for each test (fast)."""
    if cluster.port not in _MIGRATED:
        from ui.services.db import open_database

        name = f"migrated_{uuid.uuid4().hex[:8]}"
        engine = open_database(create_database(cluster, name))
        engine.dispose()
        _MIGRATED[cluster.port] = name
    return _MIGRATED[cluster.port]


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
    from ui.services.db import open_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'teaching.sqlite3'}"
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = create_database(cluster, template=migrated_template(cluster))
    engine = open_database(url)
    yield engine
    engine.dispose()
