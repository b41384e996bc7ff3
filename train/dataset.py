"""SFT records to the dataset TRL's ``SFTTrainer`` reads (vision, prompt-completion).

Each row is ``{"images": [image], "prompt": [...], "completion": [...]}``; the images column is a
``datasets`` Image feature, so files are decoded lazily, batch by batch. A relative ``image`` path
is resolved against ``image_root``. A record whose image file is missing is an error naming such
records: training never silently runs on fewer images than the records say. Needs the ``[train]``
extra (``datasets``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cxr_auditor.core.errors import InputError


def image_file(record: dict[str, Any], image_root: Path | None) -> Path:
    path = Path(record["image"])
    if not path.is_absolute() and image_root is not None:
        path = Path(image_root) / path
    return path


def to_dataset(records: Sequence[dict[str, Any]], image_root: Path | None = None) -> Any:
    """A ``datasets.Dataset`` with images, prompt and completion (in record order)."""
    import datasets

    if not records:
        raise InputError("no SFT records to train on")
    paths = [image_file(r, image_root) for r in records]
    missing = [f"{r['id']} ({p})" for r, p in zip(records, paths) if not p.is_file()]
    if missing:
        raise InputError(
            f"{len(missing)} record image(s) not found, e.g. {missing[:5]}; "
            "pass --image-root for relative paths"
        )
    rows = [
        {"images": [str(p)], "prompt": r["prompt"], "completion": r["completion"]}
        for r, p in zip(records, paths)
    ]
    dataset = datasets.Dataset.from_list(rows)
    return dataset.cast_column("images", datasets.List(datasets.Image()))
