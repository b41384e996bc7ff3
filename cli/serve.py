"""``cxr-auditor serve``: run the bundled Triton server on ``triton_repo/`` with two model folders.

Checks everything it can before starting (model folders, the server binary, free ports), fills
the repository's placeholders into a temporary copy, starts the server in its own process group,
waits until both models are ready, prints the URLs, then waits. Ctrl-C or SIGTERM stops the
server and its model processes cleanly; an unexpected server exit is reported with the end of its
log. Models run on the ``transformers`` runtime (CPU, or a GPU when one is visible).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from cxr_auditor.cli import CliError
from cxr_auditor.serving.config import check_model_dir, serve_settings
from cxr_auditor.serving.launcher import find_tritonserver, start_server
from cxr_auditor.serving.repository import default_repository, fill_repository


class _Stop(Exception):
    """Raised by the SIGTERM handler to leave the wait loop."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the grounder and the draft parser through Triton",
        description="Start the Triton server bundled in nvidia-pytriton on triton_repo/ with the "
        "given model folders. Defaults come from CXR_GROUNDER_MODEL_DIR, "
        "CXR_PARSER_MODEL_DIR and CXR_TRITON_{HTTP,GRPC,METRICS}_PORT.",
    )
    parser.add_argument(
        "--grounder",
        type=Path,
        help="grounder model folder (Gemma 3 "
        "image-text-to-text, e.g. from 'cxr-auditor models make-tiny')",
    )
    parser.add_argument("--parser", type=Path, help="draft-parser model folder (Nemotron-H)")
    parser.add_argument("--http-port", type=int, help="HTTP port (default 8000; 0 = any free)")
    parser.add_argument("--grpc-port", type=int, help="gRPC port (default 8001; 0 = any free)")
    parser.add_argument("--metrics-port", type=int, help="metrics port (default 8002)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--repository",
        type=Path,
        help="model repository to fill (default: the checkout's triton_repo/)",
    )
    parser.add_argument(
        "--torch-threads", type=int, default=1, help="CPU threads per model (default 1)"
    )
    parser.add_argument("--log-file", type=Path, help="write the server log here")
    parser.add_argument(
        "--startup-timeout",
        type=float,
        default=300.0,
        help="seconds to wait for the models to load (default 300)",
    )
    parser.set_defaults(func=run)


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Stop


def run(args: argparse.Namespace) -> int:
    defaults = serve_settings()
    grounder = args.grounder or defaults.grounder_dir
    parser = args.parser or defaults.parser_dir
    if grounder is None or parser is None:
        raise CliError(
            "give both model folders: --grounder DIR --parser DIR (or set "
            "CXR_GROUNDER_MODEL_DIR and CXR_PARSER_MODEL_DIR); "
            "'cxr-auditor models make-tiny --out DIR' makes tiny ones"
        )
    grounder = check_model_dir(grounder, "grounder")
    parser = check_model_dir(parser, "parser")
    if args.torch_threads < 1:
        raise CliError(f"--torch-threads {args.torch_threads} must be at least 1")
    find_tritonserver()
    ports = {
        name: given if given is not None else getattr(defaults, f"{name}_port")
        for name, given in (
            ("http", args.http_port),
            ("grpc", args.grpc_port),
            ("metrics", args.metrics_port),
        )
    }
    work = Path(tempfile.mkdtemp(prefix="cxr-serve-"))
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    server = None
    try:
        repository = fill_repository(
            {
                "grounder_runtime": "transformers",
                "grounder_model": str(grounder),
                "parser_runtime": "transformers",
                "parser_model": str(parser),
                "torch_threads": str(args.torch_threads),
            },
            work / "repository",
            args.repository or default_repository(),
        )
        print(
            f"starting Triton on {args.host} (models load in a few seconds to minutes)...",
            flush=True,
        )
        server = start_server(
            repository,
            host=args.host,
            http_port=ports["http"],
            grpc_port=ports["grpc"],
            metrics_port=ports["metrics"],
            log_path=args.log_file,
            startup_timeout=args.startup_timeout,
        )
        print(
            f"Triton is ready ({server.startup_s:.1f} s): grounder <- {grounder}, "
            f"draft_parser <- {parser}\n"
            f"  HTTP     {server.http_url}   CXR_TRITON_PROTOCOL=http CXR_TRITON_URL="
            f"{server.http_url}\n"
            f"  gRPC     {server.grpc_url}   CXR_TRITON_PROTOCOL=grpc CXR_TRITON_URL="
            f"{server.grpc_url}\n"
            f"  metrics  http://{server.metrics_url}/metrics\n"
            f"  log      {server.log_path}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while server.process.poll() is None:
            try:
                server.process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue
        raise CliError(
            f"tritonserver exited on its own (code {server.process.returncode}); "
            f"end of its log:\n{server.log_tail()}"
        )
    except (KeyboardInterrupt, _Stop):
        print("stopping Triton...", file=sys.stderr, flush=True)
        return 0
    finally:
        if server is not None:
            server.stop()
            print("Triton stopped.", file=sys.stderr, flush=True)
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(work, ignore_errors=True)
