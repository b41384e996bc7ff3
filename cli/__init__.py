"""``cxr-auditor``: one entry point; each subcommand lives in its own module with ``register()``.

Errors from bad input are one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cxr_auditor.core.errors import AuditorError

# Subcommand modules, each exposing register(subparsers) that sets ``func`` on its parser.
_COMMANDS = (
    "cxr_auditor.cli.audit",
    "cxr_auditor.cli.parse",
    "cxr_auditor.cli.cases",
    "cxr_auditor.cli.app",
    "cxr_auditor.cli.serve",
    "cxr_auditor.cli.models",
    "cxr_auditor.cli.eval",
    "cxr_auditor.cli.train",
)


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="cxr-auditor",
        description="Audit chest X-ray draft impressions against an image read. "
        "Research and education only; not a medical device.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in _COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (CliError, AuditorError, OSError) as error:
        print(f"cxr-auditor {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"cxr-auditor {args.command}: interrupted", file=sys.stderr)
        return 130
