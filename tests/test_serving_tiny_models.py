"""Tiny random models (built by ``cxr-auditor models make-tiny``) through the transformers
runtime."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support import require_extras

from cxr_auditor.cli import main
from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.model_settings import read_settings
from cxr_auditor.serving.prompts import grounder_messages, load_prompts, parser_messages
from cxr_auditor.serving.runtime import Chat, load_runtime
from cxr_auditor.serving.tiny_models import GROUNDER_DIRNAME, PARSER_DIRNAME

require_extras("transformers", "torch", extra="serving/models")  # fails instead of skipping in CI

PROMPTS = load_prompts()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    assert main(["models", "make-tiny", "--out", str(out)]) == 0
    return out


def runtime(role: str, folder: Path):
    return load_runtime(read_settings(role, {"runtime": "transformers", "model": str(folder)}))


@pytest.fixture(scope="module")
def grounder(tiny: Path):
    return runtime("grounder", tiny / GROUNDER_DIRNAME)


@pytest.fixture(scope="module")
def parser(tiny: Path):
    return runtime("draft_parser", tiny / PARSER_DIRNAME)


@pytest.mark.parametrize(
    "folder,architecture,model_type",
    [
        (GROUNDER_DIRNAME, "Gemma3ForConditionalGeneration", "gemma3"),
        (PARSER_DIRNAME, "NemotronHForCausalLM", "nemotron_h"),
    ],
)
def test_make_tiny_writes_the_real_architectures(
    tiny: Path, folder: str, architecture: str, model_type: str
) -> None:
    config = json.loads((tiny / folder / "config.json").read_text())
    assert config["architectures"] == [architecture] and config["model_type"] == model_type
    assert (tiny / folder / "model.safetensors").stat().st_size < 1_000_000


def test_make_tiny_prints_the_serve_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "make-tiny", "--out", str(tmp_path)]) == 0
    assert "cxr-auditor serve --grounder" in capsys.readouterr().out


def image(width: int, height: int, value: int) -> Image.Image:
    return Image.fromarray(np.full((height, width, 3), value, dtype=np.uint8))


def test_grounder_generates_a_batch_of_image_chats(grounder) -> None:
    chats = [
        Chat(grounder_messages(PROMPTS), image(90, 120, 0), 8),
        Chat(grounder_messages(PROMPTS, retry=True), image(50, 40, 255), 8),
        Chat(grounder_messages(PROMPTS), image(90, 120, 0), 4),
    ]
    out = grounder.generate(chats)
    assert len(out) == 3 and all(isinstance(g.text, str) for g in out)
    assert all(g.new_tokens <= c.max_new_tokens for g, c in zip(out, chats))


def test_grounder_image_reaches_the_model(grounder) -> None:
    chats = [Chat(grounder_messages(PROMPTS), image(64, 64, v), 6) for v in (0, 255)]
    first, second = grounder.generate(chats)
    again = grounder.generate(chats[:1])[0]
    assert first.text == again.text  # deterministic
    assert first.text != second.text


@pytest.mark.parametrize("thinking,prefix", [(True, "<think>"), (False, ""), (None, "<think>")])
def test_parser_reasoning_switch(parser, thinking: bool | None, prefix: str) -> None:
    [out] = parser.generate(
        [Chat(parser_messages(PROMPTS, "No effusion."), None, 6, 0.0, thinking)]
    )
    assert out.text.startswith(prefix) if prefix else not out.text.startswith("<think>")


def test_parser_decode_keeps_think_tags_and_drops_other_specials(parser) -> None:
    ids = parser.tokenizer.convert_tokens_to_ids(["<think>", "</think>", "<|im_start|>", "<pad>"])
    text, count, stopped = parser._decode([ids[0], ids[2], ids[1], ids[3]])
    assert text == "<think></think>" and count == 4 and not stopped
    stop = parser.tokenizer.convert_tokens_to_ids("<|im_end|>")
    assert parser._decode([ids[0], stop, ids[1]]) == ("<think>", 1, True)


def test_a_checkpoint_with_missing_weights_refuses_to_load(tiny: Path, tmp_path: Path) -> None:
    from safetensors.torch import load_file, save_file

    broken = shutil.copytree(tiny / PARSER_DIRNAME, tmp_path / "broken")
    state = load_file(broken / "model.safetensors")
    state.pop(next(k for k in state if k.endswith("lm_head.weight")))
    save_file(state, broken / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(RuntimeLoadError, match="does not match"):
        runtime("draft_parser", broken)


def test_a_folder_without_weights_refuses_to_load(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "gemma3"}')
    with pytest.raises(RuntimeLoadError, match="cannot load grounder"):
        runtime("grounder", tmp_path)


def test_grounder_decode_drops_added_control_tokens(grounder) -> None:
    ids = grounder.tokenizer.convert_tokens_to_ids(["<start_of_turn>", "<start_of_image>"])
    text_ids = grounder.tokenizer.encode("[]", add_special_tokens=False)
    assert grounder._decode([ids[0], *text_ids, ids[1]])[0] == "[]"
