"""The answer-only loss, checked on a real collated batch.

TRL's completion-only loss sets the label of every prompt token (system and user text, the image
soft tokens and their begin/end markers) to -100 and keeps the answer's tokens. ``check_batch``
verifies that from the outside on the batch the trainer will use, for each row:

- the labelled positions are one contiguous run at the end of the row's real (non-pad) tokens;
- on that run the labels equal the input ids, and the run decodes to the answer text followed only
  by the end-of-turn marker and whitespace;
- every image token, and every token before the run, has label -100.

The training command runs it on the first batch before training (the original implementation's
loss silently covered the prompt); the tests run it too. It returns the problems found, [] when
the mask is right. Needs torch (the ``[train]`` extra).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

IGNORE = -100


def _image_token_ids(processor: Any) -> set[int]:
    tokenizer = getattr(processor, "tokenizer", processor)
    ids = set()
    for name in ("image_token", "boi_token", "eoi_token"):
        token = getattr(tokenizer, name, None)
        if token:
            ids.add(int(tokenizer.convert_tokens_to_ids(token)))
    return ids


def check_batch(batch: dict[str, Any], processor: Any, answers: Sequence[str]) -> list[str]:
    """Problems with the answer-only labels of ``batch`` (rows aligned with ``answers``)."""
    tokenizer = getattr(processor, "tokenizer", processor)
    image_ids = _image_token_ids(processor)
    problems = []
    ids_all, labels_all, mask_all = batch["input_ids"], batch["labels"], batch["attention_mask"]
    for row, answer in enumerate(answers):
        ids, labels, mask = ids_all[row].tolist(), labels_all[row].tolist(), mask_all[row].tolist()
        real = [i for i, m in enumerate(mask) if m]
        kept = [i for i, lab in enumerate(labels) if lab != IGNORE]
        where = f"row {row}"
        if not kept:
            problems.append(f"{where}: no labelled token (the answer would not be learned)")
            continue
        if kept != list(range(kept[0], kept[-1] + 1)) or kept[-1] != real[-1]:
            problems.append(f"{where}: labelled tokens are not one run ending the sequence")
        if any(labels[i] != ids[i] for i in kept):
            problems.append(f"{where}: labels differ from the input ids on the answer")
        if any(ids[i] in image_ids for i in kept):
            problems.append(f"{where}: an image token is labelled")
        before = [i for i in real if i < kept[0]]
        if any(labels[i] != IGNORE for i in before):
            problems.append(f"{where}: a prompt token is labelled")
        text = tokenizer.decode([ids[i] for i in kept], skip_special_tokens=False)
        rest = text[len(answer) :] if text.startswith(answer) else None
        end_marks = {tokenizer.decode([t]) for t in _end_ids(tokenizer)}
        if rest is None:
            problems.append(f"{where}: labelled text {text[:80]!r} does not start with the answer")
        elif _strip_marks(rest, end_marks).strip():
            problems.append(f"{where}: labelled text has {rest!r} after the answer")
    return problems


def _end_ids(tokenizer: Any) -> set[int]:
    ids = {tokenizer.eos_token_id} if tokenizer.eos_token_id is not None else set()
    for token in ("<end_of_turn>", "<|im_end|>", "<eos>"):
        token_id = tokenizer.convert_tokens_to_ids(token)
        if isinstance(token_id, int) and token_id != tokenizer.unk_token_id:
            ids.add(token_id)
    return ids


def _strip_marks(text: str, marks: set[str]) -> str:
    for mark in sorted(marks, key=len, reverse=True):
        text = text.replace(mark, "")
    return text


def answers_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The answer text of dataset rows (``completion``: one assistant turn)."""
    return [
        "".join(part.get("text", "") for part in row["completion"][0]["content"]) for row in rows
    ]
