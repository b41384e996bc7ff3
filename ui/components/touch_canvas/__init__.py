"""The box-drawing canvas: streamlit-drawable-canvas 0.13.0's front end, vendored and patched.

Why vendored (``LICENSE`` is upstream's MIT licence, ``VENDORED.toml`` records provenance and
hashes): upstream 0.13.0 adds a rect only for mouse button 0, so touch drags draw nothing (upstream
issue #105, PR #106 unmerged), and it draws at a fixed pixel width that overflows narrow columns
(#39, #154). ``assets/`` is upstream's build with that one test widened to ``button === undefined``
and CSS that scales the canvas to its column, keeps the toolbar visible in the flow, and adds a
zoom/pan frame. The files are served by Streamlit as this component's assets (cached by the
browser), not inlined into every page message, and are checked against their hashes at start-up.

``touch_canvas`` takes the same arguments upstream's ``st_canvas`` sends and returns
``(json_data, background_fit)``. The drawing itself is read by ``ui.services.canvas``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.components.v2.get_bidi_component_manager import get_bidi_component_manager
from streamlit.components.v2.manifest_scanner import ComponentConfig, ComponentManifest

from cxr_auditor.ui.components.touch_canvas.bundle import HERE, verify_bundle

NAME = "cxr_auditor.touch_canvas"
HTML = '<div class="canvas-root"></div>'


def _component() -> Any:
    """The component callable, registered with the running Streamlit's component manager."""
    bundle = verify_bundle()
    manager = get_bidi_component_manager()
    if manager.get_component_asset_root(NAME) is None:
        manifest = ComponentManifest(
            name="cxr_auditor",
            version=bundle.upstream_version,
            components=[ComponentConfig(name="touch_canvas", asset_dir="assets")],
        )
        manager.register_from_manifest(manifest, HERE)
    return st.components.v2.component(
        NAME, js=bundle.js, css=bundle.css, html=HTML, isolate_styles=True
    )


def touch_canvas(
    *,
    background_url: str,
    width: int,
    height: int,
    label: str,
    stroke_color: str,
    fill_color: str,
    stroke_width: int = 2,
    font_size: int = 13,
    initial_drawing: dict[str, Any] | None = None,
    disabled: bool = False,
    key: str,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Render the canvas in ``labeled_rect`` mode; its Fabric JSON and background fit (or None)."""
    drawing: dict[str, Any] = {"objects": []} if initial_drawing is None else dict(initial_drawing)
    drawing["background"] = ""
    data = {
        "fillColor": fill_color,
        "strokeWidth": stroke_width,
        "strokeColor": stroke_color,
        "backgroundColor": "",
        "backgroundImageURL": background_url,
        "realtimeUpdateStreamlit": True,
        "canvasWidth": width,
        "canvasHeight": height,
        "drawingMode": "labeled_rect",
        "initialDrawing": drawing,
        "displayRadius": 3,
        "returnImageData": False,
        "disabled": disabled,
        "backgroundImageFit": "stretch",
        "maxDisplayHeight": None,
        "fontSize": font_size,
        "label": label,
    }
    result = _component()(
        data=data,
        key=key,
        default={"drawing": {"raw": drawing, "data": None}, "backgroundFit": None},
        on_drawing_change=lambda: None,
        on_backgroundFit_change=lambda: None,
        width="stretch",
        height="content",
    )
    raw = (result.get("drawing") or {}).get("raw")
    return raw, result.get("backgroundFit")
