"""The vendored canvas bundle's integrity check: the files are the ones ``VENDORED.toml`` names.

``scripts/vendor_touch_canvas.py`` writes ``assets/`` and ``VENDORED.toml`` from the pinned
streamlit-drawable-canvas 0.13.0 wheel plus one patched token (touch), the drag hand-over on a
label change (``patch``) and the fit CSS.
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
# A new finding label arriving while a finger or mouse is down (the rerun of a label change just
# before the drag) replaces the drawing tool; the new tool never saw the press, so the box stayed at
# its 10 px seed with the old label (a "stray click"). Hand the drag over to the new tool instead,
# with the new label. Three (old, new) pairs, each expected once, in the
# tool set-up function.
HANDOVER = (
    (
        "if (e.activeToolCleanup?.(), e.activeToolCleanup = null, t.disabled) {",
        "const cxrPrev = e.cxrTool;\n"
        "  if (e.cxrTool = null, e.activeToolCleanup?.(), e.activeToolCleanup = null, "
        "t.disabled) {",
    ),
    (
        "  e.activeToolCleanup = new (e.editActive ? gi.edit : gi[t.drawingMode] ?? gi.freedraw)"
        "(e.canvas).configureCanvas({",
        "  const cxrTool = e.cxrTool = new (e.editActive ? gi.edit : gi[t.drawingMode] ?? "
        "gi.freedraw)(e.canvas);\n  e.activeToolCleanup = cxrTool.configureCanvas({",
    ),
    (
        '    pointEditCornerStrokeColor: ro(e.container, "--st-background-color", "#fff")\n'
        "  });\n}, ha = (e, t) => {",
        '    pointEditCornerStrokeColor: ro(e.container, "--st-background-color", "#fff")\n'
        "  });\n"
        "  cxrPrev?.isMouseDown && cxrPrev.constructor === cxrTool.constructor && "
        "cxrPrev.currentRect && (Object.assign(cxrTool, { isMouseDown: !0, currentRect: "
        "cxrPrev.currentRect, currentStartX: cxrPrev.currentStartX, currentStartY: "
        "cxrPrev.currentStartY }), cxrTool.label !== void 0 && cxrPrev.currentRect.set({ label: "
        "cxrTool.label }), e.canvas.requestRenderAll());\n}, ha = (e, t) => {",
    ),
)


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
    if any(after not in text for _before, after in HANDOVER):
        raise BundleError("canvas bundle lacks the drag hand-over patch (label change mid-drag)")
    return Bundle(record["js"], record["css"], record["upstream_version"])


def patch(upstream: str) -> str:
    """The upstream 0.13.0 build with the touch token and the drag hand-over applied (BundleError
    when the text is not the one these patches were written for)."""
    if upstream.count(TOUCH_OLD) != 2:
        raise BundleError(f"expected the rect test twice, found {upstream.count(TOUCH_OLD)}")
    text = upstream.replace(TOUCH_OLD, TOUCH_NEW)
    for before, after in HANDOVER:
        if text.count(before) != 1:
            raise BundleError(f"expected once, found {text.count(before)} times: {before[:60]}")
        text = text.replace(before, after)
    return text


@cache
def verify_bundle() -> Bundle:
    """``check()`` once per process."""
    return check()
