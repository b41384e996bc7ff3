"""Cached loaders shared by the pages (not a page itself): the database engine, the case catalogue,
readers, decoded images.

Streamlit caches are keyed by the arguments, so each takes plain values (paths as strings, bytes).
``catalogue()`` is the bundled library plus the instructors' cases that are ready for use (source,
licence and attribution given, ``db.case_store``). Those are cached under the table's fingerprint
(``catalogue_version``, one small query per call), so a case saved or deleted in any app process
is offered on the next page run, without a restart. Without a usable database the catalogue is the
bundled library alone (the teaching pages say what is wrong with the database).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from cxr_auditor.core.case_format import Library, library_root, load_library
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.db import case_store, open_database
from cxr_auditor.db.config import database_url
from cxr_auditor.serving.readers import Readers, make_readers, server_status
from cxr_auditor.serving.upload import Picture, decode_upload


@st.cache_resource(show_spinner=False)
def library(root: str) -> Library:
    return load_library(Path(root))


@st.cache_resource(show_spinner="Opening the teaching database…")
def engine(url: str) -> Engine:
    """The database at ``url``, migrated once per app process."""
    return open_database(url)


@st.cache_resource(show_spinner=False, max_entries=4)
def _with_authored(root: str, url: str, version: str) -> Library:
    bundled = library(root)
    authored, problems = case_store.usable_cases(engine(url))
    known = {loaded.case.id for loaded in bundled.cases}
    extra = [loaded for loaded in authored if loaded.case.id not in known]
    return Library(
        root=bundled.root,
        cases=sorted(bundled.cases + extra, key=lambda loaded: loaded.case.id),
        problems=bundled.problems + problems,
    )


def catalogue() -> Library:
    """Every case the pages offer: the bundled library (``$CXR_CASE_LIBRARY`` or the package's) and
    the instructors' cases ready for use (see the module docstring)."""
    root = str(library_root())
    try:
        url = database_url().render_as_string(hide_password=False)
        version = case_store.catalogue_version(engine(url))
    except (AuditorError, SQLAlchemyError):
        return library(root)
    return _with_authored(root, url, version)


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
