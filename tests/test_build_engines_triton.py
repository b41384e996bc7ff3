"""``smoke``, ``warmup`` and ``bench`` against a real Triton server (the CPU one bundled in
nvidia-pytriton) on the ``replay`` runtime: the client side of the GPU checks, end to end.

The replay models answer well-formed JSON for the default draft and garbage for any other, so
the same server shows a PASS and a FAIL. What the GPU adds (TensorRT-LLM) is not exercised here.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import require_extras

from cxr_auditor.build_engines.cli import main
from cxr_auditor.build_engines.traffic import DEFAULT_DRAFT
from cxr_auditor.serving.devserver import local_server, write_replay
from cxr_auditor.serving.launcher import TritonServer

require_extras("tritonclient", "pytriton", extra="serving")  # fails instead of skipping in CI

# the patient's left pneumothorax: on the image's right (large x)
FINDINGS = '[{"label": "pneumothorax", "box_2d": [0.38, 0.77, 0.66, 0.88]}]'
MENTIONS = (
    '[{"label": "no_finding", "status": "present", "span": "No acute cardiopulmonary '
    'abnormality"}, {"label": "pleural_effusion", "status": "present", "span": "Small '
    'left pleural effusion", "laterality": "left", "severity": "small"}]'
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TritonServer]:
    work = tmp_path_factory.mktemp("build_engines_triton")
    grounder = write_replay(work / "grounder.json", default=FINDINGS)
    parser = write_replay(
        work / "parser.json",
        [(re.escape(DEFAULT_DRAFT) + "$", MENTIONS)],
        default="I cannot help with that.",
    )
    (work / "run").mkdir()
    with local_server(work / "run", grounder=grounder, parser=parser, runtime="replay") as running:
        yield running


@pytest.mark.parametrize("protocol", ["http", "grpc"])
def test_smoke_passes_and_prints_the_flags(
    server: TritonServer, protocol: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.http_url if protocol == "http" else server.grpc_url
    assert main(["smoke", "--url", url, "--protocol", protocol, "--timeout", "30"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "PASS"
    assert any(
        line.startswith("grounder ") and "status ok" in line and "findings 1" in line
        for line in out
    )
    assert any(line.startswith("draft_parser ") and "mentions 2" in line for line in out)
    # the draft calls the study normal and misses the pneumothorax: MISSING and URGENT
    assert any("[MISSING] pneumothorax" in line for line in out)
    assert any("[URGENT] pneumothorax" in line and "in_draft=false" in line for line in out)


def test_smoke_fails_on_an_unparseable_answer(
    server: TritonServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["smoke", "--url", server.http_url, "--draft", "Heart size is normal."])
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert code == 1 and last.startswith("FAIL: draft_parser:")


def test_warmup_waits_then_warms(server: TritonServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "warmup",
                "--url",
                server.http_url,
                "--wait",
                "30",
                "--concurrency",
                "1",
                "3",
                "--rounds",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "concurrency   1: 1 audits" in out and "concurrency   3: 3 audits" in out
    assert "3 parsed" in out and out.rstrip().endswith("PASS")


def test_bench_prints_a_table_and_saves_json(
    server: TritonServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench" / "gpu_bench.json"
    assert (
        main(
            [
                "bench",
                "--target",
                f"replay={server.http_url}",
                "--target",
                f"replay_again={server.http_url}",
                "--concurrency",
                "1",
                "4",
                "--rounds",
                "2",
                "--warmup",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    report = json.loads(out.read_text())
    assert [level["concurrency"] for level in report["levels"]] == [1, 4]
    for level in report["levels"]:
        for name in ("replay", "replay_again"):
            result = level["results"][name]
            assert result["audits"] == max(8, 2 * level["concurrency"])
            assert result["served"] == result["parsed"] == result["audits"]
            assert result["p95_ms"] >= result["p50_ms"] > 0
    assert report["targets"]["replay"]["grounder"]["kind"] == "model"
    table = capsys.readouterr().out
    assert re.search(r"^\s+4 \|\s+\d+ / \d+\s+[\d.]+\s+8/8 \|", table, re.MULTILINE), table


def test_bench_refuses_a_target_that_is_down(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["bench", "--target", f"down=127.0.0.1:{port}", "--timeout", "2"]) == 2
    assert "target down:" in capsys.readouterr().err
