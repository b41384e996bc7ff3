"""The fine-tuning pipeline end to end on a tiny random-weight Gemma 3, LoRA in fp32 on the CPU.

records -> curate -> SFT (a few steps, answer-only loss) -> merge into a clean base -> merge check,
then the merge check must fail on tampered merges. The tiny checkpoint comes from
``serving.tiny_models`` (built here, nothing downloaded). About 30 s on two CPU cores.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("trl")
pytest.importorskip("peft")
pytest.importorskip("datasets")

from PIL import Image

from cxr_auditor.cli import main
from cxr_auditor.serving.tiny_models import make_tiny_grounder
from cxr_auditor.train.checkpoint import load_model
from cxr_auditor.train.loss_mask import IGNORE, answers_of, check_batch
from cxr_auditor.train.merge import merge_and_check
from cxr_auditor.train.records import read_records
from cxr_auditor.train.settings import recipe
from cxr_auditor.train.sft import build_trainer
from cxr_auditor.train.verify import verify_merge

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "datasets"
STEPS = 4
pytestmark = pytest.mark.filterwarnings(  # raised inside peft/transformers, not by train/
    "ignore:`is_gradient_checkpointing` is deprecated:FutureWarning"
)


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    """The tiny base as built (bf16, like MedGemma) and the same weights in fp32."""
    root = tmp_path_factory.mktemp("tiny")
    bf16 = make_tiny_grounder(root / "bf16")
    model, processor = load_model(bf16, dtype=torch.float32)
    model.save_pretrained(root / "fp32")
    processor.save_pretrained(root / "fp32")
    return {"bf16": bf16, "fp32": root / "fp32"}


@pytest.fixture(scope="module")
def run(bases, tmp_path_factory):
    """records -> curate -> sft -> merge through the CLI, as the README documents it."""
    root = tmp_path_factory.mktemp("pipeline")
    images = root / "images"
    images.mkdir()
    for n in range(1, 5):
        pixels = np.random.default_rng(n).integers(0, 255, (72, 64), dtype=np.uint8)
        Image.fromarray(pixels).save(images / f"9000{n}.png")
    steps = [
        [
            "train",
            "records",
            "--chestx-det",
            str(FIXTURES / "chestx_det_sample.json"),
            "--images",
            str(images),
            "--out",
            str(root / "records.jsonl"),
        ],
        [
            "train",
            "curate",
            "--in",
            str(root / "records.jsonl"),
            "--out-dir",
            str(root / "sft"),
            "--val-fraction",
            "0",
        ],
        [
            "train",
            "sft",
            "--base",
            str(bases["fp32"]),
            "--train",
            str(root / "sft/train.jsonl"),
            "--out",
            str(root / "run"),
            "--recipe",
            "cpu-lora",
            "--max-steps",
            str(STEPS),
            "--lr",
            "0.02",
        ],
        [
            "train",
            "merge",
            "--base",
            str(bases["fp32"]),
            "--adapter",
            str(root / "run/adapter"),
            "--out",
            str(root / "merged"),
        ],
    ]
    for argv in steps:
        assert main(argv) == 0, argv
    return root


def test_records_and_curation_from_the_cli(run):
    records = read_records(run / "sft" / "train.jsonl")
    # 90003 holds only categories outside the six labels: left out, never trained as normal
    assert sorted(r["id"] for r in records) == ["90001.png", "90002.png", "90004.png"]
    report = json.loads((run / "sft" / "curation.json").read_text())
    assert report["selection"]["after"]["records"] == 3


def test_training_ran_and_saved_an_adapter(run):
    summary = json.loads((run / "run" / "train_summary.json").read_text())
    losses = [e["loss"] for e in summary["log_history"] if "loss" in e]
    assert len(losses) == STEPS and all(np.isfinite(losses))
    assert summary["loss_mask"] == "checked: answer only"
    assert (run / "run" / "adapter" / "adapter_config.json").is_file()


def test_the_loss_covers_exactly_the_answer_tokens(bases, run):
    settings = recipe("cpu-lora", str(bases["fp32"]))
    trainer = build_trainer(settings, read_records(run / "sft" / "train.jsonl"), [], run / "mask")
    rows = [trainer.train_dataset[i] for i in range(3)]
    answers = answers_of(rows)
    batch = trainer.data_collator([dict(row) for row in rows])
    tokenizer = trainer.processing_class.tokenizer
    image_ids = {
        tokenizer.convert_tokens_to_ids(t)
        for t in (tokenizer.image_token, tokenizer.boi_token, tokenizer.eoi_token)
    }
    for row, answer in enumerate(answers):
        ids, labels = batch["input_ids"][row].tolist(), batch["labels"][row].tolist()
        real = batch["attention_mask"][row].tolist()
        answer_ids = tokenizer(answer, add_special_tokens=False)["input_ids"]
        start = max(
            i
            for i in range(len(ids) - len(answer_ids) + 1)
            if ids[i : i + len(answer_ids)] == answer_ids
        )
        end = start + len(answer_ids)
        assert all(labels[i] == IGNORE for i in range(start))  # system, prompt and image
        assert sum(ids[i] in image_ids for i in range(start)) >= 16
        assert labels[start:end] == ids[start:end]  # the answer is learned...
        tail = [i for i in range(end, len(ids)) if real[i]]
        assert [labels[i] for i in tail] == [ids[i] for i in tail]  # ...and its end of turn
        assert tokenizer.decode([ids[i] for i in tail]).strip() == "<end_of_turn>"
        assert all(labels[i] == IGNORE for i in range(len(ids)) if not real[i])
    assert check_batch(batch, trainer.processing_class, answers) == []
    # the original's loss: every real token (prompt and image included) is learned
    whole = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, IGNORE)
    problems = check_batch(dict(batch, labels=whole), trainer.processing_class, answers)
    assert len(problems) >= 2 * len(answers)
    assert any("an image token is labelled" in p for p in problems)
    assert any("does not start with the answer" in p for p in problems)


@pytest.mark.parametrize("base_kind", ["fp32", "bf16"])
def test_the_merge_is_proven_equal_to_base_plus_adapter(base_kind, bases, run, tmp_path):
    if base_kind == "fp32":
        merged = run / "merged"
        check = json.loads((merged / "merge_check.json").read_text())
    else:
        check = merge_and_check(bases["bf16"], run / "run" / "adapter", tmp_path).summary()
    assert check["ok"], check["problems"]
    assert check["n_lora_weights"] == check["n_lora_changed"] > 0
    assert check["n_untouched"] > check["n_lora_weights"]
    assert check["logits_change"] > 0 and check["logits_agreement"] < check["logits_change"]


def _tampered(bases, run, tmp_path, change):
    model, processor = load_model(run / "merged")
    base, _ = load_model(bases["fp32"])
    change(dict(model.named_parameters()), dict(base.named_parameters()))
    model.save_pretrained(tmp_path)
    processor.save_pretrained(tmp_path)
    return tmp_path


def _nudge_a_norm(merged, base):
    name = next(n for n in merged if "norm" in n)
    with torch.no_grad():
        merged[name].view(-1)[0] = torch.nextafter(
            merged[name].view(-1)[0], torch.tensor(float("inf"))
        )


def _halve_a_delta(merged, base):
    name = next(n for n in merged if "q_proj" in n and "language_model" in n)
    with torch.no_grad():
        merged[name].copy_((merged[name] + base[name]) / 2)


def _undo_the_merge(merged, base):
    with torch.no_grad():
        for name, tensor in merged.items():
            tensor.copy_(base[name])


@pytest.mark.parametrize(
    "change, message",
    [
        (_nudge_a_norm, "not targeted by the adapter but changed"),
        (_halve_a_delta, "merged weight is not base + B@A*scaling"),
        (_undo_the_merge, "no targeted weight changed"),
    ],
)
def test_the_merge_check_fails_on_a_wrong_merge(change, message, bases, run, tmp_path):
    tampered = _tampered(bases, run, tmp_path, change)
    check = verify_merge(bases["fp32"], run / "run" / "adapter", tampered)
    assert not check.ok
    assert any(message in problem for problem in check.problems), check.problems


def test_the_verify_command_exits_2_on_a_wrong_merge(bases, run, tmp_path, capsys):
    tampered = _tampered(bases, run, tmp_path, _undo_the_merge)
    code = main(
        [
            "train",
            "verify",
            "--base",
            str(bases["fp32"]),
            "--adapter",
            str(run / "run" / "adapter"),
            "--merged",
            str(tampered),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2 and "FAIL" in out and "merge check failed" in err


def test_qlora_needs_a_gpu(bases, run):
    if torch.cuda.is_available():
        pytest.skip("a GPU is present: the QLoRA recipe would run")
    from cxr_auditor.train.sft import TrainError

    settings = recipe("gpu-qlora", str(bases["fp32"]))
    with pytest.raises(TrainError, match="needs a CUDA GPU"):
        build_trainer(settings, read_records(run / "sft" / "train.jsonl"), [], run / "q")


def test_the_merged_folder_is_a_clean_checkpoint_in_the_base_dtype(bases, run):
    model, processor = load_model(run / "merged")
    base, _ = load_model(bases["fp32"])
    assert not any("lora" in name for name, _ in model.named_parameters())
    assert model.dtype == base.dtype and type(model) is type(base)
    assert processor.tokenizer.image_token == "<image_soft_token>"
