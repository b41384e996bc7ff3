"""``bench``: audit latency (p50/p95) and throughput against concurrency, one column per server.

Each ``--target NAME=URL`` is a running Triton with both models (``tensorrt_llm`` from
``docker compose up triton``, ``transformers`` from the ``compare`` profile on the same GPU). The
targets are measured one after the other, never at the same time. Each level keeps ``c`` audits
in flight until ``rounds x c`` are done (at least 8), after a short warm-up per target. Printed as a
table and saved as JSON (``--out``). Latency counts every audit, also those whose answer did not
parse; the ``ok`` column says how many did.
"""

from __future__ import annotations

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.cli import add_client_arguments
from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.smoke import read_image
from cxr_auditor.build_engines.traffic import DEFAULT_DRAFT, LoadResult, run_load, triton_audit

LEVELS = [1, 2, 4, 8, 16, 32, 64]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="latency and throughput vs concurrency", description=__doc__.split("\n\n")[0]
    )
    add_client_arguments(parser, timeout=600.0)
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="a server to measure (repeatable); default tensorrt_llm=--url",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=LEVELS,
        help="levels (default 1 2 4 8 16 32 64)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="audits per level = rounds x level")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up audits per target")
    parser.add_argument("--out", type=Path, default=Path("gpu_bench.json"), help="JSON results")
    parser.add_argument("--image", type=Path, help="PNG/JPEG (default: a bundled library case)")
    parser.add_argument("--draft", default=DEFAULT_DRAFT)
    parser.set_defaults(func=run)


def targets_from(args: argparse.Namespace) -> dict[str, str]:
    if not args.target:
        return {"tensorrt_llm": args.url}
    targets: dict[str, str] = {}
    for item in args.target:
        name, _, url = item.partition("=")
        if not name or not url or name in targets:
            raise BuildError(f"--target {item!r}: use NAME=HOST:PORT with distinct names")
        targets[name] = url
    return targets


def audits_at(level: int, rounds: int) -> int:
    return max(8, level * rounds)


def table(levels: list[int], results: dict[str, dict[int, LoadResult]]) -> str:
    names = list(results)
    head = f"{'concurrency':>11} | " + " | ".join(
        f"{name + ' p50 / p95 ms':>26} {'audits/s':>9} {'ok':>7}" for name in names
    )
    rows = [head, "-" * len(head)]
    for level in levels:
        cells = []
        for name in names:
            r = results[name].get(level)
            cells.append(
                f"{'-':>26} {'-':>9} {'-':>7}"
                if r is None
                else f"{f'{r.p50_ms:.0f} / {r.p95_ms:.0f}':>26} {r.audits_per_s:>9.2f} "
                f"{f'{r.parsed}/{r.audits}':>7}"
            )
        rows.append(f"{level:>11} | " + " | ".join(cells))
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    targets = targets_from(args)
    path, image = read_image(args.image)
    if min(args.concurrency) < 1 or args.rounds < 1 or args.warmup < 0:
        raise BuildError("--concurrency levels and --rounds must be at least 1, --warmup >= 0")
    levels = sorted(set(args.concurrency))
    if args.dry_run:
        print(
            f"DRY RUN: would measure {', '.join(f'{n} at {u}' for n, u in targets.items())} "
            f"({args.protocol}), one after the other: {args.warmup} warm-up audits, then "
            + ", ".join(f"{audits_at(c, args.rounds)} audits at concurrency {c}" for c in levels)
            + f"; print the table and write {args.out}"
        )
        return 0
    from cxr_auditor.serving.client import TritonBackend

    results: dict[str, dict[int, LoadResult]] = {}
    info: dict[str, Any] = {}
    for name, url in targets.items():
        with TritonBackend(
            url, args.protocol, timeout_s=args.timeout, retries=0, max_concurrency=max(levels)
        ) as backend:
            ok, reason = backend.ready()
            if not ok:
                raise BuildError(f"target {name}: {reason}")
            for _ in range(args.warmup):
                triton_audit(backend, image, args.draft)
            first = triton_audit(backend, image, args.draft)
            info[name] = {
                "url": url,
                "grounder": first.result.grounder.model_dump() if first.result else None,
                "parser": first.result.parser.model_dump() if first.result else None,
            }
            results[name] = {}
            for level in levels:
                results[name][level] = run_load(
                    lambda: triton_audit(backend, image, args.draft),
                    level,
                    audits_at(level, args.rounds),
                )
                r = results[name][level]
                print(
                    f"{name}: concurrency {level}: p50 {r.p50_ms:.0f} ms, p95 {r.p95_ms:.0f} "
                    f"ms, {r.audits_per_s:.2f} audits/s, {r.parsed}/{r.audits} ok",
                    flush=True,
                )
    print(
        "\nOne audit = grounder read + draft read + compare, through Triton "
        f"({args.protocol}); image {path.name}\n"
    )
    print(table(levels, results))
    report = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "protocol": args.protocol,
        "image": str(path),
        "draft": args.draft,
        "targets": info,
        "levels": [
            {"concurrency": c, "results": {n: results[n][c].as_dict() for n in results}}
            for c in levels
        ],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nsaved {args.out}")
    return 0
