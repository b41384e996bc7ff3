"""``cxr-auditor serve``: clear errors before starting; a real start, then a clean stop, no
orphans."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import require_extras

from cxr_auditor.cli import main
from cxr_auditor.serving import launcher
from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.tiny_models import make_tiny_models

require_extras(
    "tritonclient", "pytriton", "transformers", "torch", extra="serving/models"
)  # fails instead of skipping in CI

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def fake_models(tmp_path: Path) -> tuple[Path, Path]:
    folders = tmp_path / "g", tmp_path / "p"
    for folder in folders:
        folder.mkdir()
        (folder / "config.json").write_text("{}")
    return folders


def run_cli(*args: str) -> int:
    return main(["serve", *args])


@pytest.mark.parametrize(
    "args,message",
    [
        ((), "give both model folders"),
        (("--grounder", "/no/such/folder", "--parser", "/tmp"), "does not exist"),
    ],
)
def test_missing_model_folders(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(*args) == 2
    assert message in capsys.readouterr().err


def test_folder_without_a_model(
    tmp_path: Path, fake_models: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("--grounder", str(tmp_path), "--parser", str(fake_models[1])) == 2
    assert "has no config.json" in capsys.readouterr().err


def test_missing_server_binary(
    monkeypatch: pytest.MonkeyPatch,
    fake_models: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(launcher.importlib.util, "find_spec", lambda name: None)
    assert run_cli("--grounder", str(fake_models[0]), "--parser", str(fake_models[1])) == 2
    assert "Triton server binary is not installed" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--http-port", "--grpc-port", "--metrics-port"])
def test_busy_port(
    flag: str, fake_models: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        code = run_cli(
            "--grounder",
            str(fake_models[0]),
            "--parser",
            str(fake_models[1]),
            "--http-port",
            "0",
            "--grpc-port",
            "0",
            "--metrics-port",
            "0",
            flag,
            str(port),
        )
    assert code == 2
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is already in use" in err and flag in err


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_tiny_models(tmp_path_factory.mktemp("serve_cli"))


def processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if text.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize(
    "stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill-of-the-cli"]
)
def test_serve_starts_answers_and_leaves_nothing_behind(
    tiny: tuple[Path, Path], tmp_path: Path, stop_signal: int
) -> None:
    command = [
        sys.executable,
        "-m",
        "cxr_auditor.cli",
        "serve",
        "--grounder",
        str(tiny[0]),
        "--parser",
        str(tiny[1]),
        "--http-port",
        "0",
        "--grpc-port",
        "0",
        "--metrics-port",
        "0",
    ]
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # a killed CLI cannot remove its temp folders
    cli = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    work_dir = None
    try:
        lines = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = cli.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        output = "".join(lines)
        assert "Triton is ready" in output, output + cli.stderr.read()  # type: ignore[union-attr]
        http = re.search(r"HTTP\s+(\S+)", output).group(1)  # type: ignore[union-attr]
        grpc = re.search(r"gRPC\s+(\S+)", output).group(1)  # type: ignore[union-attr]
        work_dir = re.search(r"log\s+(\S+)/tritonserver.log", output).group(1)  # type: ignore[union-attr]
        assert processes_mentioning(work_dir), "no model process found while serving"
        for url, protocol in ((http, "http"), (grpc, "grpc")):
            with TritonBackend(url, protocol, timeout_s=30, max_new_tokens=4) as client:  # type: ignore[arg-type]
                assert client.ready()[0]
                assert client.infer_parser("No effusion.").identity.name == tiny[1].name
        cli.send_signal(stop_signal)
        code = cli.wait(timeout=60)
        if stop_signal == signal.SIGTERM:
            assert code == 0
            assert "Triton stopped." in cli.stderr.read()  # type: ignore[union-attr]
        deadline = time.monotonic() + 30  # a killed CLI: the server gets SIGTERM from the kernel
        while processes_mentioning(work_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_mentioning(work_dir) == [], "model processes outlived serve"
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait()
        if work_dir:
            for pid in processes_mentioning(work_dir):
                os.kill(pid, signal.SIGKILL)
