"""CPU benchmark of the serving scheduling: 40 concurrent audits against one alone, no GPU.

Not a test. It starts the bundled Triton server (``serving.launcher`` via
``serving.devserver.local_server``, as ``tests/test_triton_replay.py`` does) with the ``replay``
runtime in its fixed-time-per-step mode (``serving.runtime_replay`` ``steps``): every generation
takes ``--tokens`` decoding steps of ``--step-ms``, and the chats in flight share each step, as on
an inference engine whose step time barely depends on the batch. An audit is what the app does
for one resident: the grounder reads the image, then the parser reads the draft (two requests,
two generations; the answers are well formed, so no retry).

Two engines, same server code (per-request coroutines, responses sent as each finishes):

- ``in-flight``: a request joins the running batch at the next step (TensorRT-LLM's in-flight
  batching, ``max_batch`` 64 >= 40);
- ``static, batch 8``: a batch of at most 8 starts only when the previous one has finished (the
  old per-Triton-batch ``generate`` path).

and two clients (``serving.client.TritonBackend``, one shared by all 40 residents as in the app):

- ``old client``: at most 8 requests in flight (the old ``max_concurrency`` default), which held
  the in-flight engine to 6.5x;
- ``new client``: the default now (``CXR_TRITON_MAX_CONCURRENCY``, 64).

Prints, per engine, client and protocol, the wall time of 1 audit and of 40 concurrent audits,
their ratio (target: within 2x with in-flight batching), and the most generations each model had
in flight at once so far, counted by the replay runtime (``count``; the old client runs first).

The 40 client threads open their connections in an untimed warm-up round (in the classroom each
resident's session keeps its own), so the figures time the scheduling, not 40 gRPC channel
set-ups on a small CPU.

usage: python bench/scheduling_bench.py [--audits 40] [--step-ms 20] [--tokens 10]
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.config import DEFAULT_MAX_CONCURRENCY
from cxr_auditor.serving.devserver import local_server, write_replay

DRAFT = "Small left pleural effusion. No pneumothorax."
FINDINGS = '[{"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]}]'
MENTIONS = (
    '[{"label": "pleural_effusion", "status": "present", "span": "Small left pleural '
    'effusion", "laterality": "left"}, {"label": "pneumothorax", "status": "absent", '
    '"span": "No pneumothorax", "cue": "No"}]'
)
ENGINES = {"in-flight": (64, True), "static, batch 8": (8, False)}
OLD_CAP = 8  # TritonBackend's max_concurrency default before the fix
CLIENTS = {"in-flight": ("old", "new"), "static, batch 8": ("new",)}


def png(size: int = 256) -> bytes:
    pixels = np.random.default_rng(0).integers(0, 255, (size, size), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def audit(client: TritonBackend, image: bytes) -> None:
    read = client.image_read(image)
    if read.error is not None or read.account.status != "ok":
        raise SystemExit(f"FAIL: grounder answered {read.error or read.account.status}")
    draft = client.draft_reader().read(DRAFT)
    if draft.identity.kind != "model":
        raise SystemExit(f"FAIL: the parser fell back: {draft.identity.fallback_reason}")


def timed_audits(
    pool: ThreadPoolExecutor, client: TritonBackend, image: bytes, count: int
) -> float:
    started = time.perf_counter()
    list(pool.map(lambda _: audit(client, image), range(count)))
    return time.perf_counter() - started


def peak(path: Path) -> int:
    return int(json.loads(path.read_text(encoding="utf-8"))["peak"]) if path.exists() else 0


def bench_engine(
    work: Path, name: str, steps: dict[str, object], audits: int
) -> list[dict[str, object]]:
    counts = {role: work / f"{role}-peak.json" for role in ("grounder", "parser")}
    files = {}
    for role, default in (("grounder", FINDINGS), ("parser", MENTIONS)):
        count = {"file": str(counts[role]), "hold_until": 0, "hold_ms": 0}
        files[role] = write_replay(work / f"{role}.json", default=default, steps=steps, count=count)
    rows = []
    with local_server(
        work, grounder=files["grounder"], parser=files["parser"], runtime="replay"
    ) as server:
        image = png()
        for client_name in CLIENTS[name]:
            cap = OLD_CAP if client_name == "old" else DEFAULT_MAX_CONCURRENCY
            for protocol, url in (("http", server.http_url), ("grpc", server.grpc_url)):
                with (
                    TritonBackend(url, protocol, timeout_s=120, max_concurrency=cap) as client,  # type: ignore[arg-type]
                    ThreadPoolExecutor(max_workers=audits) as pool,
                ):
                    # warm-up: every worker thread opens its connection (one per session)
                    timed_audits(pool, client, image, audits)
                    one = min(timed_audits(pool, client, image, 1) for _ in range(3))
                    many = timed_audits(pool, client, image, audits)
                peaks = {role: peak(path) for role, path in counts.items()}
                rows.append(
                    {
                        "engine": name,
                        "client": f"{client_name} (cap {cap})",
                        "protocol": protocol,
                        "one_s": round(one, 3),
                        "many_s": round(many, 3),
                        "audits": audits,
                        "ratio": round(many / one, 2),
                        "peak_in_flight": peaks,
                    }
                )
                print(
                    f"  {name:15} {client_name} client (cap {cap:2d}) {protocol:4}  1 audit "
                    f"{one * 1000:5.0f} ms   {audits} concurrent {many * 1000:5.0f} ms   ratio "
                    f"{many / one:5.2f}x   peak in flight {peaks['grounder']}/{peaks['parser']}",
                    flush=True,
                )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audits", type=int, default=40, help="concurrent audits")
    parser.add_argument("--step-ms", type=float, default=20.0, help="time of one decoding step")
    parser.add_argument("--tokens", type=int, default=10, help="decoding steps per generation")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    print(
        f"Scheduling benchmark: replay runtime, {args.tokens} steps x {args.step_ms:g} ms per "
        f"generation ({args.tokens * args.step_ms:g} ms), 2 generations per audit, real local "
        "Triton (CPU)"
    )
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="cxr-sched-") as tmp:
        for index, (name, (batch, inflight)) in enumerate(ENGINES.items()):
            steps = {
                "step_ms": args.step_ms,
                "tokens": args.tokens,
                "max_batch": batch,
                "inflight": inflight,
            }
            work = Path(tmp) / str(index)
            work.mkdir()
            rows += bench_engine(work, name, steps, args.audits)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print("  (peak in flight: grounder/parser generations at once so far, counted by the runtime)")
    for client_name in ("old", "new"):
        worst = max(
            float(str(r["ratio"]))
            for r in rows
            if r["engine"] == "in-flight" and str(r["client"]).startswith(client_name)
        )
        verdict = "PASS" if worst <= 2.0 else "ABOVE TARGET"
        print(
            f"in-flight engine, {client_name} client: {args.audits} concurrent audits within "
            f"{worst:.2f}x of one: {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
