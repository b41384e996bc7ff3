"""Alembic environment for the teaching database (run by ``ui.services.db.migrate``).

The app passes an open connection in ``config.attributes["connection"]`` (it holds the migration
lock); without one, the configured database (``CXR_DATABASE_URL``) is used. Offline mode writes the
SQL for a DBA to review. SQLite gets batch mode, so later ALTERs work there too.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from cxr_auditor.db.config import database_url
from cxr_auditor.db.models import Base

config = context.config


def _configure(**kwargs: Any) -> None:
    context.configure(target_metadata=Base.metadata, compare_type=True, **kwargs)


def run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or database_url()
    _configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
elif config.attributes.get("connection") is not None:
    run_online(config.attributes["connection"])
else:
    from cxr_auditor.db.engine import make_engine

    with make_engine(database_url()).connect() as own:
        run_online(own)
        own.commit()
