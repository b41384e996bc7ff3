"""Upload and reference-read errors in plain words for the page (no paths, bytes or class names).

The decoders (``serving.upload``, ``core.reference``) write one-line errors for developers and the
CLI: ``uploaded file.png: image is not PNG or JPEG (starts with b'Impressi')``, ``the reference read
$[0]: label 'fracture' is not canonical; allowed: pleural_effusion, ...``. These functions keep the
reason and drop what only a developer can use: the internal file name, JSON paths, raw bytes,
exception class names, snake_case label ids. Nothing here renders.
"""

from __future__ import annotations

import re

from cxr_auditor.core.labels import LABELS, display_name

_FILE_PREFIX = re.compile(r"^\s*uploaded file(\.\w+)?:\s*")
_RAW_BYTES = re.compile(r"\s*\(starts with b['\"].*?['\"]\)")
_CLASS_NAME = re.compile(r"\s*\((?:[A-Z]\w*(?:Error|Exception))\)")
_JSON_PATH = re.compile(r"(?:the reference read\s*)?\$\[(\d+)\](?:\.(\w+))?:?\s*")
_NOT_CANONICAL = re.compile(r"label '([^']*)' is not canonical; allowed: .*$")
_BOX_SHAPE = re.compile(r"expected \[y0, x0, y1, x1\] \(4 numbers\), got .*$")
_JSON_DETAIL = re.compile(r"not valid JSON \((.*?) at line (\d+) column (\d+)[^)]*\)")


def _labels_in_words() -> str:
    return ", ".join(display_name(label) for label in LABELS)


def upload_error(message: str) -> str:
    """An image decoder's error as the learner should read it."""
    text = _FILE_PREFIX.sub("", message)
    text = _RAW_BYTES.sub(" (it looks like another kind of file)", text)
    return _CLASS_NAME.sub("", text)


def reference_error(message: str) -> str:
    """A reference-read error as the learner should read it (entries counted from 1)."""
    text = message.replace("the reference read:", "").strip()

    def entry(match: re.Match[str]) -> str:
        return f"entry {int(match.group(1)) + 1}: "

    text = _JSON_PATH.sub(entry, text)
    text = re.sub(r"(entry \d+: )+", lambda m: m.group(0).split(": ")[0] + ": ", text)
    text = _NOT_CANONICAL.sub(
        lambda m: (
            f"the label '{m.group(1)}' is not one this tool checks; use one of: "
            f"{_labels_in_words()}"
        ),
        text,
    )
    text = _BOX_SHAPE.sub(
        "the box must be four numbers [y0, x0, y1, x1], each from 0 to 1, or null", text
    )
    text = _JSON_DETAIL.sub(r"not valid JSON (line \2, column \3)", text)
    return text.replace("box_2d", "box")
