"""``python -m cxr_auditor.build_engines.device_bench``: the device check. On one GPU with torch
and transformers and no internet, it answers in sections, each timed, under one time budget:

1. ``versions``: python, torch, CUDA, transformers, tensorrt_llm, the GPU, its memory, the driver;
2. ``checkpoints``: random-weight checkpoints of the REAL 4B architectures
   (``build_engines.device_models``: Gemma 3 4.30 B, Nemotron-H 3.97 B; nothing downloaded);
3. ``weights``: each loaded as a Triton model instance loads it (``read_settings`` ->
   ``load_runtime`` -> ``GrounderService``/``ParserService``, the code inside
   ``triton_repo/*/1/model.py`` minus tensor encoding) with the transformers runtime; parameters
   and the bf16 weight memory (``torch.cuda.memory_allocated``);
4. ``token_parity``: the ids, stops and budget both runtimes send for the real prompts, with the
   real-size tokenizers and processor (``serving.decoding``);
5. ``peak_memory``: peak memory of one ``generate`` at batch 1, 16 and 40 per model;
6. ``audits``: full audits (grounder read, draft read, compare) at concurrency 1, 8 and 40, behind
   a stand-in for Triton's dynamic batcher (one instance, batches of up to ``--max-batch``
   gathered within 2 ms, as the committed ``config.pbtxt``): p50/p99 latency and tokens/s;
7. ``tensorrt_llm``: when it is installed, the same models through the project's TensorRT-LLM
   runtime with ``load_format="dummy"`` (``build_engines.device_trtllm``); else one SKIP line.

A section that fails prints one FAIL line and the next one runs; the exit code is 1 when any
failed. Random weights never stop on their own terms, so every generation is forced to its budget
(150 grounder + 100 parser tokens by default) and checked to have exactly that length; the
corrective retry is off. The figures are the cost of an audit of that length, not a quality
measure. ``--scale tiny --device cpu`` runs every section on the CPU test models (the tests), with
memory reported as not measured.
"""

from __future__ import annotations

import argparse
import queue
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxr_auditor.build_engines.device_probes import (
    CountingRuntime,
    allocated,
    check_lengths,
    force_lengths,
    length_failure,
    peak_memory,
    token_parity,
    versions,
    weight_figures,
)
from cxr_auditor.build_engines.device_report import CheckFailed, Report, tables
from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.paths import case_image
from cxr_auditor.build_engines.traffic import (
    DEFAULT_DRAFT,
    AuditOutcome,
    audit_from_replies,
    run_load,
)

ROLES = ("grounder", "draft_parser")


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
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 40])
    parser.add_argument("--rounds", type=int, default=1, help="audits per level = rounds x level")
    parser.add_argument("--grounder-tokens", type=int, default=150)
    parser.add_argument("--parser-tokens", type=int, default=100)
    parser.add_argument("--memory-batches", type=int, nargs="+", default=[1, 16, 40])
    parser.add_argument("--trtllm-concurrency", type=int, default=40)
    parser.add_argument("--max-batch", type=int, default=8, help="dynamic batch (config.pbtxt: 8)")
    parser.add_argument("--budget-s", type=float, default=420.0, help="time budget, all sections")
    parser.add_argument("--workdir", type=Path, help="where to build the models (default: temp)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    return parser.parse_args(argv)


@dataclass
class Check:
    """What the sections hand on: the arguments, the checkpoints, the loaded services."""

    args: argparse.Namespace
    workdir: Path
    image: bytes = field(default_factory=lambda: case_image().read_bytes())
    folders: dict[str, Path] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)

    @property
    def budgets(self) -> dict[str, int]:
        return {"grounder": self.args.grounder_tokens, "draft_parser": self.args.parser_tokens}

    def items(self) -> dict[str, Any]:
        from cxr_auditor.serving.services import GroundItem, ParseItem

        return {"grounder": GroundItem(self.image), "draft_parser": ParseItem(DEFAULT_DRAFT)}

    def chats(self) -> dict[str, tuple[Any, Any]]:
        """(service, its chat for the case image / the default draft) per role."""
        items = self.items()
        return {role: (s, s.chat(items[role])) for role, s in self.services.items()}

    def close(self) -> None:
        for service in self.services.values():
            service.runtime.close()
        self.services.clear()
        if self.args.device == "cuda":
            import torch

            torch.cuda.empty_cache()


def build(check: Check) -> tuple[dict[str, Any], str]:
    from cxr_auditor.build_engines.device_models import make_models

    folders = make_models(check.workdir, check.args.scale, check.args.device)
    check.folders = dict(zip(ROLES, folders))
    if check.args.device == "cuda":
        import torch

        torch.cuda.empty_cache()
    return {"folders": {r: str(f) for r, f in check.folders.items()}}, (
        f"{check.args.scale} random-weight checkpoints written"
    )


def load_models(check: Check) -> tuple[dict[str, Any], str]:
    from cxr_auditor.build_engines.device_models import PUBLISHED_PARAMS_B

    if not check.folders:
        raise BuildError("needs section 'checkpoints', which did not pass")
    models = {}
    for role, folder in check.folders.items():
        before = allocated(check.args.device)
        started = time.perf_counter()
        service = load_service(role, folder, check.args.device, check.budgets[role])
        force_lengths(service.runtime, check.budgets[role])
        models[role] = weight_figures(service, before, check.args.device) | {
            "load_s": round(time.perf_counter() - started, 1),
            "published_params_b": PUBLISHED_PARAMS_B[role],
        }
        service.runtime = CountingRuntime(service.runtime)
        check.services[role] = service
    tokens = prompt_tokens(
        check.services["grounder"], check.services["draft_parser"], DEFAULT_DRAFT
    )
    summary = "; ".join(
        f"{role} {row['params'] / 1e9:.3g} B params, weights "
        + ("not measured on CPU" if row["weights_gib"] is None else f"{row['weights_gib']} GiB")
        for role, row in models.items()
    )
    return {"models": models, "prompt_tokens": tokens}, summary


def audits(check: Check) -> tuple[dict[str, Any], str]:
    from cxr_auditor.serving.services import GroundItem, ParseItem

    if not check.services:
        raise BuildError("needs section 'weights', which did not pass")
    args = check.args
    batchers = {role: Batcher(s, args.max_batch) for role, s in check.services.items()}

    def audit() -> AuditOutcome:
        begun = time.perf_counter()
        g = batchers["grounder"].submit(GroundItem(check.image)).result()
        p = batchers["draft_parser"].submit(ParseItem(DEFAULT_DRAFT)).result()
        failed = [r for r in (g, p) if isinstance(r, Exception)]
        if failed:
            return AuditOutcome(time.perf_counter() - begun, False, False, error=str(failed[0]))
        return audit_from_replies(DEFAULT_DRAFT, check.image, g, p, begun)

    levels: list[dict[str, Any]] = []
    counts: dict[str, list[int]] = {role: [] for role in ROLES}
    try:
        warm = audit()
        if not warm.served:
            raise BuildError(f"the warm-up audit failed: {warm.error}")
        for level in args.concurrency:
            for role, b in batchers.items():
                b.batches.clear()
                check.services[role].runtime.take()
            result = run_load(audit, level, level * args.rounds)
            taken = {role: s.runtime.take() for role, s in check.services.items()}
            for role in ROLES:
                counts[role] += taken[role]
            row = result.as_dict() | {
                "tokens": sum(sum(t) for t in taken.values()),
                "tokens_per_s": round(sum(sum(t) for t in taken.values()) / result.wall_s, 1),
            }
            row |= {
                role: {
                    "batches": len(b.batches),
                    "mean_batch": round(sum(n for n, _ in b.batches) / max(1, len(b.batches)), 2),
                    "mean_batch_s": round(sum(s for _, s in b.batches) / max(1, len(b.batches)), 3),
                }
                for role, b in batchers.items()
            }
            levels.append(row)
            print(
                f"  concurrency {level:3d}: {result.audits} audits, p50 {result.p50_ms:.0f} ms, "
                f"p99 {result.p99_ms:.0f} ms, {row['tokens_per_s']:.1f} tokens/s, "
                f"served {result.served}/{result.audits}",
                flush=True,
            )
    finally:
        for b in batchers.values():
            b.close()
    lengths = {role: check_lengths(role, counts[role], check.budgets[role]) for role in ROLES}
    data = {
        "budgets": check.budgets,
        "max_batch": args.max_batch,
        "levels": levels,
        "lengths": lengths,
    }
    unserved = [row["concurrency"] for row in levels if row["served"] < row["audits"]]
    reason = length_failure(lengths, check.budgets)
    if unserved or reason:
        why = [f"audits not served at concurrency {unserved}"] if unserved else []
        raise CheckFailed("; ".join(why + ([reason] if reason else [])), data)
    summary = ", ".join(
        f"c{row['concurrency']} p50 {row['p50_ms']:.0f} / p99 {row['p99_ms']:.0f} ms "
        f"{row['tokens_per_s']:.0f} tok/s"
        for row in levels
    )
    return data, summary


def run_check(args: argparse.Namespace, workdir: Path, report: Report) -> None:
    from cxr_auditor.build_engines.device_trtllm import trtllm_section

    check = Check(args, workdir)
    try:
        report.run("versions", lambda: versions(args.device))
        report.run("checkpoints", lambda: build(check))
        report.run("weights", lambda: load_models(check))
        report.run("token_parity", lambda: token_parity(_loaded(check).chats()))
        report.run(
            "peak_memory",
            lambda: peak_memory(_loaded(check).chats(), args.memory_batches, args.device),
        )
        report.run("audits", lambda: audits(check))
    finally:
        check.close()  # frees the GPU for TensorRT-LLM
    report.run(
        "tensorrt_llm",
        lambda: trtllm_section(
            _built(check).folders, check.budgets, check.items(), args.trtllm_concurrency
        ),
    )


def _loaded(check: Check) -> Check:
    if not check.services:
        raise BuildError("needs section 'weights', which did not pass")
    return check


def _built(check: Check) -> Check:
    if not check.folders:
        raise BuildError("needs section 'checkpoints', which did not pass")
    return check


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    numbers = [
        *args.concurrency,
        *args.memory_batches,
        args.trtllm_concurrency,
        args.rounds,
        args.max_batch,
        args.grounder_tokens,
        args.parser_tokens,
    ]
    if min(numbers) < 1 or args.budget_s <= 0:
        print(
            "device_bench: error: --concurrency, --memory-batches, --trtllm-concurrency, "
            "--rounds, --max-batch and the token budgets must be at least 1, --budget-s above 0",
            file=sys.stderr,
        )
        return 2
    plan = (
        f"build {args.scale} random-weight Gemma 3 + Nemotron-H checkpoints; on {args.device}: "
        f"versions, weight memory, token parity, peak memory at batch "
        f"{' '.join(map(str, args.memory_batches))}, audits at concurrency "
        f"{' '.join(map(str, args.concurrency))} ({args.grounder_tokens} + {args.parser_tokens} "
        f"new tokens), then TensorRT-LLM (dummy weights, {args.trtllm_concurrency} at once) if "
        f"installed; budget {args.budget_s:.0f} s"
    )
    if args.dry_run:
        print(f"DRY RUN: would {plan}")
        return 0
    print(plan, flush=True)
    if args.device == "cuda":
        try:
            import torch
        except ImportError as error:
            print(f"device_bench: error: {error}", file=sys.stderr)
            return 2
        if not torch.cuda.is_available():
            print(
                "device_bench: error: --device cuda but torch "
                f"{torch.__version__} sees no CUDA GPU; use --device cpu --scale tiny on a CPU",
                file=sys.stderr,
            )
            return 2
    header = {
        "scale": args.scale,
        "device": args.device,
        "budgets": {"grounder": args.grounder_tokens, "draft_parser": args.parser_tokens},
    }
    report = Report(header, args.budget_s, args.out)
    with tempfile.TemporaryDirectory(prefix="cxr-device-", dir=args.workdir) as tmp:
        run_check(args, Path(tmp), report)
    print("\n" + tables(report))
    if args.out:
        report.save()
        print(f"saved {args.out}")
    failed = report.counts()["FAIL"]
    print("FAIL" if failed else "PASS", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
