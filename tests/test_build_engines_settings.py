"""GPU settings: config.pbtxt editing, the memory plan, rendering the repository from a manifest,
and the runtime passing exactly the documented TensorRT-LLM arguments."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest
from test_build_engines_checkpoint import write_checkpoint

from cxr_auditor.build_engines.device_models import GEMMA3_4B_TEXT, NEMOTRON_3_NANO_4B
from cxr_auditor.build_engines.errors import BuildError, GpuMemoryError
from cxr_auditor.build_engines.gpu import (
    GiB,
    ModelNeeds,
    kv_bytes_per_token,
    mamba_state_bytes,
    plan_memory,
)
from cxr_auditor.build_engines.gpu_settings import DEFAULTS, LLM_ARGS, GpuChoice
from cxr_auditor.build_engines.manifest import (
    ModelEntry,
    file_entries,
    new_manifest,
    write_manifest,
)
from cxr_auditor.build_engines.pbtxt import parameters_of, set_max_batch_size, set_parameter
from cxr_auditor.build_engines.render import render_repository
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.repository import default_repository

REAL_WEIGHTS_GIB = {"grounder": 8.6, "draft_parser": 7.95}  # 4.30 B and 3.97 B in bf16


# ---------------------------------------------------------------- config.pbtxt editing
def test_parameters_of_reads_the_committed_configs() -> None:
    text = (default_repository() / "draft_parser" / "config.pbtxt").read_text()
    params = parameters_of(text)
    assert params["runtime"] == "${parser_runtime}"
    assert params["enable_thinking"] == "false"


@pytest.mark.parametrize(
    "key, value, replaced",
    [
        ("device", "cuda", True),  # present: replaced in place
        ("max_seq_len", "4096", False),  # absent: appended
    ],
)
def test_set_parameter_replaces_or_appends(key: str, value: str, replaced: bool) -> None:
    text = (default_repository() / "grounder" / "config.pbtxt").read_text()
    before = parameters_of(text)
    after_text = set_parameter(text, key, value)
    after = parameters_of(after_text)
    assert after[key] == value
    assert list(after)[: len(before)] == list(before)  # order kept, nothing duplicated
    assert (key in before) == replaced
    assert len(after) == len(before) + (0 if replaced else 1)


@pytest.mark.parametrize(
    "text, words",
    [
        (
            (
                'parameters { key: "a", value: { string_value: "1" } }\n'
                'parameters { key: "a", value: { string_value: "2" } }\n'
            ),
            "twice",
        ),
    ],
)
def test_a_repeated_parameter_is_refused(text: str, words: str) -> None:
    with pytest.raises(BuildError, match=words):
        parameters_of(text)


@pytest.mark.parametrize("value", ['a"b', "a\\b", "a\nb"])
def test_a_value_that_would_break_the_pbtxt_string_is_refused(value: str) -> None:
    with pytest.raises(BuildError, match="quotes"):
        set_parameter('name: "x"\n', "model", value)


def test_set_max_batch_size_changes_only_the_top_level_line() -> None:
    text = (default_repository() / "grounder" / "config.pbtxt").read_text()
    changed = set_max_batch_size(text, 32)
    assert "max_batch_size: 32" in changed and "max_batch_size: 8" not in changed
    assert changed.replace("max_batch_size: 32", "max_batch_size: 8") == text
    with pytest.raises(BuildError, match="max_batch_size"):
        set_max_batch_size('name: "x"\n', 4)


# ---------------------------------------------------------------- memory arithmetic
def test_kv_and_mamba_sizes_of_the_real_configs() -> None:
    # Gemma 3 4B: 34 attention layers x K,V x 4 KV heads x 256 x bf16
    assert kv_bytes_per_token({"text_config": GEMMA3_4B_TEXT}) == 34 * 2 * 4 * 256 * 2
    # Nemotron-3 Nano 4B: only its 4 attention layers hold a KV cache (8 KV heads x 128)
    assert kv_bytes_per_token(NEMOTRON_3_NANO_4B) == 4 * 2 * 8 * 128 * 2
    # 21 Mamba layers: float32 SSM state 96 x 80 x 128, bf16 conv state (7680 + 2*8*128) x 3
    expected = 21 * (96 * 80 * 128 * 4 + (96 * 80 + 2 * 8 * 128) * 3 * 2)
    assert mamba_state_bytes(NEMOTRON_3_NANO_4B) == expected
    assert 80 < expected / 1e6 < 85  # ~83 MB per sequence, as the notes compute
    assert mamba_state_bytes({"text_config": GEMMA3_4B_TEXT}) == 0


def real_needs(
    batch: dict[str, int] | None = None, fraction: float = 0.35, seq: int = 4096
) -> list[ModelNeeds]:
    batch = batch or {"grounder": 16, "draft_parser": 32}
    configs = {"grounder": {"text_config": GEMMA3_4B_TEXT}, "draft_parser": NEMOTRON_3_NANO_4B}
    return [
        ModelNeeds(
            role,
            REAL_WEIGHTS_GIB[role],
            kv_bytes_per_token(cfg) * seq / GiB,
            mamba_state_bytes(cfg) / GiB,
            batch[role],
            fraction,
        )
        for role, cfg in configs.items()
    ]


@pytest.mark.parametrize(
    "gpu_gib, needs, words",
    [
        (141.0, real_needs(), None),  # H200: fits easily
        (80.0, real_needs(), None),  # H100 80 GB
        (24.0, real_needs(), "at least"),  # a 24 GB card: weights alone 16.5
        (24.0, real_needs({"grounder": 1, "draft_parser": 1}), "at least"),
        (141.0, real_needs(fraction=0.9), "activation peaks"),  # fractions leave nothing over
        (141.0, real_needs(fraction=0.99), "outside 0.05..0.95"),
    ],
)
def test_memory_plan_of_both_real_models(
    gpu_gib: float, needs: list[ModelNeeds], words: str | None
) -> None:
    if words:
        with pytest.raises(GpuMemoryError, match=words):
            plan_memory(gpu_gib, needs)
        return
    plan = plan_memory(gpu_gib, needs)
    weights = sum(REAL_WEIGHTS_GIB.values())
    assert plan.fixed_gib > weights
    assert plan.free_gib == pytest.approx(gpu_gib - plan.fixed_gib)
    # each model's worse case: it loads second and gets its share of what the other left
    assert plan.kv_gib["grounder"] == pytest.approx(0.35 * 0.65 * plan.free_gib)
    assert plan.left_gib == pytest.approx(0.65 * 0.65 * plan.free_gib)
    assert all(n >= 1 for n in plan.sequences.values())
    assert plan.fixed_gib + sum(plan.kv_gib.values()) < gpu_gib


# ---------------------------------------------------------------- rendering
@pytest.fixture()
def manifest_path(tmp_path: Path) -> Path:
    root = tmp_path / "weights"
    entries = {}
    for role, folder in (("grounder", "grounder"), ("draft_parser", "parser")):
        write_checkpoint(root / folder, role)
        entries[role] = ModelEntry(
            source="hub",
            id=f"org/{folder}-4b",
            revision="b" * 40,
            folder=folder,
            architecture="x",
            model_type="y",
            dtype="bfloat16",
            weights_bytes=int(REAL_WEIGHTS_GIB[role] * GiB),
            chat_template="chat_template.jinja",
            files=file_entries(root / folder),
        )
    return write_manifest(new_manifest({}, entries), root)


@pytest.mark.parametrize(
    "runtime, role, expected",
    [
        (
            "tensorrt_llm",
            "grounder",
            {
                "runtime": "tensorrt_llm",
                "model": "/weights/grounder",
                "device": "cuda",
                "trust_remote_code": "false",
                "max_batch_size": "16",
                "max_seq_len": "4096",
                "free_gpu_memory_fraction": "0.35",
                "model_name": "org/grounder-4b",
                "model_version": "bbbbbbbbbbbb",
                "max_image_bytes": "33554432",
            },
        ),
        (
            "tensorrt_llm",
            "draft_parser",
            {
                "runtime": "tensorrt_llm",
                "model": "/weights/parser",
                "trust_remote_code": "true",
                "max_batch_size": "32",
                "max_seq_len": "8192",
                "enable_thinking": "false",
            },
        ),
        (
            "transformers",
            "grounder",
            {"runtime": "transformers", "device": "cuda", "trust_remote_code": "false"},
        ),
        ("transformers", "draft_parser", {"runtime": "transformers", "trust_remote_code": "false"}),
    ],
)
def test_rendered_parameters_per_runtime_and_role(
    tmp_path: Path, manifest_path: Path, runtime: str, role: str, expected: dict[str, str]
) -> None:
    out = tmp_path / "repo"
    render_repository(
        read(manifest_path), manifest_path, out, runtime, Path("/weights"), total_gib=141.0
    )
    text = (out / role / "config.pbtxt").read_text()
    params = parameters_of(text)
    assert {k: params.get(k) for k in expected} == expected
    if runtime == "transformers":  # TensorRT-LLM-only knobs stay out of the baseline
        assert "free_gpu_memory_fraction" not in params
    assert "${" not in "".join(params.values())
    triton_batch = DEFAULTS[role].max_batch_size
    assert f"\nmax_batch_size: {triton_batch}\n" in text
    # the model's own check accepts it (with the host path standing in for /weights)
    host = manifest_path.parent / params["model"].removeprefix("/weights/")
    settings = read_settings(role, {**params, "model": str(host)})
    assert settings.runtime == runtime
    record = json.loads((out / role / "gpu_settings.json").read_text())
    assert record["parameters"] == {k: v for k, v in params.items() if k in record["parameters"]}
    assert record["llm_args"] == (LLM_ARGS[role] if runtime == "tensorrt_llm" else {})
    assert (record["memory_plan"] is not None) == (runtime == "tensorrt_llm")


def read(path: Path) -> Any:
    from cxr_auditor.build_engines.manifest import read_manifest

    return read_manifest(path)


@pytest.mark.parametrize(
    "role, words",
    [
        ("grounder", "attn_backend=FLASHINFER, enable_chunked_prefill=false"),
        ("grounder", "kv_cache_config.enable_block_reuse=false"),
        (
            "draft_parser",
            (
                "kv_cache_config.enable_block_reuse=false, "
                "kv_cache_config.mamba_ssm_cache_dtype=float32"
            ),
        ),
    ],
)
def test_rendered_config_names_the_fixed_llm_arguments(
    tmp_path: Path, manifest_path: Path, role: str, words: str
) -> None:
    render_repository(
        read(manifest_path),
        manifest_path,
        tmp_path / "repo",
        "tensorrt_llm",
        Path("/weights"),
        total_gib=141.0,
    )
    header = [
        line
        for line in (tmp_path / "repo" / role / "config.pbtxt").read_text().splitlines()
        if line.startswith("# Fixed by")
    ]
    assert len(header) == 1 and words in header[0]


def test_chosen_values_reach_the_config(tmp_path: Path, manifest_path: Path) -> None:
    choices = dict(DEFAULTS)
    choices["draft_parser"] = GpuChoice(8, 2048, 0.2, DEFAULTS["draft_parser"].trust_remote_code)
    render_repository(
        read(manifest_path),
        manifest_path,
        tmp_path / "repo",
        "tensorrt_llm",
        Path("/weights"),
        choices,
        total_gib=141.0,
    )
    params = parameters_of((tmp_path / "repo" / "draft_parser" / "config.pbtxt").read_text())
    assert (
        params["max_batch_size"],
        params["max_seq_len"],
        params["free_gpu_memory_fraction"],
    ) == ("8", "2048", "0.2")


def test_too_small_a_gpu_renders_nothing(tmp_path: Path, manifest_path: Path) -> None:
    with pytest.raises(GpuMemoryError, match="at least"):
        render_repository(
            read(manifest_path),
            manifest_path,
            tmp_path / "repo",
            "tensorrt_llm",
            Path("/weights"),
            total_gib=16.0,
        )
    assert not (tmp_path / "repo").exists()


def test_an_existing_repository_is_replaced_only_with_force(
    tmp_path: Path, manifest_path: Path
) -> None:
    out = tmp_path / "repo"
    manifest = read(manifest_path)
    render_repository(manifest, manifest_path, out, "tensorrt_llm", Path("/w"), total_gib=141.0)
    with pytest.raises(BuildError, match="--force"):
        render_repository(manifest, manifest_path, out, "transformers", Path("/w"))
    render_repository(manifest, manifest_path, out, "transformers", Path("/w"), force=True)
    assert (
        parameters_of((out / "grounder" / "config.pbtxt").read_text())["runtime"] == "transformers"
    )
    other = tmp_path / "not_a_repo"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(BuildError, match="not a model repository"):
        render_repository(manifest, manifest_path, other, "transformers", Path("/w"), force=True)
    assert (other / "notes.txt").read_text() == "keep me"


# ---------------------------------------------------------------- the runtime agrees
MISSING = [m for m in ("transformers", "torch") if importlib.util.find_spec(m) is None]


class FakeLLM:
    made: ClassVar[list[FakeLLM]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        FakeLLM.made.append(self)

    def shutdown(self) -> None:
        pass


def _flatten(kwargs: dict[str, Any]) -> dict[str, object]:
    flat = {k: v for k, v in kwargs.items() if k != "kv_cache_config"}
    flat |= {f"kv_cache_config.{k}": v for k, v in kwargs.get("kv_cache_config", {}).items()}
    return flat


@pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"needs the models extra; missing: {', '.join(MISSING)}",
)
@pytest.mark.parametrize("role", ["grounder", "draft_parser"])
def test_the_runtime_passes_exactly_the_documented_llm_arguments(
    role: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxr_auditor.serving.runtime import load_runtime
    from cxr_auditor.serving.tiny_models import make_tiny_grounder, make_tiny_parser

    root = types.ModuleType("tensorrt_llm")
    root.LLM = FakeLLM  # type: ignore[attr-defined]
    root.SamplingParams = lambda **kw: kw  # type: ignore[attr-defined]
    llmapi = types.ModuleType("tensorrt_llm.llmapi")
    llmapi.KvCacheConfig = lambda **kw: kw  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tensorrt_llm", root)
    monkeypatch.setitem(sys.modules, "tensorrt_llm.llmapi", llmapi)
    FakeLLM.made = []
    folder = tmp_path_factory.mktemp(role)
    (make_tiny_grounder if role == "grounder" else make_tiny_parser)(folder)
    choice = DEFAULTS[role]
    load_runtime(
        read_settings(
            role,
            {
                "runtime": "tensorrt_llm",
                "model": str(folder),
                "max_batch_size": str(choice.max_batch_size),
                "max_seq_len": str(choice.max_seq_len),
                "free_gpu_memory_fraction": str(choice.free_gpu_memory_fraction),
            },
        )
    )
    passed = _flatten(FakeLLM.made[-1].kwargs)
    assert {k: passed.get(k, "<absent>") for k in LLM_ARGS[role]} == LLM_ARGS[role]
    assert passed["max_batch_size"] == choice.max_batch_size
    assert passed["kv_cache_config.free_gpu_memory_fraction"] == choice.free_gpu_memory_fraction
