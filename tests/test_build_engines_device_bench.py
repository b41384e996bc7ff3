"""The device check: REAL 4B configurations (parameter counts on the meta device), the stand-in
dynamic batcher, the load runner, the whole bench on tiny models on the CPU, and the shell script's
refusal without a GPU. The GPU run itself is ``build_engines/device_check.sh`` (not run here)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from cxr_auditor.build_engines.device_bench import Batcher
from cxr_auditor.build_engines.device_bench import main as device_main
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


@needs_models
def test_the_device_bench_runs_end_to_end_on_the_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxr_auditor.build_engines import device_models

    for name, value in SMALL.items():
        monkeypatch.setattr(device_models, name, value)
    out = tmp_path / "bench.json"
    code = device_main(
        [
            "--scale",
            "real",
            "--device",
            "cpu",
            "--concurrency",
            "1",
            "3",
            "--grounder-tokens",
            "2",
            "--parser-tokens",
            "2",
            "--workdir",
            str(tmp_path),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    report = json.loads(out.read_text())
    assert [row["concurrency"] for row in report["levels"]] == [1, 3]
    for row in report["levels"]:
        assert row["served"] == row["audits"] == row["concurrency"]
        assert row["parsed"] == 0  # random weights: garbage, counted as such
        assert row["p95_ms"] >= row["p50_ms"] > 0
        assert row["grounder"]["batches"] >= 1
    assert report["environment"]["device"] == "cpu"
    assert report["prompt_tokens"]["grounder_image"] == 16  # the processor's image tokens
    assert report["prompt_tokens"]["draft_parser"] > 100  # the real prompt, tokenized
    assert report["budgets"] == {"grounder": 2, "draft_parser": 2}
    assert (
        "Full audit, transformers runtime, real random-weight models on CPU"
        in capsys.readouterr().out
    )
    assert list(tmp_path.iterdir()) == [out]  # the built models are removed


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
