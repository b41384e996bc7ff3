"""Cached loaders shared by the pages (not a page itself): library, readers, decoded images.

Streamlit caches are keyed by the arguments, so each takes plain values (paths as strings, bytes).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cxr_auditor.core.case_format import Library, library_root, load_library
from cxr_auditor.serving.readers import Readers, make_readers, server_status
from cxr_auditor.serving.upload import Picture, decode_upload


@st.cache_resource(show_spinner=False)
def library(root: str) -> Library:
    return load_library(Path(root))


def catalogue() -> Library:
    """Every case the pages offer: the bundled library (``$CXR_CASE_LIBRARY`` or the package's)."""
    return library(str(library_root()))


@st.cache_resource(show_spinner=False)
def readers(url: str | None) -> Readers:
    return make_readers(url)


@st.cache_data(show_spinner=False, ttl=30)
def status(url: str | None) -> tuple[bool, str]:
    """The model server's readiness, checked at most every 30 s."""
    return server_status(readers(url))


@st.cache_resource(show_spinner=False, max_entries=8)
def picture(data: bytes, name: str) -> Picture:
    """Decoded image; an ImageError is raised again on every call (errors are not cached)."""
    return decode_upload(data, name)
