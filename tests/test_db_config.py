"""Where the teaching database lives: one setting per row."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxr_auditor.db.config import (
    DatabaseConfigError,
    data_dir,
    database_url,
    display_url,
    normalize_url,
)


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"CXR_DATA_DIR": "/srv/cxr"}, "sqlite:////srv/cxr/cxr_auditor.sqlite3"),
        ({"XDG_DATA_HOME": "/xdg"}, "sqlite:////xdg/cxr-auditor/cxr_auditor.sqlite3"),
        (
            {"CXR_DATA_DIR": "/srv/cxr", "XDG_DATA_HOME": "/xdg"},
            "sqlite:////srv/cxr/cxr_auditor.sqlite3",
        ),
        ({"CXR_DATABASE_URL": "sqlite:////tmp/other.db"}, "sqlite:////tmp/other.db"),
        (
            {"CXR_DATABASE_URL": "postgresql://cxr:pw@db:5432/teaching"},
            "postgresql+psycopg://cxr:pw@db:5432/teaching",
        ),
        (
            {"CXR_DATABASE_URL": "postgres://cxr@db/teaching"},
            "postgresql+psycopg://cxr@db/teaching",
        ),
        (
            {"CXR_DATABASE_URL": "  postgresql+psycopg://cxr@db/teaching "},
            "postgresql+psycopg://cxr@db/teaching",
        ),
    ],
)
def test_the_configured_database(env, expected):
    assert database_url(env).render_as_string(hide_password=False) == expected


def test_without_settings_the_sqlite_file_is_in_the_users_data_folder():
    assert data_dir({}) == Path.home() / ".local" / "share" / "cxr-auditor"
    assert database_url({}).database == str(data_dir({}) / "cxr_auditor.sqlite3")


@pytest.mark.parametrize(
    "raw, message",
    [
        ("mysql://root:hunter2@db/teaching", "not supported; allowed: sqlite, postgresql"),
        ("not a url with hunter2", "is not a database URL"),
    ],
)
def test_other_databases_are_refused_without_echoing_the_password(raw, message):
    with pytest.raises(DatabaseConfigError, match=message) as caught:
        normalize_url(raw)
    assert "hunter2" not in str(caught.value)


def test_the_displayed_url_hides_the_password():
    shown = display_url(database_url({"CXR_DATABASE_URL": "postgresql://cxr:hunter2@db/t"}))
    assert "hunter2" not in shown and "cxr:***@db" in shown
