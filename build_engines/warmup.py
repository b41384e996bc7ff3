"""``warmup``: wait for Triton to be ready, then send audits at rising concurrency so that the
first real users do not pay for CUDA-graph capture, autotuning and lazy initialisation.

FAIL (exit 1) when the server is not ready within ``--wait`` or an audit does not reach the
models; unparseable answers are counted, not failures (that is ``smoke``'s question).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cxr_auditor.build_engines.cli import add_client_arguments
from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.smoke import read_image
from cxr_auditor.build_engines.traffic import DEFAULT_DRAFT, run_load, triton_audit

if TYPE_CHECKING:
    from cxr_auditor.serving.client import TritonBackend


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "warmup",
        help="wait for Triton, then warm both models up",
        description=__doc__.split("\n\n")[0],
    )
    add_client_arguments(parser)
    parser.add_argument(
        "--wait",
        type=float,
        default=900.0,
        help="seconds to wait for readiness (default %(default)s)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 8, 16],
        help="levels to warm (default 1 8 16)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="audits per level = rounds x level")
    parser.add_argument("--image", type=Path, help="PNG/JPEG (default: a bundled library case)")
    parser.add_argument("--draft", default=DEFAULT_DRAFT)
    parser.set_defaults(func=run)


def wait_ready(backend: TritonBackend, wait_s: float) -> tuple[bool, str]:
    deadline = time.monotonic() + wait_s
    last_print = 0.0
    while True:
        ok, reason = backend.ready()
        now = time.monotonic()
        if ok or now >= deadline:
            return ok, reason
        if now - last_print >= 30:
            print(f"waiting for Triton: {reason}", flush=True)
            last_print = now
        time.sleep(min(5.0, max(0.0, deadline - now)))


def run(args: argparse.Namespace) -> int:
    path, image = read_image(args.image)
    if min(args.concurrency) < 1 or args.rounds < 1:
        raise BuildError("--concurrency levels and --rounds must be at least 1")
    plan = ", ".join(f"{c * args.rounds} audits at concurrency {c}" for c in args.concurrency)
    if args.dry_run:
        print(
            f"DRY RUN: would wait up to {args.wait:g} s for Triton at {args.url} "
            f"({args.protocol}), then send {plan} ({path.name})"
        )
        return 0
    from cxr_auditor.serving.client import TritonBackend

    with TritonBackend(
        args.url,
        args.protocol,
        timeout_s=args.timeout,
        retries=1,
        max_concurrency=max(args.concurrency),
    ) as backend:
        ok, reason = wait_ready(backend, args.wait)
        print(reason)
        if not ok:
            print("FAIL: not ready")
            return 1
        failed = 0
        for level in args.concurrency:
            result = run_load(
                lambda: triton_audit(backend, image, args.draft), level, level * args.rounds
            )
            failed += result.audits - result.served
            print(
                f"  concurrency {level:3d}: {result.audits} audits, p50 {result.p50_ms:.0f} ms, "
                f"p95 {result.p95_ms:.0f} ms, {result.parsed} parsed"
                + (f", errors: {'; '.join(result.errors)}" if result.errors else ""),
                flush=True,
            )
    print("PASS" if not failed else f"FAIL: {failed} audit(s) did not reach the models")
    return 0 if not failed else 1
