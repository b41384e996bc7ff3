"""``python -m cxr_auditor.db upgrade|current|sql``: migrate or inspect the teaching
database.

``upgrade`` brings the configured database (``CXR_DATABASE_URL``, or ``--url``) to the newest
schema; ``current`` prints its revision and the newest one; ``sql`` prints the SQL of a full
upgrade for a DBA to review (nothing is run). The URL is printed without its password.
"""

from __future__ import annotations

import argparse
import sys

from cxr_auditor.core.errors import AuditorError
from cxr_auditor.db.config import database_url, display_url, normalize_url
from cxr_auditor.db.engine import make_engine
from cxr_auditor.db.migrate import current_revision, head_revision, offline_sql, upgrade


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxr_auditor.db", description=__doc__)
    parser.add_argument("command", choices=["upgrade", "current", "sql"])
    parser.add_argument("--url", help="database URL (default: CXR_DATABASE_URL or the SQLite file)")
    args = parser.parse_args(argv)
    try:
        url = normalize_url(args.url) if args.url else database_url()
    except AuditorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "sql":
        print(offline_sql(url.render_as_string(hide_password=False)))
        return 0
    engine = make_engine(url)
    if args.command == "upgrade":
        upgrade(engine)
    print(f"{display_url(url)}: revision {current_revision(engine)} (newest {head_revision()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
