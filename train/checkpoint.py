"""Loading a grounder checkpoint (model and processor) for merging and for the merge check.

Shared by ``merge`` and ``verify`` so that neither imports the other. transformers is imported
when a checkpoint is loaded, not when this module is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_model(path: str | Path, dtype: Any = "auto") -> tuple[Any, Any]:
    """The model (in eval mode) and processor saved in ``path``, weights in ``dtype``."""
    from transformers import AutoModelForImageTextToText, AutoProcessor

    model = AutoModelForImageTextToText.from_pretrained(str(path), dtype=dtype)
    return model.eval(), AutoProcessor.from_pretrained(str(path))
