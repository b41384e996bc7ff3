"""A real Triton server on the ``replay`` runtime: well-formed answers end to end, and a crash.

The replay runtime answers canned model text (no weights), so these tests see findings and
mentions travel the whole way (client -> Triton -> model.py -> parsers -> client) and an audit
come out with real flags; then the server is killed in the middle of 50 audits.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support import require_extras

from cxr_auditor.core.audit import run_audit
from cxr_auditor.core.schemas import AuditResult
from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.devserver import local_server, write_replay
from cxr_auditor.serving.launcher import TritonServer

require_extras(
    "tritonclient", "pytriton", extra="serving/models"
)  # fails instead of skipping in CI

PROTOCOLS = ["http", "grpc"]
# patient's RIGHT effusion: on the image left (small x)
RIGHT_EFFUSION = '[{"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]}]'
PNEUMOTHORAX = '```json\n[{"label": "pneumothorax", "box_2d": [80, 580, 350, 920]}]\n```'
DRAFT = "Small left pleural effusion. No pneumothorax."
MENTIONS = (
    '[{"label": "pleural_effusion", "status": "present", "span": "Small left pleural '
    'effusion", "laterality": "left", "severity": "small"}, {"label": "pneumothorax", '
    '"status": "absent", "span": "No pneumothorax", "cue": "No"}]'
)


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((height, width), dtype=np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def replay_files(work: Path, delay_ms: float = 0) -> tuple[Path, Path]:
    grounder = write_replay(
        work / "grounder.json",
        [
            ("could not be read", RIGHT_EFFUSION),  # the corrective retry gets a good answer
            ("image 40x30", RIGHT_EFFUSION),
            ("image 50x30", PNEUMOTHORAX),
        ],
        default="The lungs look fine to me.",
        delay_ms=delay_ms,
    )
    parser = write_replay(
        work / "parser.json",
        [(f"Draft impression:\n{DRAFT}$", MENTIONS)],
        default="<think>\nThe draft",
        delay_ms=delay_ms,
    )
    return grounder, parser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TritonServer]:
    work = tmp_path_factory.mktemp("triton_replay")
    grounder, parser = replay_files(work)
    with local_server(work, grounder=grounder, parser=parser, runtime="replay") as running:
        yield running


@pytest.fixture(params=PROTOCOLS)
def backend(request: pytest.FixtureRequest, server: TritonServer) -> Iterator[TritonBackend]:
    address = server.http_url if request.param == "http" else server.grpc_url
    client = TritonBackend(address, request.param, timeout_s=20)
    yield client
    client.close()


def test_findings_round_trip(backend: TritonBackend) -> None:
    read = backend.image_read(png(40, 30))
    assert read.error is None and read.account.status == "ok"
    assert [(f.label, f.box, f.source) for f in read.findings] == [
        ("pleural_effusion", (0.62, 0.08, 0.88, 0.40), "model")
    ]
    assert read.identity.name == "grounder.json" and read.identity.kind == "model"


def test_repairs_travel_with_the_findings(backend: TritonBackend) -> None:
    read = backend.image_read(png(50, 30))
    assert read.account.status == "repaired"
    assert any(r.startswith("code_fence") for r in read.account.repairs)
    assert any(r.startswith("scale_0_1000") for r in read.account.repairs)
    assert read.findings[0].box == (0.08, 0.58, 0.35, 0.92)


def test_a_retry_that_succeeds_is_recorded(backend: TritonBackend) -> None:
    reply = backend.infer_grounder(png(60, 30))
    assert reply.account.status == "repaired"
    assert reply.account.repairs[0].startswith("retry: the first output was unparseable")
    assert reply.items[0]["label"] == "pleural_effusion"


def test_mentions_round_trip(backend: TritonBackend) -> None:
    read = backend.draft_reader().read(DRAFT)
    assert read.identity.kind == "model" and read.identity.fallback_reason is None
    assert [(m.label, m.status, m.text, m.laterality) for m in read.mentions] == [
        ("pleural_effusion", "present", "Small left pleural effusion", "left"),
        ("pneumothorax", "absent", "No pneumothorax", None),
    ]


def test_cut_off_reasoning_falls_back_with_the_reason(backend: TritonBackend) -> None:
    reply = backend.infer_parser("Cardiomegaly.")
    assert any(r.startswith("think_cut_off") for r in reply.account.repairs)
    read = backend.draft_reader().read("Cardiomegaly.")
    assert read.identity.kind == "rules" and "unparseable" in str(read.identity.fallback_reason)


def test_audit_end_to_end_flags_laterality(backend: TritonBackend) -> None:
    image = png(40, 30)
    result = run_audit(DRAFT, backend.image_read(image), backend.draft_reader(), image_bytes=image)
    assert result.image_evaluated and result.draft_evaluated
    assert [flag.kind for flag in result.flags] == ["LATERALITY"]


def degraded(result: AuditResult) -> str | None:
    """The reason an audit is degraded, or None when both reads came from the models."""
    reasons = [
        result.grounder_account.error if not result.image_evaluated else None,
        result.parser.fallback_reason,
    ]
    return "; ".join(r for r in reasons if r) or None


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_server_killed_in_the_middle_of_50_audits(tmp_path: Path, protocol: str) -> None:
    """Every audit returns, degraded with its reason, within the client's time budget."""
    grounder, parser = replay_files(tmp_path, delay_ms=3000)  # the first batch is still running
    with local_server(tmp_path, grounder=grounder, parser=parser, runtime="replay") as server:
        address = server.http_url if protocol == "http" else server.grpc_url
        client = TritonBackend(
            address,
            protocol,
            timeout_s=6,
            retries=1,  # type: ignore[arg-type]
            backoff_s=0.05,
        )
        assert client.ready()[0]
        image = png(40, 30)

        def audit(_: int) -> tuple[AuditResult, float]:
            started = time.monotonic()
            result = run_audit(
                DRAFT, client.image_read(image), client.draft_reader(), image_bytes=image
            )
            return result, time.monotonic() - started

        killer = threading.Timer(0.8, server.kill)
        killer.start()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(audit, range(50)))
        elapsed = time.monotonic() - started
        killer.join()
        client.close()
        assert not server.alive()
    assert len(outcomes) == 50
    reasons = [degraded(result) for result, _ in outcomes]
    assert all(reasons), "an audit came back as if nothing had happened"
    assert all(
        not result.image_evaluated and result.parser.kind == "rules" for result, _ in outcomes
    )
    assert all("grounder" in str(result.grounder_account.error) for result, _ in outcomes)
    assert max(duration for _, duration in outcomes) < 2 * 6 + 1  # two calls, 6 s budget each
    assert elapsed < 30


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_audit_cli_through_triton(
    server: TritonServer,
    protocol: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cxr_auditor.cli import main

    monkeypatch.setenv("CXR_TRITON_PROTOCOL", protocol)
    monkeypatch.setenv("CXR_TRITON_URL", server.http_url if protocol == "http" else server.grpc_url)
    image = tmp_path / "film.png"
    image.write_bytes(png(40, 30))
    assert (
        main(
            [
                "audit",
                "--image",
                str(image),
                "--draft",
                DRAFT,
                "--grounder",
                "triton",
                "--parser",
                "triton",
                "--json",
            ]
        )
        == 0
    )
    result = AuditResult.model_validate_json(capsys.readouterr().out)
    assert (result.grounder.kind, result.parser.kind) == ("model", "model")
    assert [flag.kind for flag in result.flags] == ["LATERALITY"]


def test_audit_cli_says_when_triton_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxr_auditor.cli import main
    from cxr_auditor.serving.launcher import free_port

    monkeypatch.setenv("CXR_TRITON_URL", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("CXR_TRITON_TIMEOUT_S", "2")
    image = tmp_path / "film.png"
    image.write_bytes(png(40, 30))
    assert (
        main(
            [
                "audit",
                "--image",
                str(image),
                "--draft",
                DRAFT,
                "--grounder",
                "triton",
                "--parser",
                "triton",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "warning: image not evaluated" in captured.err
    assert "warning: draft read by the rules instead" in captured.err
    assert "IMAGE_NOT_EVALUATED" in captured.out


def test_parse_cli_through_triton(server: TritonServer, tmp_path: Path) -> None:
    import json

    from cxr_auditor.cli import main

    drafts = tmp_path / "drafts.csv"
    drafts.write_text(f'id,text\na,"{DRAFT}"\nb,Cardiomegaly.\n', encoding="utf-8")
    out = tmp_path / "parsed.jsonl"
    assert (
        main(
            [
                "parse",
                "--in",
                str(drafts),
                "--out",
                str(out),
                "--parser",
                "triton",
                "--triton-url",
                server.http_url,
                "--no-progress",
            ]
        )
        == 0
    )
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["a", "b"]
    assert rows[0]["parser"]["kind"] == "model" and len(rows[0]["mentions"]) == 2
    assert rows[1]["parser"]["kind"] == "rules" and rows[1]["parser"]["fallback_reason"]
