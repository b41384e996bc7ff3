"""The teaching database: configuration, engine, tables, migrations and row access.

``open_database()`` is what the app calls once per process: the configured URL (``config``), an
engine tuned for concurrent learners (``engine``), the schema brought up to date (``migrate``).
Row access lives in ``store`` (sessions, participants, openings, actions) and ``attempt_store``
(attempts, stored exactly once). ``python -m cxr_auditor.db`` upgrades or inspects a
database.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, Engine

from cxr_auditor.db.config import database_url
from cxr_auditor.db.engine import make_engine
from cxr_auditor.db.migrate import prepare


def open_database(url: URL | str | None = None) -> Engine:
    """An engine on ``url`` (default: the configured database) with the newest schema."""
    engine = make_engine(url if url is not None else database_url())
    prepare(engine)
    return engine
