"""Many requests of one model reach the engine together through a real Triton server.

The classroom sends 40 audits at once; the engines batch in flight, so every request must reach
the model's engine as soon as it arrives. Two things used to stand in the way, or could: the
client's cap on requests in flight (8 before: the app shares one client among all sessions), and
Triton holding the model instance until a batch's responses are sent (static batching; the
Python backend of the bundled Triton 2.51 does not, since ``execute`` returns at once).

The ``replay`` runtime counts the generations in flight at once in each model (``count``), and
holds each generation until 16 are in flight (or 10 s pass). So these tests count, they do not
time: with either cap back the peak stays at 8 and they fail.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support import require_extras

from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.devserver import local_server, write_replay
from cxr_auditor.serving.errors import RuntimeLoadError
from cxr_auditor.serving.launcher import TritonServer
from cxr_auditor.serving.readers import make_readers
from cxr_auditor.serving.runtime_replay import InFlight, read_count

require_extras("tritonclient", "pytriton", extra="serving/models")

TOGETHER = 16  # twice Triton's max_batch_size (8) and the old client cap (8)
SENT = 20
FINDINGS = '[{"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]}]'
DRAFT = "Small left pleural effusion."
MENTIONS = (
    '[{"label": "pleural_effusion", "status": "present", "span": "Small left pleural '
    'effusion", "laterality": "left"}]'
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((30, 40), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def peak(path: Path) -> int:
    return int(json.loads(path.read_text(encoding="utf-8"))["peak"]) if path.exists() else 0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TritonServer, Path]]:
    work = tmp_path_factory.mktemp("triton_inflight")
    counts = {
        role: {"file": str(work / f"{role}-peak.json"), "hold_until": TOGETHER, "hold_ms": 10000}
        for role in ("grounder", "parser")
    }
    grounder = write_replay(work / "grounder.json", default=FINDINGS, count=counts["grounder"])
    parser = write_replay(work / "parser.json", default=MENTIONS, count=counts["parser"])
    with local_server(work, grounder=grounder, parser=parser, runtime="replay") as server:
        yield server, work


def test_image_reads_over_http_reach_the_grounder_together(
    served: tuple[TritonServer, Path],
) -> None:
    server, work = served
    with (
        TritonBackend(server.http_url, "http", timeout_s=120) as backend,
        ThreadPoolExecutor(max_workers=SENT) as pool,
    ):
        reads = list(pool.map(lambda _: backend.image_read(png()), range(SENT)))
    assert [r.error for r in reads] == [None] * SENT
    assert all(r.findings[0].label == "pleural_effusion" for r in reads)
    assert peak(work / "grounder-peak.json") >= TOGETHER


def test_draft_reads_of_the_app_over_grpc_reach_the_parser_together(
    served: tuple[TritonServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's own client (``make_readers`` from the environment, one shared by all sessions)."""
    server, work = served
    monkeypatch.setenv("CXR_TRITON_PROTOCOL", "grpc")
    monkeypatch.setenv("CXR_TRITON_TIMEOUT_S", "120")
    monkeypatch.delenv("CXR_TRITON_MAX_CONCURRENCY", raising=False)
    readers = make_readers(server.grpc_url)
    assert readers.backend is not None, readers.problem
    reader = readers.draft_reader()
    try:
        with ThreadPoolExecutor(max_workers=SENT) as pool:
            reads = list(pool.map(lambda _: reader.read(DRAFT), range(SENT)))
    finally:
        getattr(readers.backend, "close", lambda: None)()
    assert [r.identity.fallback_reason for r in reads] == [None] * SENT
    assert all(r.identity.kind == "model" for r in reads)
    assert peak(work / "parser-peak.json") >= TOGETHER


@pytest.mark.parametrize(
    "count,words",
    [
        ({"file": "/tmp/x.json", "hold_until": 2}, "exactly the keys"),
        ({"file": "", "hold_until": 2, "hold_ms": 10}, "count.file"),
        ({"file": "/tmp/x.json", "hold_until": -1, "hold_ms": 10}, "hold_until"),
        ({"file": "/tmp/x.json", "hold_until": True, "hold_ms": 10}, "hold_until"),
        ({"file": "/tmp/x.json", "hold_until": 2, "hold_ms": "soon"}, "hold_ms"),
    ],
)
def test_a_bad_count_in_a_replay_file_refuses_the_load(
    count: dict[str, object], words: str
) -> None:
    with pytest.raises(RuntimeLoadError, match=words):
        read_count(Path("replay.json"), count)


def test_the_count_records_the_peak_and_holds_until_enough_are_in_flight(tmp_path: Path) -> None:
    file = tmp_path / "peak.json"
    count = read_count(tmp_path / "r.json", {"file": str(file), "hold_until": 3, "hold_ms": 60000})
    assert count is not None

    async def three_together() -> list[int]:
        counter = InFlight(count)
        seen: list[int] = []

        async def one() -> None:
            counter.enter()
            try:
                await counter.hold()  # returns only once 3 have entered
                seen.append(counter.now)
            finally:
                counter.leave()

        await asyncio.gather(one(), one(), one())
        return seen + [counter.now]

    assert asyncio.run(three_together()) == [3, 2, 1, 0]
    assert peak(file) == 3
