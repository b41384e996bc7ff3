"""``cxr-auditor models make-tiny --out DIR``: tiny random-weight models of the real architectures.

Writes ``DIR/tiny-gemma3-grounder`` (Gemma 3 image-text-to-text with its processor and chat
template) and ``DIR/tiny-nemotron-h-parser`` (Nemotron-H with a ``<think>``-switch chat
template), so anyone can run the whole serving path without weights. Their output is garbage by
design: served, it shows up as ``unparseable``. Needs the project's ``models`` extra.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cxr_auditor.cli import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        help="model folders for serving",
        description="Model folders for 'cxr-auditor serve'.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    tiny = actions.add_parser(
        "make-tiny",
        help="write tiny random-weight grounder and parser folders",
        description="Write tiny random-weight models of the real architectures (no download).",
    )
    tiny.add_argument("--out", required=True, type=Path, help="folder to write both models into")
    tiny.set_defaults(func=run_make_tiny)


def run_make_tiny(args: argparse.Namespace) -> int:
    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out {args.out} exists and is not a folder")
    try:
        from cxr_auditor.serving.tiny_models import make_tiny_models

        grounder, parser = make_tiny_models(args.out)
    except ImportError as error:
        raise CliError(
            f"building the tiny models needs torch and transformers>=5.18 ({error}); "
            "install the project's 'models' extra"
        ) from None
    print(
        f"grounder: {grounder}\nparser:   {parser}\n"
        f"serve them: cxr-auditor serve --grounder {grounder} --parser {parser}"
    )
    return 0
