"""``python -m cxr_auditor.build_engines``: dry runs, the clear one-line errors (no GPU, no Hub,
wrong architecture, too little GPU memory), and prepare -> write-repo on local checkpoint
skeletons.

The Hub is never contacted: the Hub tests run the command in a subprocess with HF_HUB_OFFLINE=1 or
HF_ENDPOINT on a closed loopback port (so huggingface_hub reads them at import). A fake
``nvidia-smi`` on PATH stands in for a GPU.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from test_build_engines_checkpoint import write_checkpoint

from cxr_auditor.build_engines import hub
from cxr_auditor.build_engines.cli import main
from cxr_auditor.build_engines.errors import HubAccessError
from cxr_auditor.build_engines.facts import PARSER

REPO_ROOT = Path(__file__).resolve().parents[1]


def fake_gpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, total_mib: int | None) -> None:
    """PATH with only a fake nvidia-smi (``None``: no nvidia-smi at all)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if total_mib is not None:
        script = bin_dir / "nvidia-smi"
        script.write_text(f"#!/bin/sh\necho '0, NVIDIA Test GPU, {total_mib}, {total_mib - 500}'\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    full_env |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "cxr_auditor.build_engines", *args],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def checkpoints(tmp_path: Path) -> tuple[Path, Path]:
    return (
        write_checkpoint(tmp_path / "src" / "g", "grounder"),
        write_checkpoint(tmp_path / "src" / "p", "draft_parser"),
    )


# ---------------------------------------------------------------- prepare
def test_prepare_dry_run_prints_the_pinned_plan_without_network(tmp_path: Path) -> None:
    out = tmp_path / "models"
    done = run_cli(
        "prepare",
        "--out",
        str(out),
        "--dry-run",
        env={"HF_ENDPOINT": f"http://127.0.0.1:{closed_port()}"},
    )
    assert done.returncode == 0, done.stderr
    assert f"Hub nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16 at {PARSER.default_revision}" in done.stdout
    assert "Hub alex-feeel/medgemma-cxr-auditor-v2 at main (resolved" in done.stdout
    assert "Gemma3ForConditionalGeneration" in done.stdout
    assert not out.exists()


@pytest.mark.parametrize(
    "env, words",
    [
        ({"HF_HUB_OFFLINE": "1"}, "HF_HUB_OFFLINE=1"),
        ({"HF_ENDPOINT": "http://127.0.0.1:{port}"}, "cannot reach the Hub at http://127.0.0.1:"),
    ],
)
def test_prepare_without_hub_access_fails_in_one_line(
    tmp_path: Path, env: dict[str, str], words: str
) -> None:
    env = {k: v.format(port=closed_port()) for k, v in env.items()}
    done = run_cli("prepare", "--out", str(tmp_path / "m"), env=env)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert words in done.stderr and "build_engines prepare: error:" in done.stderr
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize(
    "names, status, words",
    [
        ({"GatedRepoError"}, None, "HF_TOKEN"),
        (set(), 401, "access refused (401)"),
        ({"RevisionNotFoundError"}, None, "revision not found"),
        ({"RepositoryNotFoundError"}, None, "repository not found"),
        ({"ConnectTimeout"}, None, "cannot reach the Hub"),
        (set(), 500, "Hub request failed"),
    ],
)
def test_hub_errors_are_explained(
    names: set[str], status: int | None, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    bases = tuple(type(name, (Exception,), {}) for name in sorted(names)) or (Exception,)
    error = type("Failure", bases, {})("boom")
    error.response = type("R", (), {"status_code": status})()  # type: ignore[attr-defined]
    explained = hub.explain(error, "org/model", "main")
    assert isinstance(explained, HubAccessError)
    assert words in str(explained) and "org/model@main" in str(explained)


def test_download_refuses_an_unpinned_revision(tmp_path: Path) -> None:
    with pytest.raises(HubAccessError, match="unpinned"):
        hub.download("org/model", "main", tmp_path)


def test_prepare_from_local_folders_writes_the_manifest(
    tmp_path: Path, checkpoints: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "models"
    assert (
        main(
            [
                "prepare",
                "--grounder",
                str(checkpoints[0]),
                "--parser",
                str(checkpoints[1]),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["models"]["grounder"]["folder"] == "grounder"
    assert manifest["models"]["draft_parser"]["source"] == "local"
    assert manifest["models"]["draft_parser"]["architecture"] == "NemotronHForCausalLM"
    assert sorted(manifest["models"]["grounder"]["files"]) == sorted(
        p.name for p in checkpoints[0].iterdir()
    )
    assert (out / "parser" / "config.json").read_bytes() == (
        checkpoints[1] / "config.json"
    ).read_bytes()
    assert "manifest:" in capsys.readouterr().out
    # a second run would overwrite the copies: refused without --force
    assert (
        main(
            [
                "prepare",
                "--grounder",
                str(checkpoints[0]),
                "--parser",
                str(checkpoints[1]),
                "--out",
                str(out),
            ]
        )
        == 2
    )
    assert "--force" in capsys.readouterr().err


@pytest.mark.parametrize(
    "swap, words",
    [
        (True, "the grounder must be Gemma3ForConditionalGeneration"),  # the two folders swapped
    ],
)
def test_prepare_refuses_a_wrong_architecture(
    tmp_path: Path,
    checkpoints: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    swap: bool,
    words: str,
) -> None:
    grounder, parser = checkpoints[::-1] if swap else checkpoints
    code = main(
        [
            "prepare",
            "--grounder",
            str(grounder),
            "--parser",
            str(parser),
            "--out",
            str(tmp_path / "m"),
            "--dry-run",
        ]
    )
    assert code == 2 and words in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, words",
    [
        (["--revision", "vision=abc"], "use grounder=REV or parser=REV"),
        (["--calibration-images", "0"], "at least 1"),
    ],
)
def test_prepare_bad_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert main(["prepare", "--out", str(tmp_path), "--dry-run", *args]) == 2
    assert words in capsys.readouterr().err


def test_prepare_fp8_without_a_gpu_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_gpu(tmp_path, monkeypatch, None)
    assert main(["prepare", "--out", str(tmp_path / "m"), "--fp8", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "no NVIDIA GPU" in err and "nvidia-smi" in err


# ---------------------------------------------------------------- write-repo
@pytest.fixture()
def models_dir(tmp_path: Path, checkpoints: tuple[Path, Path]) -> Path:
    out = tmp_path / "models"
    assert (
        main(
            [
                "prepare",
                "--grounder",
                str(checkpoints[0]),
                "--parser",
                str(checkpoints[1]),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out


@pytest.mark.parametrize(
    "gpu_mib, extra, code, words",
    [
        (None, [], 2, "no NVIDIA GPU: nvidia-smi is not on PATH"),
        (8 * 1024, [], 2, "this GPU has 8.0 GiB"),
        (141 * 1024, [], 0, "planned for 141.0 GiB, GPU 0: NVIDIA Test GPU"),
        (None, ["--gpu-memory-gib", "80"], 0, "planned for 80.0 GiB, --gpu-memory-gib"),
        (141 * 1024, ["--max-batch-size", "parser=12"], 0, "max_batch_size=12"),
        (141 * 1024, ["--memory-fraction", "grounder=0.97"], 2, "outside 0.05..0.95"),
        (141 * 1024, ["--max-seq-len", "vision=8"], 2, "use grounder=N or parser=N"),
        (
            None,
            ["--runtime", "transformers", "--gpu-memory-gib", "4"],
            2,
            "the transformers runtime needs about 6.0 GiB",
        ),
        (None, ["--runtime", "transformers", "--gpu-memory-gib", "24"], 0, "runtime transformers"),
    ],
)
def test_write_repo_gpu_checks(
    tmp_path: Path,
    models_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    gpu_mib: int | None,
    extra: list[str],
    code: int,
    words: str,
) -> None:
    capsys.readouterr()
    fake_gpu(tmp_path, monkeypatch, gpu_mib)
    out = tmp_path / "repo"
    assert (
        main(
            [
                "write-repo",
                "--manifest",
                str(models_dir),
                "--out",
                str(out),
                "--weights-root",
                "/weights",
                *extra,
            ]
        )
        == code
    )
    captured = capsys.readouterr()
    assert words in (captured.out if code == 0 else captured.err)
    assert (out / "grounder" / "config.pbtxt").is_file() == (code == 0)


def test_write_repo_weights_override_for_the_real_sizes(
    tmp_path: Path,
    models_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The skeletons weigh bytes; with the real 8.6 + 8.0 GB a 24 GiB card is refused."""
    manifest = json.loads((models_dir / "manifest.json").read_text())
    manifest["models"]["grounder"]["weights_bytes"] = 8_600_000_000
    manifest["models"]["draft_parser"]["weights_bytes"] = 7_950_000_000
    (models_dir / "manifest.json").write_text(json.dumps(manifest))
    code = main(
        [
            "write-repo",
            "--manifest",
            str(models_dir),
            "--out",
            str(tmp_path / "r"),
            "--gpu-memory-gib",
            "24",
        ]
    )
    assert code == 2 and "at least 2" in capsys.readouterr().err


def test_write_repo_dry_run_writes_nothing(
    tmp_path: Path, models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "repo"
    assert (
        main(
            [
                "write-repo",
                "--manifest",
                str(models_dir / "manifest.json"),
                "--out",
                str(out),
                "--gpu-memory-gib",
                "141",
                "--dry-run",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert text.startswith(f"DRY RUN: would write {out}")
    assert "draft_parser: runtime=tensorrt_llm" in text and "GPU memory plan" in text
    assert not out.exists()


def test_write_repo_refuses_files_changed_since_prepare(
    tmp_path: Path, models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (models_dir / "parser" / "tokenizer.json").write_text('{"changed": true}')
    assert (
        main(
            [
                "write-repo",
                "--manifest",
                str(models_dir),
                "--out",
                str(tmp_path / "r"),
                "--gpu-memory-gib",
                "141",
            ]
        )
        == 2
    )
    assert "no longer matches" in capsys.readouterr().err


# ---------------------------------------------------------------- client commands
@pytest.mark.parametrize(
    "args, words",
    [
        (
            ["smoke", "--url", "10.9.8.7:8000"],
            "would check that grounder and draft_parser are ready",
        ),
        (
            ["warmup", "--concurrency", "1", "4"],
            "2 audits at concurrency 1, 8 audits at concurrency 4",
        ),
        (
            ["bench", "--target", "a=h:1", "--target", "b=h:2", "--concurrency", "1", "64"],
            "8 audits at concurrency 1, 128 audits at concurrency 64",
        ),
    ],
)
def test_client_dry_runs_send_nothing(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--dry-run"]) == 0
    assert words in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, words",
    [
        (["bench", "--target", "nourl"], "NAME=HOST:PORT"),
        (["bench", "--concurrency", "0"], "at least 1"),
        (["smoke", "--image", "/nonexistent/x.png"], "cannot read the image"),
        (["smoke", "--draft", "  "], "--draft is empty"),
    ],
)
def test_client_bad_arguments(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--dry-run"]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.skipif(
    importlib.util.find_spec("tritonclient") is None and not os.environ.get("CI"),
    reason="needs tritonclient (the serving extra)",
)
@pytest.mark.parametrize("command", ["smoke", "warmup"])
def test_a_server_that_is_down_is_a_fail(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--wait", "0"] if command == "warmup" else []
    code = main([command, "--url", f"127.0.0.1:{closed_port()}", "--timeout", "2", *extra])
    out = capsys.readouterr().out
    assert code == 1 and out.rstrip().splitlines()[-1].startswith("FAIL")
    assert "cannot reach" in out


def test_device_bench_dry_run() -> None:
    from cxr_auditor.build_engines.device_bench import main as device_main

    assert device_main(["--dry-run"]) == 0
    assert device_main(["--concurrency", "0"]) == 2


# ---------------------------------------------------------------- prepare against a stand-in Hub
class FakeHub:
    """Stands in for huggingface_hub: repos are skeleton folders, ``main`` is one commit."""

    def __init__(self, repos: dict[str, Path]) -> None:
        self.repos = repos
        self.downloads: list[tuple[str, str]] = []
        hub_self = self

        class HfApi:
            def __init__(self, endpoint: str) -> None:
                pass

            def model_info(
                self, repo_id: str, revision: str, timeout: float, token: object
            ) -> object:
                if repo_id not in hub_self.repos:
                    raise type("RepositoryNotFoundError", (Exception,), {})(repo_id)
                sha = revision if len(revision) == 40 else "c" * 40
                return type("Info", (), {"sha": sha})()

        self.HfApi = HfApi

    def hf_hub_download(
        self, repo_id: str, filename: str, revision: str, token: object, etag_timeout: float
    ) -> str:
        return str(self.repos[repo_id] / filename)

    def snapshot_download(
        self,
        repo_id: str,
        revision: str,
        local_dir: Path,
        token: object,
        allow_patterns: list[str],
        ignore_patterns: list[str],
        etag_timeout: float,
    ) -> str:
        import shutil

        self.downloads.append((repo_id, revision))
        shutil.copytree(self.repos[repo_id], local_dir, dirs_exist_ok=True)
        return str(local_dir)


@pytest.fixture()
def fake_hub(checkpoints: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    fake = FakeHub(
        {
            "alex-feeel/medgemma-cxr-auditor-v2": checkpoints[0],
            "nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16": checkpoints[1],
            "org/llama": checkpoints[1].parent / "llama",
        }
    )
    import types

    module = types.ModuleType("huggingface_hub")
    for name in ("HfApi", "hf_hub_download", "snapshot_download"):
        setattr(module, name, getattr(fake, name))
    monkeypatch.setitem(sys.modules, "huggingface_hub", module)
    return fake


def test_prepare_from_the_hub_pins_commits(
    tmp_path: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "models"
    assert main(["prepare", "--out", str(out), "--revision", "grounder=v2"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    grounder, parser = manifest["models"]["grounder"], manifest["models"]["draft_parser"]
    assert (grounder["source"], grounder["id"], grounder["revision"]) == (
        "hub",
        "alex-feeel/medgemma-cxr-auditor-v2",
        "c" * 40,
    )  # a tag, resolved to its commit
    assert parser["revision"] == PARSER.default_revision  # NVIDIA's pinned commit
    assert fake_hub.downloads == [
        ("alex-feeel/medgemma-cxr-auditor-v2", "c" * 40),
        ("nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16", PARSER.default_revision),
    ]
    assert manifest["options"]["requested"]["grounder"]["revision"] == "v2"
    assert "@" + "c" * 40 in capsys.readouterr().out


def test_prepare_checks_the_architecture_before_downloading(
    tmp_path: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    write_checkpoint(tmp_path / "src" / "llama", "draft_parser")
    config = tmp_path / "src" / "llama" / "config.json"
    config.write_text(json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"}))
    assert main(["prepare", "--out", str(tmp_path / "m"), "--parser", "org/llama"]) == 2
    err = capsys.readouterr().err
    assert "org/llama@" + "c" * 40 in err and "NemotronHForCausalLM" in err
    assert fake_hub.downloads == []  # nothing was fetched


def test_prepare_names_a_missing_repository(
    tmp_path: Path, fake_hub: FakeHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["prepare", "--out", str(tmp_path / "m"), "--grounder", "org/nope"]) == 2
    assert "org/nope@main: repository not found" in capsys.readouterr().err
