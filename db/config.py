"""Where the teaching database lives: ``CXR_DATABASE_URL``, or a SQLite file in the data folder.

- ``CXR_DATABASE_URL`` set: a SQLAlchemy URL. ``postgresql://`` (and ``postgres://``) URLs are
  given the psycopg 3 driver (``postgresql+psycopg://``); ``sqlite:///path`` is taken as is. Any
  other database is refused with the allowed schemes.
- Unset: ``sqlite:///<data folder>/cxr_auditor.sqlite3``, where the data folder is ``CXR_DATA_DIR``
  or ``~/.local/share/cxr-auditor`` (``$XDG_DATA_HOME/cxr-auditor`` when that is set).

This module only computes the URL and a password-free form for display; it opens nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from cxr_auditor.core.errors import InputError

DATABASE_ENV = "CXR_DATABASE_URL"
DATA_DIR_ENV = "CXR_DATA_DIR"
SQLITE_FILE = "cxr_auditor.sqlite3"
ALLOWED_SCHEMES = ("sqlite", "postgresql", "postgres")


class DatabaseConfigError(InputError):
    """A database setting that cannot be used, with the setting and what is allowed."""


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return env if env is not None else os.environ


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$CXR_DATA_DIR``, else ``$XDG_DATA_HOME/cxr-auditor``, else
    ``~/.local/share/cxr-auditor``."""
    values = _env(env)
    chosen = values.get(DATA_DIR_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    xdg = values.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "cxr-auditor"


def normalize_url(raw: str) -> URL:
    """A SQLAlchemy URL for ``raw``; PostgreSQL gets the psycopg 3 driver."""
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise DatabaseConfigError(
            f"{DATABASE_ENV} is not a database URL (its value is not shown: it may hold a "
            "password); expected e.g. "
            "postgresql://user:password@host:5432/dbname or sqlite:////path/to/file.sqlite3"
        ) from None
    backend = url.get_backend_name()
    if backend not in ALLOWED_SCHEMES:
        raise DatabaseConfigError(
            f"{DATABASE_ENV}: database {backend!r} is not supported; allowed: sqlite, postgresql"
        )
    if backend in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def database_url(env: Mapping[str, str] | None = None) -> URL:
    """The configured database (see the module docstring)."""
    raw = _env(env).get(DATABASE_ENV, "").strip()
    if raw:
        return normalize_url(raw)
    return make_url(f"sqlite:///{data_dir(env) / SQLITE_FILE}")


def display_url(url: URL | str) -> str:
    """The URL with any password replaced by ``***`` (for pages and logs)."""
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.render_as_string(hide_password=True)
