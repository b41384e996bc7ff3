"""The vendored canvas bundle's integrity check: the files are the ones ``VENDORED.toml`` names.

``scripts/vendor_touch_canvas.py`` writes ``assets/`` and ``VENDORED.toml`` from the pinned
streamlit-drawable-canvas 0.13.0 wheel plus one patched token (touch) and the fit CSS.
``verify_bundle`` runs at start-up (``cxr-auditor app`` and the first canvas on a page) and raises
``BundleError`` when a file is missing, altered or the touch patch is absent, so a broken or
half-updated bundle stops the app with one clear line instead of a canvas that silently ignores
touches. It imports no Streamlit and renders nothing.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE / "assets"  # not build/: .gitignore drops build folders
MANIFEST = HERE / "VENDORED.toml"
TOUCH_OLD = "r === 0 && t.add(this.currentRect)"
TOUCH_NEW = "(r === 0 || r === void 0) && t.add(this.currentRect)"


class BundleError(RuntimeError):
    """The vendored canvas bundle is missing or is not the one recorded in VENDORED.toml."""


@dataclass(frozen=True)
class Bundle:
    js: str  # file name inside assets/
    css: str
    upstream_version: str


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(build: Path = BUILD, manifest: Path = MANIFEST) -> Bundle:
    """The recorded bundle after checking every file against its hash (BundleError if not)."""
    try:
        record = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BundleError(f"canvas bundle record {manifest} unreadable: {error}") from None
    for kind in ("js", "css"):
        path = build / record[kind]
        if not path.is_file():
            raise BundleError(f"canvas bundle file {path} is missing")
        if _sha256(path) != record[f"{kind}_sha256"]:
            raise BundleError(
                f"canvas bundle file {path} differs from VENDORED.toml; regenerate it with "
                "scripts/vendor_touch_canvas.py"
            )
    text = (build / record["js"]).read_text(encoding="utf-8")
    if text.count(TOUCH_NEW) != 2 or TOUCH_OLD in text.replace(TOUCH_NEW, ""):
        raise BundleError("canvas bundle lacks the touch patch (rect and labeled_rect)")
    return Bundle(record["js"], record["css"], record["upstream_version"])


@cache
def verify_bundle() -> Bundle:
    """``check()`` once per process."""
    return check()
