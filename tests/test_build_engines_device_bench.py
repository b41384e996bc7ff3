"""The device check: REAL 4B configurations (parameter counts on the meta device), the stand-in
dynamic batcher, the load runner, every section on small models on the CPU (TensorRT-LLM through
the stand-in module of ``tests/fake_trtllm.py``), the JSON it writes, a failing section that does
not stop the others, the time budget, and the shell script's refusal without a GPU. The GPU run
itself is ``build_engines/device_check.sh`` (not run here: no GPU)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from fake_trtllm import FakeLLM, install_fake_trtllm

from cxr_auditor.build_engines.device_bench import Batcher
from cxr_auditor.build_engines.device_bench import main as device_main
from cxr_auditor.build_engines.device_probes import check_lengths, length_failure
from cxr_auditor.build_engines.device_report import CheckFailed, Report, Skipped
from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.traffic import AuditOutcome, percentile, run_load

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "build_engines" / "device_check.sh"
MISSING = [m for m in ("transformers", "torch") if importlib.util.find_spec(m) is None]
needs_models = pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"needs the models extra; missing: {', '.join(MISSING)}",
)


@needs_models
@pytest.mark.parametrize(
    "role, published_b, layers",
    [
        ("grounder", 4.30, 34),  # MedGemma 1.5 4B / Gemma 3 4B
        ("draft_parser", 3.97, 42),  # Nemotron-3 Nano 4B
    ],
)
def test_real_configs_have_the_published_size(role: str, published_b: float, layers: int) -> None:
    import torch
    from transformers import Gemma3ForConditionalGeneration, NemotronHForCausalLM

    from cxr_auditor.build_engines import device_models as dm

    tokenizer = dm._tokenizer(role)
    model_class: Any
    if role == "grounder":
        config, model_class = dm.grounder_config(tokenizer), Gemma3ForConditionalGeneration
        assert config.text_config.num_hidden_layers == layers
        assert config.vision_config.image_size // config.vision_config.patch_size == 64
    else:
        config, model_class = dm.parser_config(tokenizer), NemotronHForCausalLM
        assert config.num_hidden_layers == layers
    model = dm._random_model(model_class, config, "meta")  # shapes only, no memory
    params_b = sum(p.numel() for p in model.parameters()) / 1e9
    assert params_b == pytest.approx(published_b, rel=0.01)
    assert next(model.parameters()).dtype == torch.bfloat16
    assert torch.get_default_dtype() == torch.float32  # restored after the build


class SlowService:
    """Records each batch; the first batch waits until released so that the others queue up."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.entered = threading.Event()  # set when the first batch is inside run()
        self.release = threading.Event()

    def run(self, items: list[Any]) -> list[Any]:
        if not self.sizes:
            self.entered.set()
            self.release.wait(5)
        self.sizes.append(len(items))
        if "boom" in items:
            raise RuntimeError("generation failed")
        return [f"reply:{item}" for item in items]


@pytest.mark.parametrize(
    "requests, max_batch, expected_sizes",
    [
        (1, 8, [1]),
        (9, 4, [1, 4, 4]),  # the first runs alone; the 8 that queued meanwhile go in 4s
        (5, 8, [1, 4]),
    ],
)
def test_batcher_groups_queued_requests_up_to_max_batch(
    requests: int, max_batch: int, expected_sizes: list[int]
) -> None:
    service = SlowService()
    batcher = Batcher(service, max_batch=max_batch, delay_s=0.05)
    try:
        first = batcher.submit("r0")
        assert service.entered.wait(5)  # the worker has taken r0 alone and waits inside run()
        rest = [batcher.submit(f"r{i}") for i in range(1, requests)]
        service.release.set()
        replies = [f.result(timeout=5) for f in [first, *rest]]
    finally:
        batcher.close()
    assert replies == [f"reply:r{i}" for i in range(requests)]
    assert service.sizes == expected_sizes
    assert [n for n, _ in batcher.batches] == expected_sizes


def test_a_failing_batch_answers_every_waiting_request_with_the_error() -> None:
    service = SlowService()
    service.release.set()
    batcher = Batcher(service, max_batch=4, delay_s=0.01)
    try:
        reply = batcher.submit("boom").result(timeout=5)
    finally:
        batcher.close()
    assert isinstance(reply, RuntimeError) and "generation failed" in str(reply)


@pytest.mark.parametrize(
    "values, p, expected",
    [
        ([5.0], 50, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
        ([1.0, 2.0, 3.0, 4.0], 95, 4.0),
        ([float(v) for v in range(1, 101)], 95, 95.0),
        ([3.0, 1.0, 2.0], 100, 3.0),
    ],
)
def test_percentile_is_nearest_rank(values: list[float], p: float, expected: float) -> None:
    assert percentile(values, p) == expected


def test_run_load_keeps_concurrency_in_flight_and_counts_outcomes() -> None:
    in_flight, peak, lock = [0], [0], threading.Lock()
    calls = [0]
    # Each audit waits until four are in flight together (three rounds of four): no sleeps, and the
    # peak is exactly the concurrency asked for unless run_load runs fewer at once.
    together = threading.Barrier(4)

    def audit() -> AuditOutcome:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
            calls[0] += 1
            number = calls[0]
        together.wait(timeout=10)
        with lock:
            in_flight[0] -= 1
        return AuditOutcome(
            0.02,  # the seconds reported by the stand-in audit
            served=number % 4 != 0,
            parsed=number % 2 == 1,
            error=None if number % 4 else "down",
        )

    result = run_load(audit, concurrency=4, audits=12)
    assert result.audits == 12 and peak[0] == 4
    assert (result.served, result.parsed) == (9, 6)
    assert result.errors == ["down"]
    assert result.p50_ms == 20.0 and result.audits_per_s > 0
    with pytest.raises(ValueError, match="at least 1"):
        run_load(audit, 0, 1)


SMALL = {  # the real builders with shrunken shapes, so the whole path runs on a CPU in seconds
    "GEMMA3_4B_TEXT": {
        "vocab_size": 1088,
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "head_dim": 32,
        "query_pre_attn_scalar": 32,
        "max_position_embeddings": 4096,
        "sliding_window": 64,
        "layer_types": ["sliding_attention", "full_attention"],
        "rope_parameters": {
            "full_attention": {"rope_type": "default", "rope_theta": 10_000.0},
            "sliding_attention": {"rope_type": "default", "rope_theta": 10_000.0},
        },
    },
    "SIGLIP_896": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 1,
        "num_attention_heads": 2,
        "image_size": 64,
        "patch_size": 8,
        "num_channels": 3,
        "vision_use_head": False,
    },
    "GEMMA3_MM_TOKENS": 16,
    "NEMOTRON_3_NANO_4B": {
        "vocab_size": 1088,
        "hidden_size": 64,
        "hybrid_override_pattern": "M-*",
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "intermediate_size": 128,
        "mlp_hidden_act": "relu2",
        "mamba_num_heads": 8,
        "mamba_head_dim": 16,
        "n_groups": 2,
        "ssm_state_size": 16,
        "conv_kernel": 4,
        "chunk_size": 8,
        "max_position_embeddings": 4096,
        "tie_word_embeddings": False,
    },
}


SECTIONS = [
    "versions",
    "checkpoints",
    "weights",
    "token_parity",
    "peak_memory",
    "audits",
    "tensorrt_llm",
]
SECTION_KEYS = {"name", "status", "seconds", "summary", "data"}
VERSION_KEYS = {"python", "torch", "cuda", "transformers", "tensorrt_llm", "gpu", "driver"}


def run_bench(tmp_path: Path, scale: str, *extra: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "bench.json"
    code = device_main(
        [
            *("--scale", scale, "--device", "cpu", "--concurrency", "1", "3"),
            *("--memory-batches", "1", "2", "--grounder-tokens", "3", "--parser-tokens", "2"),
            *("--workdir", str(tmp_path), "--out", str(out), *extra),
        ]
    )
    report = json.loads(out.read_text())
    assert list(tmp_path.iterdir()) == [out]  # the built models are removed
    return code, report


def check_schema(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The JSON every run writes; the sections by name."""
    assert {"scale", "device", "budgets", "budget_s", "total_s", "counts", "sections"} <= set(
        report
    )
    assert [s["name"] for s in report["sections"]] == SECTIONS
    for section in report["sections"]:
        assert set(section) == SECTION_KEYS
        assert section["status"] in ("PASS", "FAIL", "SKIP") and section["seconds"] >= 0
        assert section["summary"] and "\n" not in section["summary"]
    statuses = [s["status"] for s in report["sections"]]
    assert report["counts"] == {k: statuses.count(k) for k in ("PASS", "FAIL", "SKIP")}
    return {s["name"]: s for s in report["sections"]}


@pytest.fixture()
def fake_trtllm(monkeypatch: pytest.MonkeyPatch) -> type[FakeLLM]:
    return install_fake_trtllm(monkeypatch)


@needs_models
def test_every_section_runs_on_the_cpu_with_the_real_builders_and_a_fake_tensorrt_llm(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake_trtllm: type[FakeLLM],
) -> None:
    from cxr_auditor.build_engines import device_models
    from cxr_auditor.serving.model_settings import read_settings
    from cxr_auditor.serving.runtime_trtllm import llm_arguments

    for name, value in SMALL.items():
        monkeypatch.setattr(device_models, name, value)
    code, report = run_bench(tmp_path, "real")
    sections = check_schema(report)
    assert code == 0, {n: s["summary"] for n, s in sections.items() if s["status"] != "PASS"}
    assert report["counts"] == {"PASS": 7, "FAIL": 0, "SKIP": 0}
    assert VERSION_KEYS <= set(sections["versions"]["data"])
    assert sections["versions"]["data"]["gpu"] is None  # a CPU run names no GPU
    weights = sections["weights"]["data"]
    for role in ("grounder", "draft_parser"):
        row = weights["models"][role]
        assert row["weights_gib"] is None and row["params"] > 0  # memory: not measured on a CPU
    assert weights["prompt_tokens"]["grounder_image"] == 16  # the processor's image tokens
    assert weights["prompt_tokens"]["draft_parser"] > 100  # the real prompt, tokenized
    parity = sections["token_parity"]["data"]
    assert parity["passed"] and set(parity["models"]) == {"grounder", "draft_parser"}
    memory = sections["peak_memory"]["data"]
    assert memory["memory_note"] == "not measured on CPU"
    assert [r["batch"] for r in memory["models"]["grounder"]] == [1, 2]
    assert all(r["peak_gib"] is None for rows in memory["models"].values() for r in rows)
    assert memory["lengths"]["grounder"] == {"generations": 3, "lengths": [3], "forced": True}
    audits = sections["audits"]["data"]
    assert [row["concurrency"] for row in audits["levels"]] == [1, 3]
    for row in audits["levels"]:
        assert row["served"] == row["audits"] == row["concurrency"]
        assert row["parsed"] == 0  # random weights: garbage, counted as such
        assert row["p99_ms"] >= row["p50_ms"] > 0
        assert row["tokens"] == row["audits"] * (3 + 2)  # every generation forced to its budget
        assert row["grounder"]["batches"] >= 1
    assert audits["budgets"] == {"grounder": 3, "draft_parser": 2}
    trt = sections["tensorrt_llm"]["data"]
    grounder_llm, parser_llm = fake_trtllm.made
    for llm, role in ((grounder_llm, "grounder"), (parser_llm, "draft_parser")):
        folder = Path(llm.kwargs["model"])
        folder.mkdir(parents=True)  # the run removed it; the settings check that it exists
        settings = read_settings(
            role, {"runtime": "tensorrt_llm", "model": str(folder), "max_new_tokens": "3"}
        )
        expected, kv = llm_arguments(settings, str(folder))
        assert llm.kwargs == expected | {"load_format": "dummy", "kv_cache_config": kv}
        assert trt["models"][role]["llm_args"]["load_format"] == "dummy"
        assert len(llm.submitted) == 1 + 40  # one request, then 40 at once
        assert all(
            p["ignore_eos"] and p["min_tokens"] == p["max_tokens"] for _, p, _ in llm.submitted
        )
        assert trt["models"][role]["concurrent"]["answered"] == 40
    assert all("multi_modal_data" in inputs for inputs, _, _ in grounder_llm.submitted)
    assert all("prompt_token_ids" in inputs for inputs, _, _ in parser_llm.submitted)
    assert trt["lengths"]["grounder"] == {"generations": 41, "lengths": [3], "forced": True}
    out = capsys.readouterr().out
    assert "[PASS] token_parity" in out and "token parity PASS" in out
    assert out.rstrip().splitlines()[-1] == "PASS"
    for heading in ("section ", "Memory (GiB", "Full audits", "TensorRT-LLM (load_format"):
        assert heading in out


@needs_models
def test_a_failing_section_is_one_fail_line_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxr_auditor.serving import runtime_trtllm

    # The defect token parity guards against: the image prompt keeps its rendered <bos>, so
    # TensorRT-LLM's processor would add a second one.
    monkeypatch.setattr(runtime_trtllm, "strip_rendered_bos", lambda prompt, bos: prompt)
    monkeypatch.setitem(sys.modules, "tensorrt_llm", None)  # not installed: skipped
    code, report = run_bench(tmp_path, "tiny")
    sections = check_schema(report)
    assert code == 1
    assert {n: s["status"] for n, s in sections.items()} == {
        **dict.fromkeys(SECTIONS, "PASS"),
        "token_parity": "FAIL",
        "tensorrt_llm": "SKIP",
    }
    grounder = sections["token_parity"]["data"]["models"]["grounder"]
    assert grounder["checks"]["same_ids"] is False and grounder["checks"]["one_bos"] is False
    assert sections["token_parity"]["data"]["models"]["draft_parser"]["passed"] is True
    assert sections["tensorrt_llm"]["summary"] == "tensorrt_llm not installed: skipped"
    out = capsys.readouterr().out
    assert "[FAIL] token_parity" in out and "[PASS] audits" in out
    assert "[SKIP] tensorrt_llm" in out and out.rstrip().splitlines()[-1] == "FAIL"


@needs_models
def test_tensorrt_llm_generations_not_forced_to_the_budget_are_a_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_trtllm: type[FakeLLM]
) -> None:
    from cxr_auditor.build_engines import device_trtllm

    monkeypatch.setattr(device_trtllm, "forced_sampling", lambda sampling: sampling)
    code, report = run_bench(tmp_path, "tiny", "--trtllm-concurrency", "2")
    sections = check_schema(report)
    assert code == 1 and sections["tensorrt_llm"]["status"] == "FAIL"
    assert "not forced to their budgets" in sections["tensorrt_llm"]["summary"]
    lengths = sections["tensorrt_llm"]["data"]["lengths"]
    assert lengths["grounder"] == {"generations": 3, "lengths": [2], "forced": False}
    assert sections["audits"]["status"] == "PASS"


def test_a_section_that_raises_fails_alone_and_the_json_follows_each_section(
    tmp_path: Path,
) -> None:
    out = tmp_path / "r.json"
    report = Report({"scale": "tiny"}, budget_s=60, out=out)

    def broken() -> tuple[dict[str, Any], str]:
        raise RuntimeError("CUDA out of memory\nmore detail")

    report.run("one", lambda: ({"x": 1}, "fine"))
    assert json.loads(out.read_text())["counts"] == {"PASS": 1, "FAIL": 0, "SKIP": 0}
    report.run("two", broken)
    report.run("three", lambda: (_ for _ in ()).throw(Skipped("absent: skipped")))
    report.run("four", lambda: (_ for _ in ()).throw(CheckFailed("lengths wrong", {"n": 2})))
    saved = json.loads(out.read_text())
    assert [(s["name"], s["status"]) for s in saved["sections"]] == [
        ("one", "PASS"),
        ("two", "FAIL"),
        ("three", "SKIP"),
        ("four", "FAIL"),
    ]
    assert saved["sections"][1]["summary"] == "RuntimeError: CUDA out of memory"
    assert "more detail" in saved["sections"][1]["data"]["error"]
    assert saved["sections"][3]["data"] == {"n": 2}
    with pytest.raises(BuildError, match="needs section 'two'"):
        report.data("two")
    assert report.data("one") == {"x": 1}


def test_sections_after_the_budget_is_spent_are_not_started_and_fail() -> None:
    report = Report({}, budget_s=5)
    report.started -= 10  # as if ten seconds had gone by
    ran: list[str] = []

    def late() -> tuple[dict[str, Any], str]:
        ran.append("late")
        return {}, "ran"

    section = report.run("late", late)
    assert ran == [] and section.status == "FAIL"
    assert section.summary == "not started: the 5 s budget was spent"


@pytest.mark.parametrize(
    "counts, budget, forced",
    [
        ([150, 150, 150], 150, True),
        ([150, 149], 150, False),  # one stopped early: a stop token was not masked
        ([], 150, False),  # nothing generated
        ([100], 150, False),
    ],
)
def test_check_lengths(counts: list[int], budget: int, forced: bool) -> None:
    assert check_lengths("grounder", counts, budget)["forced"] is forced
    reason = length_failure(
        {"grounder": check_lengths("grounder", counts, budget)}, {"grounder": budget}
    )
    assert (reason is None) is forced


def test_device_check_script_is_valid_bash() -> None:
    done = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "fake_smi, words",
    [
        (False, "FAIL: no NVIDIA GPU visible"),
        pytest.param(True, "torch sees no CUDA GPU", marks=needs_models),
    ],
)
def test_device_check_refuses_a_machine_without_a_gpu(
    tmp_path: Path, fake_smi: bool, words: str
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "tee", "timeout", "dirname", "mkdir"):
        found = subprocess.run(
            ["bash", "-c", f"command -v {tool}"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found:
            (bin_dir / tool).symlink_to(os.path.realpath(found))
    if fake_smi:
        smi = bin_dir / "nvidia-smi"
        smi.write_text("#!/bin/sh\necho 'NVIDIA Test GPU, 81559 MiB, 570.00'\n")
        smi.chmod(0o755)
    import sys

    env = {
        "PATH": str(bin_dir),
        "OUT": str(tmp_path / "out"),
        "PYTHON": sys.executable,
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 2
    assert words in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("FAIL (exit 2")
    assert words in (tmp_path / "out" / "device_check.log").read_text()
