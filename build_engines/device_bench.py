"""``python -m cxr_auditor.build_engines.device_bench``: full audits on the GPU with random-weight
models of the REAL 4B architectures, through the transformers runtime and the served code path.

For a GPU machine with torch and transformers but no Hub and no Triton: it builds the two
checkpoints (``build_engines.device_models``), loads each exactly as a Triton model instance does
(``read_settings`` -> ``load_runtime`` -> ``GrounderService``/``ParserService``, the code inside
``triton_repo/*/1/model.py`` minus tensor encoding), puts a stand-in for Triton's dynamic batcher
in front of each (one instance, batches of up to ``--max-batch`` gathered within 2 ms, as the
committed ``config.pbtxt``), and runs full audits (grounder read, then draft read, then compare)
with 1, 8 and 32 in flight. Prints latency percentiles and throughput, saves JSON.

Random weights never emit a stop token, so every generation runs to its budget
(``--grounder-tokens``/``--parser-tokens``, near the length of real answers) and the corrective
retry is off: the figures are the cost of a well-formed audit of that length, not a quality
measure. ``--scale tiny --device cpu`` runs the same steps on the CPU test models (the tests).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import queue
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.errors import BuildError, NoGpuError
from cxr_auditor.build_engines.paths import case_image
from cxr_auditor.build_engines.traffic import (
    DEFAULT_DRAFT,
    AuditOutcome,
    audit_from_replies,
    run_load,
)


@dataclass
class Batcher:
    """One model instance behind a dynamic batcher: a worker thread runs ``service.run`` on up to
    ``max_batch`` queued items, waiting at most ``delay_s`` for a batch to fill."""

    service: Any
    max_batch: int = 8
    delay_s: float = 0.002
    batches: list[tuple[int, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: queue.Queue[tuple[Any, Future[Any]] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._loop, daemon=True)
        self._worker.start()

    def submit(self, item: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._queue.put((item, future))
        return future

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            deadline = time.monotonic() + self.delay_s
            while len(batch) < self.max_batch:
                try:
                    extra = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if extra is None:
                    self._queue.put(None)
                    break
                batch.append(extra)
            started = time.perf_counter()
            try:
                replies = self.service.run([item for item, _ in batch])
            except Exception as error:
                replies = [error] * len(batch)
            self.batches.append((len(batch), time.perf_counter() - started))
            for (_, future), reply in zip(batch, replies):
                future.set_result(reply)

    def close(self) -> None:
        self._queue.put(None)
        self._worker.join(timeout=60)


def environment(device: str) -> dict[str, Any]:
    import torch
    import transformers

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "device": device,
        "mamba_ssm_kernels": importlib.util.find_spec("mamba_ssm") is not None,
        "causal_conv1d_kernels": importlib.util.find_spec("causal_conv1d") is not None,
    }
    if device == "cuda":
        if not torch.cuda.is_available():
            raise NoGpuError(
                "--device cuda but torch sees no CUDA GPU (torch "
                f"{torch.__version__}); use --device cpu --scale tiny on a CPU"
            )
        props = torch.cuda.get_device_properties(0)
        info |= {
            "gpu": props.name,
            "gpu_memory_gib": round(props.total_memory / 1024**3, 1),
            "cuda": torch.version.cuda,
        }
    return info


def load_service(role: str, folder: Path, device: str, tokens: int) -> Any:
    from cxr_auditor.serving.model_settings import read_settings
    from cxr_auditor.serving.prompts import load_prompts
    from cxr_auditor.serving.runtime import load_runtime
    from cxr_auditor.serving.services import GrounderService, ParserService

    settings = read_settings(
        role,
        {
            "runtime": "transformers",
            "model": str(folder),
            "device": device,
            "dtype": "bfloat16",
            "retry_unparseable": "false",
            "max_new_tokens": str(tokens),
            "torch_threads": "4",
        },
    )
    runtime = load_runtime(settings)
    service_class = GrounderService if role == "grounder" else ParserService
    return service_class(settings, runtime, load_prompts())


def prompt_tokens(grounder: Any, parser: Any, draft: str) -> dict[str, int]:
    from cxr_auditor.serving.prompts import grounder_messages, load_prompts, parser_messages

    prompts = load_prompts()
    g = grounder.runtime.processor.apply_chat_template(
        grounder_messages(prompts), add_generation_prompt=True, tokenize=False
    )
    p = parser.runtime.tokenizer.apply_chat_template(
        parser_messages(prompts, draft),
        add_generation_prompt=True,
        tokenize=False,
        enable_thinking=False,
    )
    image_tokens = int(getattr(grounder.runtime.processor, "image_seq_length", 0))
    return {
        "grounder_text": len(grounder.runtime.tokenizer(g, add_special_tokens=False)["input_ids"]),
        "grounder_image": image_tokens,
        "draft_parser": len(parser.runtime.tokenizer(p, add_special_tokens=False)["input_ids"]),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cxr_auditor.build_engines.device_bench",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--scale", choices=("real", "tiny"), default="real")
    parser.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--rounds", type=int, default=1, help="audits per level = rounds x level")
    parser.add_argument("--grounder-tokens", type=int, default=128)
    parser.add_argument("--parser-tokens", type=int, default=192)
    parser.add_argument("--max-batch", type=int, default=8, help="dynamic batch (config.pbtxt: 8)")
    parser.add_argument("--workdir", type=Path, help="where to build the models (default: temp)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    return parser.parse_args(argv)


def measure(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from cxr_auditor.build_engines.device_models import PUBLISHED_PARAMS_B, make_models

    report: dict[str, Any] = {
        "environment": environment(args.device),
        "scale": args.scale,
        "budgets": {"grounder": args.grounder_tokens, "draft_parser": args.parser_tokens},
        "max_batch": args.max_batch,
    }
    print(json.dumps(report["environment"]), flush=True)
    started = time.perf_counter()
    folders = make_models(workdir, args.scale, args.device)
    report["build_s"] = round(time.perf_counter() - started, 1)
    print(f"built {args.scale} random-weight models in {report['build_s']} s", flush=True)
    if args.device == "cuda":
        import torch

        torch.cuda.empty_cache()
    started = time.perf_counter()
    grounder = load_service("grounder", folders[0], args.device, args.grounder_tokens)
    parser = load_service("draft_parser", folders[1], args.device, args.parser_tokens)
    report["load_s"] = round(time.perf_counter() - started, 1)
    params = {
        role: round(sum(p.numel() for p in s.runtime.model.parameters()) / 1e9, 3)
        for role, s in (("grounder", grounder), ("draft_parser", parser))
    }
    report |= {
        "params_b": params,
        "published_params_b": PUBLISHED_PARAMS_B,
        "prompt_tokens": prompt_tokens(grounder, parser, DEFAULT_DRAFT),
    }
    print(
        f"loaded in {report['load_s']} s; parameters (B) {params}; prompt tokens "
        f"{report['prompt_tokens']}",
        flush=True,
    )
    image = case_image().read_bytes()
    from cxr_auditor.serving.services import GroundItem, ParseItem

    batchers = {
        "grounder": Batcher(grounder, args.max_batch),
        "draft_parser": Batcher(parser, args.max_batch),
    }

    def audit() -> AuditOutcome:
        begun = time.perf_counter()
        g = batchers["grounder"].submit(GroundItem(image)).result()
        p = batchers["draft_parser"].submit(ParseItem(DEFAULT_DRAFT)).result()
        failed = [r for r in (g, p) if isinstance(r, Exception)]
        if failed:
            return AuditOutcome(time.perf_counter() - begun, False, False, error=str(failed[0]))
        return audit_from_replies(DEFAULT_DRAFT, image, g, p, begun)

    try:
        warm = audit()
        if not warm.served:
            raise BuildError(f"the warm-up audit failed: {warm.error}")
        report["levels"] = []
        for level in args.concurrency:
            for b in batchers.values():
                b.batches.clear()
            result = run_load(audit, level, level * args.rounds)
            row = result.as_dict() | {
                role: {
                    "batches": len(b.batches),
                    "mean_batch": round(sum(n for n, _ in b.batches) / max(1, len(b.batches)), 2),
                    "mean_batch_s": round(sum(s for _, s in b.batches) / max(1, len(b.batches)), 3),
                }
                for role, b in batchers.items()
            }
            report["levels"].append(row)
            print(
                f"concurrency {level:3d}: {result.audits} audits, p50 {result.p50_ms:.0f} ms, "
                f"p95 {result.p95_ms:.0f} ms, {result.audits_per_s:.3f} audits/s, "
                f"served {result.served}/{result.audits}",
                flush=True,
            )
    finally:
        for b in batchers.values():
            b.close()
        for service in (grounder, parser):
            service.runtime.close()
    return report


def table(report: dict[str, Any]) -> str:
    env = report["environment"]
    where = env.get("gpu", "CPU")
    lines = [
        (
            f"Full audit, transformers runtime, {report['scale']} random-weight models on "
            f"{where}; budgets {report['budgets']} new tokens; dynamic batch "
            f"{report['max_batch']}"
        ),
        (
            f"{'concurrency':>11} {'audits':>6} {'p50 ms':>9} {'p95 ms':>9} {'audits/s':>9} "
            f"{'grounder batch (n, s)':>22} {'parser batch (n, s)':>20}"
        ),
    ]
    for row in report["levels"]:
        g, p = row["grounder"], row["draft_parser"]
        lines.append(
            f"{row['concurrency']:>11} {row['audits']:>6} {row['p50_ms']:>9.0f} "
            f"{row['p95_ms']:>9.0f} {row['audits_per_s']:>9.3f} "
            f"{g['mean_batch']:>12.1f}, {g['mean_batch_s']:>7.2f} "
            f"{p['mean_batch']:>10.1f}, {p['mean_batch_s']:>7.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if (
        min(args.concurrency) < 1
        or args.rounds < 1
        or args.max_batch < 1
        or min(args.grounder_tokens, args.parser_tokens) < 1
    ):
        print(
            "device_bench: error: --concurrency, --rounds, --max-batch and the token budgets "
            "must be at least 1",
            file=sys.stderr,
        )
        return 2
    plan = (
        f"build {args.scale} random-weight Gemma 3 + Nemotron-H checkpoints, load them on "
        f"{args.device} with the transformers runtime, then audit at concurrency "
        f"{' '.join(map(str, args.concurrency))} ({args.rounds} round(s) each)"
    )
    if args.dry_run:
        print(f"DRY RUN: would {plan}")
        return 0
    print(plan, flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="cxr-device-", dir=args.workdir) as tmp:
            report = measure(args, Path(tmp))
    except (BuildError, ImportError) as error:
        print(f"device_bench: error: {error}", file=sys.stderr)
        return 2
    print("\n" + table(report))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
