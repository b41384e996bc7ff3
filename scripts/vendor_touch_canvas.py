"""Regenerate ui/components/touch_canvas/assets/ from the pinned streamlit-drawable-canvas wheel.

Run after changing the pin (and review the diff): ``python scripts/vendor_touch_canvas.py``. It
reads the installed package's frontend build, checks that it is exactly the upstream 0.13.0 build
this patch was written for (sha256), applies the one-token touch fix and the drag hand-over on a
label change, appends the fit CSS, copies
the MIT licence, and writes the hashes the app checks at start-up into ``VENDORED.toml``.
This script is a maintainer's tool: the app never patches anything at run time.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "ui" / "components" / "touch_canvas"
UPSTREAM_VERSION = "0.13.0"
UPSTREAM_JS_SHA256 = "40c729b5694331c848834c38423b7fd2f5dcc5685d178c40e2b3ed6fe67a0a35"
UPSTREAM_CSS_SHA256 = "ab2979a4639ac61a54c28c0ba65985ba8e9aaaf235d6601851adf24d5bb22188"
from cxr_auditor.ui.components.touch_canvas.bundle import BundleError, patch  # noqa: E402

FIT_CSS = (TARGET / "fit.css").read_text(encoding="utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    version = importlib.metadata.version("streamlit-drawable-canvas")
    if version != UPSTREAM_VERSION:
        sys.exit(
            f"streamlit-drawable-canvas {version} installed, the patch is for {UPSTREAM_VERSION}"
        )
    # Located, not imported: importing it outside a Streamlit run fails (file-backed assets).
    spec = importlib.util.find_spec("streamlit_drawable_canvas")
    if spec is None or spec.origin is None:
        sys.exit("streamlit-drawable-canvas is not installed")
    package = Path(spec.origin).parent
    build = package / "frontend" / "build"
    (js_path,) = build.glob("index-*.js")
    js = js_path.read_bytes()
    css = (build / "index-style.css").read_bytes()
    if sha256(js) != UPSTREAM_JS_SHA256 or sha256(css) != UPSTREAM_CSS_SHA256:
        sys.exit("the installed frontend build is not the one this patch was written for")
    try:
        patched = patch(js.decode("utf-8")).encode("utf-8")
    except BundleError as error:
        sys.exit(str(error))
    out_css = css + b"\n/* cxr_auditor fit and touch CSS (see fit.css) */\n" + FIT_CSS.encode()
    out = TARGET / "assets"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    js_name = f"index-touch-{sha256(patched)[:10]}.js"
    (out / js_name).write_bytes(patched)
    (out / "index-style.css").write_bytes(out_css)
    licence = package.parent / (f"streamlit_drawable_canvas-{version}.dist-info/licenses/LICENSE")
    shutil.copyfile(licence, TARGET / "LICENSE")
    (TARGET / "VENDORED.toml").write_text(
        "# Written by scripts/vendor_touch_canvas.py; checked by the app at start-up.\n"
        f'upstream = "streamlit-drawable-canvas"\nupstream_version = "{version}"\n'
        f'upstream_js_sha256 = "{UPSTREAM_JS_SHA256}"\n'
        f'upstream_css_sha256 = "{UPSTREAM_CSS_SHA256}"\n'
        f'js = "{js_name}"\njs_sha256 = "{sha256(patched)}"\n'
        f'css = "index-style.css"\ncss_sha256 = "{sha256(out_css)}"\n',
        encoding="utf-8",
    )
    print(f"wrote {out / js_name} and index-style.css")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
