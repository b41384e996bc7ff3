"""Start and stop the real ``tritonserver`` bundled in the ``nvidia-pytriton`` wheel (CPU, Linux).

The wheel ships Triton 2.51 with the Python backend and a backend stub per Python version; this
module puts them together: a private backend folder of symlinks (backend + the stub for *this*
Python), ``PATH`` starting with this interpreter's ``bin/`` and ``LD_LIBRARY_PATH`` with its own
libpython (else the stub embeds the distro's), so the stub runs in this environment and each
``model.py`` imports the installed ``cxr_auditor`` package; and the Hub set offline so that
nothing downloads.

The server runs in its own process group (its Python-backend stubs are in it too) and is asked to
die with the thread that started it (``PR_SET_PDEATHSIG``), so no model process outlives us:
``stop`` sends SIGTERM, waits, then SIGKILLs the whole group and removes the shared-memory
regions it named. It does not fill the repository (``serving.repository``) or talk to the models.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Self

from cxr_auditor.core.errors import AuditorError

EXIT_TIMEOUT_S = 10


class LaunchError(AuditorError):
    """The local Triton server cannot be started (binary, stub, port, folder, model load)."""


@dataclass(frozen=True)
class TritonDist:
    binary: Path
    backend_lib: Path
    backend_utils: Path
    stub: Path
    caches: Path
    libs: Path


def find_tritonserver() -> TritonDist:
    """The server files of the installed nvidia-pytriton wheel, or LaunchError saying what is
    missing."""
    spec = importlib.util.find_spec("pytriton")
    if spec is None or not spec.submodule_search_locations:
        raise LaunchError(
            "the Triton server binary is not installed: pip install nvidia-pytriton "
            "(Linux x86_64/aarch64, glibc >= 2.35; the project's 'serving' extra)"
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    root = package / "tritonserver"
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    dist = TritonDist(
        binary=root / "bin" / "tritonserver",
        backend_lib=root / "backends" / "python" / "libtriton_python.so",
        backend_utils=root / "backends" / "python" / "triton_python_backend_utils.py",
        stub=root / "python_backend_stubs" / version / "triton_python_backend_stub",
        caches=root / "caches",
        libs=package.parent / "nvidia_pytriton.libs",
    )
    for name in ("binary", "backend_lib", "backend_utils"):
        path = getattr(dist, name)
        if not path.exists():
            raise LaunchError(f"the nvidia-pytriton install is incomplete: {path} is missing")
    if not dist.stub.exists():
        raise LaunchError(
            f"nvidia-pytriton ships no Python-backend stub for Python {version} "
            f"({dist.stub} is missing)"
        )
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        raise LaunchError(
            f"{sys.executable} was built without a shared libpython; the Triton "
            "Python-backend stub needs one (--enable-shared)"
        )
    return dist


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


_PRCTL: Callable[..., int] | None
try:  # resolved here, not in the forked child (no dlopen between fork and exec)
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux/glibc: no parent-death signal
    _PRCTL = None
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child between fork and exec: SIGTERM it when the starting thread dies."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


def server_env(dist: TritonDist, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    libdir = str(sysconfig.get_config_var("LIBDIR") or "")
    env["LD_LIBRARY_PATH"] = os.pathsep.join(
        p for p in (libdir, str(dist.libs), env.get("LD_LIBRARY_PATH", "")) if p
    )
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env.update(extra or {})
    return env


@dataclass
class TritonServer:
    """A running local server; ``stop()`` (or leaving the ``with`` block) always cleans up."""

    process: subprocess.Popen[bytes]
    host: str
    http_port: int
    grpc_port: int
    metrics_port: int
    log_path: Path
    work_dir: Path
    shm_prefix: str
    startup_s: float = 0.0
    _log_handle: IO[bytes] | None = field(default=None, repr=False)

    @property
    def http_url(self) -> str:
        return f"{self.host}:{self.http_port}"

    @property
    def grpc_url(self) -> str:
        return f"{self.host}:{self.grpc_port}"

    @property
    def metrics_url(self) -> str:
        return f"{self.host}:{self.metrics_port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def kill(self) -> None:
        """SIGKILL the server and its model processes at once (what a crash looks like)."""
        if self._group_alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout: float = EXIT_TIMEOUT_S + 10) -> None:
        """SIGTERM, wait, then SIGKILL whatever is left of the group; remove temp files."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        deadline = time.monotonic() + 10  # stubs leave about a second after the server
        while self._group_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._group_alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        for region in Path("/dev/shm").glob(f"{self.shm_prefix}*"):
            region.unlink(missing_ok=True)
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _ready(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/v2/health/ready", timeout=2) as reply:
            status: int = reply.status
            return status == 200
    except (urllib.error.URLError, OSError):
        return False


def _pick_port(host: str, port: int, what: str) -> int:
    if port == 0:
        return free_port(host)
    if not 1 <= port <= 65535:
        raise LaunchError(f"{what} port {port} is not in 1..65535")
    if port_in_use(host, port):
        raise LaunchError(
            f"{what} port {port} on {host} is already in use; pick another "
            f"(--{what}-port) or stop the process holding it"
        )
    return port


def start_server(
    repository: Path,
    *,
    host: str = "127.0.0.1",
    http_port: int = 0,
    grpc_port: int = 0,
    metrics_port: int = 0,
    log_path: Path | None = None,
    startup_timeout: float = 300.0,
    env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
) -> TritonServer:
    """Start tritonserver on ``repository`` and return once every model is ready.

    Port 0 means a free port. Raises LaunchError (with the end of the server log) when the server
    exits, a model fails to load, or it is not ready within ``startup_timeout`` seconds; the
    server is stopped before raising.
    """
    dist = find_tritonserver()
    if not any(Path(repository).glob("*/config.pbtxt")):
        raise LaunchError(f"{repository} holds no model (no */config.pbtxt)")
    ports = {
        name: _pick_port(host, port, name)
        for name, port in (("http", http_port), ("grpc", grpc_port), ("metrics", metrics_port))
    }
    work = Path(tempfile.mkdtemp(prefix="cxr-triton-"))
    backend = work / "backends" / "python"
    backend.mkdir(parents=True)
    for link, target in (
        ("libtriton_python.so", dist.backend_lib),
        ("triton_python_backend_utils.py", dist.backend_utils),
        ("triton_python_backend_stub", dist.stub),
    ):
        (backend / link).symlink_to(target)
    shm_prefix = f"cxr_triton_{uuid.uuid4().hex[:12]}_"
    log_path = Path(log_path) if log_path else work / "tritonserver.log"
    command = [
        str(dist.binary),
        f"--model-repository={Path(repository).resolve()}",
        f"--backend-directory={work / 'backends'}",
        f"--cache-directory={dist.caches}",
        f"--http-port={ports['http']}",
        f"--grpc-port={ports['grpc']}",
        f"--metrics-port={ports['metrics']}",
        f"--http-address={host}",
        f"--grpc-address={host}",
        f"--metrics-address={host}",
        "--allow-gpu-metrics=false",
        "--pinned-memory-pool-byte-size=0",
        f"--exit-timeout-secs={EXIT_TIMEOUT_S}",
        "--disable-auto-complete-config",
        f"--backend-config=python,shm-region-prefix-name={shm_prefix}",
        *extra_args,
    ]
    handle = open(log_path, "wb")
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        env=server_env(dist, env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    server = TritonServer(
        process,
        host,
        ports["http"],
        ports["grpc"],
        ports["metrics"],
        log_path,
        work,
        shm_prefix,
        _log_handle=handle,
    )
    try:
        while not _ready(host, ports["http"]):
            if process.poll() is not None:
                raise LaunchError(
                    f"tritonserver exited with code {process.returncode} while "
                    f"starting; end of its log ({log_path}):\n{server.log_tail()}"
                )
            if time.monotonic() - started > startup_timeout:
                raise LaunchError(
                    f"tritonserver was not ready after {startup_timeout:.0f} s; "
                    f"end of its log:\n{server.log_tail()}"
                )
            time.sleep(0.1)
    except BaseException:
        server.stop()
        raise
    server.startup_s = time.monotonic() - started
    return server
