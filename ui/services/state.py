"""The app's session state: every key and its starting value, in one place.

``ui/app.py`` applies these defaults once per session; pages read and write only these keys (widget
keys included, so a widget's starting value is set here and not in the widget call).
"""

from __future__ import annotations

from typing import Any, Protocol

LIBRARY, UPLOAD = "Library case", "Upload an image"
ALL_FLAGS = 0  # focus value meaning "show every flag"

DEFAULTS: dict[str, Any] = {
    "source": LIBRARY,  # radio: where the image comes from
    "case_id": None,  # selectbox: the library case (None: the first)
    "draft": "",  # text area: the draft impression
    "image_read_choice": None,  # radio: which image read the audit uses (None: the default)
    "show_reference": True,  # checkbox: draw reference boxes
    "show_model": True,  # checkbox: draw model boxes
    "focus": ALL_FLAGS,  # selectbox: one flag's phrase and box, or all
    "last_audit": None,  # AuditView of the last audit run, or None
    "library_findings": [],  # Case library filters (empty: all)
    "library_sources": [],
    "library_completeness": "any",
    "library_difficulties": [],
    "library_page": 1,  # selectbox: which page of thumbnails
    "library_revealed": [],  # case ids whose answer this tab has shown on the case page
}
# Widgets whose keys depend on the input, and so start with values from it, not from DEFAULTS:
# "upload", "reference_upload" (file uploaders) and "wl_center_<digest>", "wl_width_<digest>" (the
# DICOM window sliders, one pair per image, starting at the header's window).


class SessionState(Protocol):
    """What setting defaults needs of a state: ``st.session_state`` (whose keys may also be ints,
    so it is no ``MutableMapping[str, Any]``) or a plain dict in tests."""

    def __contains__(self, key: object, /) -> bool: ...

    def __setitem__(self, key: str, value: Any, /) -> None: ...


def init_state(state: SessionState) -> None:
    """Set every missing key to its default; never overwrite a value already there."""
    for key, value in DEFAULTS.items():
        if key not in state:
            state[key] = value
