"""``build_engines.checkpoint`` and ``build_engines.manifest`` on hand-made checkpoint folders.

The folders are skeletons (real config.json facts, a few-byte safetensors file with the right
tensor names, tokenizer/processor/template files): enough for every file-level check, no torch.
``write_checkpoint`` is imported by the other build_engines test files.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from cxr_auditor.build_engines.checkpoint import check_checkpoint, safetensors_header
from cxr_auditor.build_engines.device_models import GEMMA3_4B_TEXT, NEMOTRON_3_NANO_4B, SIGLIP_896
from cxr_auditor.build_engines.errors import ArchitectureError, CheckpointError, ManifestError
from cxr_auditor.build_engines.manifest import (
    ModelEntry,
    file_entries,
    new_manifest,
    read_manifest,
    verify,
    write_manifest,
)

TENSORS = {
    "grounder": [
        "language_model.model.embed_tokens.weight",
        "vision_tower.vision_model.embeddings.patch_embedding.weight",
        "multi_modal_projector.mm_input_projection_weight",
    ],
    "draft_parser": [
        "backbone.embeddings.weight",
        "backbone.layers.0.mixer.A_log",
        "backbone.layers.1.mixer.up_proj.weight",
        "lm_head.weight",
    ],
}
CONFIGS = {
    "grounder": {
        "architectures": ["Gemma3ForConditionalGeneration"],
        "model_type": "gemma3",
        "torch_dtype": "bfloat16",
        "mm_tokens_per_image": 256,
        "text_config": GEMMA3_4B_TEXT,
        "vision_config": SIGLIP_896,
    },
    "draft_parser": {
        "architectures": ["NemotronHForCausalLM"],
        "model_type": "nemotron_h",
        "torch_dtype": "bfloat16",
        **NEMOTRON_3_NANO_4B,
        "num_hidden_layers": len(NEMOTRON_3_NANO_4B["hybrid_override_pattern"]),
    },
}
TEMPLATES = {
    "grounder": "{{ bos_token }}{% for m in messages %}<start_of_turn>{{ '<start_of_image>' }}"
    "{% endfor %}",
    "draft_parser": "{% set enable_thinking = enable_thinking if enable_thinking is defined "
    "else true %}<|im_start|>{% for m in messages %}{{ m.content }}{% endfor %}",
}


def safetensors_bytes(names: list[str], width: int = 4) -> bytes:
    header = {
        name: {"dtype": "BF16", "shape": [width // 2], "data_offsets": [i * width, (i + 1) * width]}
        for i, name in enumerate(names)
    }
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"\x00" * (width * len(names))


def write_checkpoint(folder: Path, role: str) -> Path:
    """A checkpoint skeleton for ``role`` that passes every file-level check."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(CONFIGS[role], indent=2))
    (folder / "model.safetensors").write_bytes(safetensors_bytes(TENSORS[role]))
    (folder / "tokenizer.json").write_text("{}")
    (folder / "tokenizer_config.json").write_text("{}")
    (folder / "chat_template.jinja").write_text(TEMPLATES[role])
    if role == "grounder":
        (folder / "preprocessor_config.json").write_text('{"image_processor_type": "Gemma3"}')
    return folder


def _edit_config(**changes: object) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text())
        config.update(changes)
        (folder / "config.json").write_text(json.dumps(config))

    return edit


def _truncate(folder: Path) -> None:
    path = folder / "model.safetensors"
    path.write_bytes(path.read_bytes()[:-3])


def _shard_index(folder: Path) -> None:
    weights = {
        "a.weight": "model-00001-of-00002.safetensors",
        "b.weight": "model-00002-of-00002.safetensors",
    }
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weights}))
    (folder / "model-00001-of-00002.safetensors").write_bytes(
        (folder / "model.safetensors").read_bytes()
    )


def _only_bin(folder: Path) -> None:
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"pickle")


def _names(*names: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / "model.safetensors").write_bytes(safetensors_bytes(list(names)))

    return edit


def _move_template_into_tokenizer_config(folder: Path) -> None:
    template = (folder / "chat_template.jinja").read_text()
    (folder / "chat_template.jinja").unlink()
    (folder / "tokenizer_config.json").write_text(json.dumps({"chat_template": template}))


@pytest.mark.parametrize(
    "role, mutate, error, words",
    [
        # a text-only Gemma is not the grounder
        (
            "grounder",
            _edit_config(architectures=["Gemma3ForCausalLM"], model_type="gemma3_text"),
            ArchitectureError,
            "Gemma3ForConditionalGeneration",
        ),
        # a Llama in the parser's place
        (
            "draft_parser",
            _edit_config(architectures=["LlamaForCausalLM"], model_type="llama"),
            ArchitectureError,
            "NemotronHForCausalLM",
        ),
        # a merge that lost the vision tower
        (
            "grounder",
            _names(
                "language_model.model.embed_tokens.weight",
                "multi_modal_projector.mm_input_projection_weight",
            ),
            ArchitectureError,
            "vision_tower",
        ),
        # a parser without Mamba tensors
        (
            "draft_parser",
            _names("backbone.embeddings.weight", "lm_head.weight"),
            ArchitectureError,
            "mixer.A_log",
        ),
        # layer pattern and layer count disagree
        (
            "draft_parser",
            _edit_config(num_hidden_layers=40),
            ArchitectureError,
            "num_hidden_layers",
        ),
        # a pattern with no Mamba layer
        (
            "draft_parser",
            _edit_config(hybrid_override_pattern="*-*", num_hidden_layers=3),
            ArchitectureError,
            "no Mamba layer",
        ),
        # a cut-off download
        ("grounder", _truncate, CheckpointError, "incomplete"),
        # an index naming a shard that is not there
        ("grounder", _shard_index, CheckpointError, "model-00002-of-00002.safetensors"),
        # pickled weights only
        ("draft_parser", _only_bin, CheckpointError, "pickled weights are not accepted"),
        # no tokenizer
        (
            "draft_parser",
            lambda f: (f / "tokenizer.json").unlink(),
            CheckpointError,
            "no tokenizer",
        ),
        # no chat template anywhere
        (
            "grounder",
            lambda f: (f / "chat_template.jinja").unlink(),
            CheckpointError,
            "no chat template",
        ),
        # the grounder's image processor is missing
        (
            "grounder",
            lambda f: (f / "preprocessor_config.json").unlink(),
            CheckpointError,
            "image-processor",
        ),
        # remote code named in auto_map but not shipped
        (
            "draft_parser",
            _edit_config(auto_map={"AutoConfig": "configuration_nemotron_h.NemotronHConfig"}),
            CheckpointError,
            "configuration_nemotron_h.py",
        ),
        # config.json that is not JSON
        (
            "grounder",
            lambda f: (f / "config.json").write_text("{oops"),
            CheckpointError,
            "not valid JSON",
        ),
    ],
)
def test_a_bad_checkpoint_is_refused_with_its_reason(
    tmp_path: Path, role: str, mutate: Callable[[Path], None], error: type[Exception], words: str
) -> None:
    folder = write_checkpoint(tmp_path / role, role)
    mutate(folder)
    with pytest.raises(error, match=words):
        check_checkpoint(folder, role)


@pytest.mark.parametrize(
    "role, mutate, expected_template, warning",
    [
        ("grounder", lambda f: None, "chat_template.jinja", None),
        ("draft_parser", lambda f: None, "chat_template.jinja", None),
        # the template may live in tokenizer_config.json (older checkpoints)
        (
            "draft_parser",
            _move_template_into_tokenizer_config,
            "tokenizer_config.json:chat_template",
            None,
        ),
        # a parser template without the reasoning switch loads, with a warning
        (
            "draft_parser",
            lambda f: (f / "chat_template.jinja").write_text("<|im_start|>{{ x }}"),
            "chat_template.jinja",
            "enable_thinking",
        ),
        # remote code named in auto_map and present
        (
            "draft_parser",
            lambda f: (
                _edit_config(auto_map={"AutoConfig": "configuration_nemotron_h.NemotronHConfig"})(
                    f
                ),
                (f / "configuration_nemotron_h.py").write_text(""),
            ),
            "chat_template.jinja",
            None,
        ),
    ],
)
def test_a_good_checkpoint_is_described(
    tmp_path: Path,
    role: str,
    mutate: Callable[[Path], None],
    expected_template: str,
    warning: str | None,
) -> None:
    folder = write_checkpoint(tmp_path / role, role)
    mutate(folder)
    report = check_checkpoint(folder, role)
    assert report.architecture == CONFIGS[role]["architectures"][0]
    assert report.tensors == len(TENSORS[role])
    assert report.weights_bytes == (folder / "model.safetensors").stat().st_size
    assert report.chat_template == expected_template
    assert [w for w in report.warnings if warning and warning in w] or not warning
    assert bool(report.warnings) == bool(warning)


def test_safetensors_header_reads_names_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    path.write_bytes(safetensors_bytes(["a", "b", "c"], width=6))
    header = safetensors_header(path)
    assert sorted(k for k in header if k != "__metadata__") == ["a", "b", "c"]
    assert header["c"]["data_offsets"] == [12, 18]


def _manifest_root(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    entries = {}
    for role, folder in (("grounder", "grounder"), ("draft_parser", "parser")):
        report = check_checkpoint(write_checkpoint(root / folder, role), role)
        entries[role] = ModelEntry(
            source="hub",
            id=f"org/{folder}",
            revision="a" * 40,
            folder=folder,
            architecture=report.architecture,
            model_type=report.model_type,
            dtype=report.dtype,
            weights_bytes=report.weights_bytes,
            chat_template=report.chat_template,
            files=file_entries(root / folder),
        )
    write_manifest(new_manifest({"fp8": None}, entries), root)
    return root


def test_manifest_round_trip_records_every_file_and_hash(tmp_path: Path) -> None:
    root = _manifest_root(tmp_path)
    manifest = read_manifest(root)  # the folder or the file both work
    assert manifest == read_manifest(root / "manifest.json")
    files = manifest.models["grounder"].files
    assert sorted(files) == sorted(p.name for p in (root / "grounder").iterdir())
    import hashlib

    config = (root / "grounder" / "config.json").read_bytes()
    assert files["config.json"].sha256 == hashlib.sha256(config).hexdigest()
    assert files["config.json"].bytes == len(config)
    assert manifest.models["draft_parser"].revision == "a" * 40
    assert verify(manifest, root, hashes=True) == []


@pytest.mark.parametrize(
    "change, hashes, words",
    [
        # a weight file that lost bytes: caught by the size check alone
        (lambda r: (r / "grounder" / "model.safetensors").write_bytes(b"x"), False, "bytes"),
        # same size, other content: caught only with hashes
        (lambda r: (r / "parser" / "tokenizer.json").write_text("[]"), True, "SHA-256"),
        # a deleted file
        (lambda r: (r / "parser" / "chat_template.jinja").unlink(), False, "missing"),
    ],
)
def test_verify_reports_files_that_changed_since_prepare(
    tmp_path: Path, change: Callable[[Path], object], hashes: bool, words: str
) -> None:
    root = _manifest_root(tmp_path)
    manifest = read_manifest(root)
    change(root)
    problems = verify(manifest, root, hashes=hashes)
    assert len(problems) == 1 and words in problems[0]


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda d: "not json", "not valid JSON"),
        (lambda d: {**d, "schema_version": 2}, "schema_version"),
        (lambda d: {**d, "extra": 1}, "extra"),
        (lambda d: {**d, "models": {"grounder": d["models"]["grounder"]}}, "draft_parser"),
        (
            lambda d: {
                **d,
                "models": {**d["models"], "grounder": {**d["models"]["grounder"], "source": "ftp"}},
            },
            "source",
        ),
    ],
)
def test_a_malformed_manifest_is_refused(
    tmp_path: Path, edit: Callable[[dict], object], words: str
) -> None:
    root = _manifest_root(tmp_path)
    data = json.loads((root / "manifest.json").read_text())
    edited = edit(data)
    (root / "manifest.json").write_text(edited if isinstance(edited, str) else json.dumps(edited))
    with pytest.raises(ManifestError, match=words):
        read_manifest(root)


def test_a_missing_manifest_says_to_run_prepare(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="prepare"):
        read_manifest(tmp_path)
