"""Benchmark of the local Triton path on CPU: request overhead and tiny-model latency.

Not a test. It starts the bundled Triton server twice on free loopback ports:

1. on the ``replay`` runtime (canned answers, no model): the time of a request through the whole
   path (tritonclient -> Triton -> Python stub -> decode, parse, encode -> client) is the serving
   overhead that every real model pays on top of its generation time;
2. on the tiny random models (``cxr-auditor models make-tiny``) with the ``transformers``
   runtime: end-to-end latency with real processors, chat templates and ``generate``. Their
   output is garbage, so every request also pays the corrective retry (two generations).

usage: python bench/triton_bench.py [--requests 200] [--tiny-requests 30] [--tokens 16]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.devserver import local_server, write_replay

DRAFT = "Small left pleural effusion. No pneumothorax. Heart size is normal."
FINDINGS = '[{"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]}]'
MENTIONS = (
    '[{"label": "pleural_effusion", "status": "present", "span": "Small left pleural '
    'effusion", "laterality": "left"}, {"label": "pneumothorax", "status": "absent", '
    '"span": "No pneumothorax", "cue": "No"}]'
)


def png(size: int = 512) -> bytes:
    pixels = np.random.default_rng(0).integers(0, 255, (size, size), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms   p99 {p99:7.1f} ms   (n={len(ms)})"


def timed(call: Callable[[], object], count: int, check: Callable[[object], bool]) -> list[float]:
    call()  # warm-up: connection, first batch
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - started)
        if not check(result):
            raise SystemExit(f"FAIL: unexpected result {result!r}")
    return samples


def throughput(call: Callable[[], object], count: int, workers: int) -> str:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda _: call(), range(count)))
    elapsed = time.perf_counter() - started
    return f"{count / elapsed:7.1f} req/s with {workers} concurrent clients"


def bench_server(
    title: str, urls: dict[str, str], count: int, tokens: int | None, expect_ok: bool
) -> None:
    image = png()
    print(f"\n{title}")
    for protocol, url in urls.items():
        with TritonBackend(url, protocol, timeout_s=120, max_new_tokens=tokens) as client:  # type: ignore[arg-type]
            bench_client(client, protocol, image, count, expect_ok)


def bench_client(
    client: TritonBackend, protocol: str, image: bytes, count: int, expect_ok: bool
) -> None:
    ok, reason = client.ready()
    if not ok:
        raise SystemExit(f"FAIL: {reason}")
    grounder = timed(
        lambda: client.image_read(image), count, lambda r: (r.error is None) == expect_ok
    )  # type: ignore[attr-defined]
    parser = timed(
        lambda: client.infer_parser(DRAFT),
        count,
        lambda r: (r.account.status != "unparseable") == expect_ok,
    )  # type: ignore[attr-defined]
    print(f"  {protocol:4}  grounder (512x512 PNG)  {percentiles(grounder)}")
    print(f"  {protocol:4}  draft parser            {percentiles(parser)}")
    print(
        f"  {protocol:4}  grounder throughput     "
        f"{throughput(lambda: client.image_read(image), count, 8)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per overhead row")
    parser.add_argument("--tiny-requests", type=int, default=30, help="requests per tiny row")
    parser.add_argument("--tokens", type=int, default=16, help="max_new_tokens for tiny models")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxr-bench-") as tmp:
        work = Path(tmp)
        grounder = write_replay(work / "grounder.json", default=FINDINGS)
        draft = write_replay(work / "parser.json", default=MENTIONS)
        (work / "replay").mkdir()
        with local_server(
            work / "replay", grounder=grounder, parser=draft, runtime="replay"
        ) as server:
            print(f"replay runtime: server ready in {server.startup_s:.1f} s")
            bench_server(
                "Request overhead through Triton (replay runtime, no model)",
                {"http": server.http_url, "grpc": server.grpc_url},
                args.requests,
                None,
                expect_ok=True,
            )
        from cxr_auditor.serving.tiny_models import make_tiny_models

        tiny_grounder, tiny_parser = make_tiny_models(work / "models")
        (work / "tiny").mkdir()
        with local_server(work / "tiny", grounder=tiny_grounder, parser=tiny_parser) as server:
            print(f"\ntiny models: server ready in {server.startup_s:.1f} s")
            bench_server(
                f"Tiny random models, transformers runtime, max_new_tokens="
                f"{args.tokens}, garbage output so 2 generations per request",
                {"http": server.http_url, "grpc": server.grpc_url},
                args.tiny_requests,
                args.tokens,
                expect_ok=False,
            )
    print("\nPASS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
