"""``python -m cxr_auditor.build_engines COMMAND``: one parser, one module per command
(``register``/``run``).

A failure the user can fix (missing GPU, Hub access, wrong architecture, too little memory, bad
argument) is one line on stderr and exit code 2; ``smoke`` and ``warmup`` exit 1 on FAIL.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from cxr_auditor.core.errors import AuditorError

COMMANDS = (
    "cxr_auditor.build_engines.prepare",
    "cxr_auditor.build_engines.write_repo",
    "cxr_auditor.build_engines.warmup",
    "cxr_auditor.build_engines.smoke",
    "cxr_auditor.build_engines.bench",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cxr_auditor.build_engines",
        description="GPU build and checks of the CXR Draft Auditor models (TensorRT-LLM PyTorch "
        "backend behind Triton). Every command has --dry-run.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(name).register(subparsers)
    return parser


def add_client_arguments(parser: argparse.ArgumentParser, timeout: float = 300.0) -> None:
    """--url/--protocol/--timeout of the commands that talk to a running Triton."""
    protocol = os.environ.get("CXR_TRITON_PROTOCOL", "http")
    parser.add_argument(
        "--protocol",
        choices=("http", "grpc"),
        default=protocol,
        help="default: CXR_TRITON_PROTOCOL or http",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get(
            "CXR_TRITON_URL", "127.0.0.1:8001" if protocol == "grpc" else "127.0.0.1:8000"
        ),
        help="Triton host:port (default: CXR_TRITON_URL or 127.0.0.1:8000)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=timeout,
        help=f"seconds per request, retries included (default {timeout:g})",
    )
    parser.add_argument("--dry-run", action="store_true", help="print what would be done")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (AuditorError, OSError) as error:
        print(f"build_engines {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"build_engines {args.command}: interrupted", file=sys.stderr)
        return 130
