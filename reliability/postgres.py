"""A throwaway PostgreSQL server for tests and benchmarks: Debian's binaries, a temp folder,
loopback.

``start_cluster`` starts one server per process with ``initdb`` and ``pg_ctl`` from
``/usr/lib/postgresql/<version>/bin`` (run as the ``postgres`` user when running as root, since
``initdb`` refuses root), on a free port of 127.0.0.1 and a socket in its own folder, with fsync
off; it is stopped (its folder removed) at exit. ``create_database`` makes a fresh database on it.
The pytest fixtures built on this live in ``tests/pg_fixture.py``; the load benchmarks in
``bench/`` use it directly.
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
from dataclasses import dataclass
from pathlib import Path

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
    account = pwd.getpwnam(run_as) if run_as is not None else None
    done = subprocess.run(
        [str(cluster_bin / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd="/",
        # None is subprocess's default: run as this process's user and groups
        user=account.pw_uid if account else None,
        group=account.pw_gid if account else None,
        extra_groups=[] if account else None,
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
        from cxr_auditor.db import open_database

        name = f"migrated_{uuid.uuid4().hex[:8]}"
        engine = open_database(create_database(cluster, name))
        engine.dispose()
        _MIGRATED[cluster.port] = name
    return _MIGRATED[cluster.port]
