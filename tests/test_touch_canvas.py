"""The vendored canvas bundle: exactly upstream 0.13.0 plus the touch patch and the fit CSS.

A bundle whose files differ from ``VENDORED.toml`` (a half-done update, an edit by hand) or lack
the touch patch stops the app with ``BundleError`` instead of serving a canvas that ignores touch.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path

import pytest

from cxr_auditor.ui.components.touch_canvas import bundle
from cxr_auditor.ui.components.touch_canvas.bundle import BundleError, check

HERE = bundle.HERE


def copy(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(HERE / "assets", tmp_path / "assets")
    shutil.copyfile(HERE / "VENDORED.toml", tmp_path / "VENDORED.toml")
    return tmp_path / "assets", tmp_path / "VENDORED.toml"


def test_the_shipped_bundle_passes_its_check_and_keeps_the_mit_licence():
    found = check()
    assert found.upstream_version == "0.13.0"
    licence = (HERE / "LICENSE").read_text(encoding="utf-8")
    assert "MIT" in licence or "Permission is hereby granted" in licence
    assert "Fanilo Andrianasolo" in licence


def test_an_altered_bundle_stops_the_app(tmp_path):
    build, manifest = copy(tmp_path)
    (build / "index-style.css").write_text("/* edited */", encoding="utf-8")
    with pytest.raises(BundleError, match="differs"):
        check(build, manifest)


def test_a_bundle_without_the_touch_patch_stops_the_app(tmp_path):
    build, manifest = copy(tmp_path)
    record = manifest.read_text(encoding="utf-8")
    js = build / check().js
    unpatched = js.read_text(encoding="utf-8").replace(bundle.TOUCH_NEW, bundle.TOUCH_OLD)
    js.write_text(unpatched, encoding="utf-8")
    digest = hashlib.sha256(unpatched.encode()).hexdigest()
    old_digest = record.split('\njs_sha256 = "')[1].split('"')[0]
    manifest.write_text(record.replace(old_digest, digest), encoding="utf-8")
    with pytest.raises(BundleError, match="touch patch"):
        check(build, manifest)


def test_the_vendored_build_is_upstream_plus_the_touch_and_hand_over_patches():
    spec = importlib.util.find_spec("streamlit_drawable_canvas")
    if spec is None or spec.origin is None:
        pytest.skip("streamlit-drawable-canvas is not installed")
    upstream = Path(spec.origin).parent / "frontend" / "build"
    (upstream_js,) = upstream.glob("index-*.js")
    expected = bundle.patch(upstream_js.read_text(encoding="utf-8"))
    assert (HERE / "assets" / check().js).read_text(encoding="utf-8") == expected
    css = (HERE / "assets" / "index-style.css").read_text(encoding="utf-8")
    assert css.startswith((upstream / "index-style.css").read_text(encoding="utf-8"))
    assert (HERE / "fit.css").read_text(encoding="utf-8") in css
