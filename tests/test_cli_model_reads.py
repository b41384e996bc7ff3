"""``cxr-auditor cases model-reads`` against real local Triton servers: the tiny random-weight
models of the real architectures (their garbage answers are failures, each with its reason), and the
replay runtime (well-formed answers, stored once, skipped on a second run, read again with
``--again``). A few cases only (``--cases``), to keep it fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from authored_support import authored_case, film
from support import require_extras

from cxr_auditor.cli import main
from cxr_auditor.db import case_store, open_database
from cxr_auditor.db.model_reads import latest_reads, list_reads
from cxr_auditor.serving.client import TritonBackend
from cxr_auditor.serving.devserver import local_server, write_replay
from cxr_auditor.serving.launcher import TritonServer
from cxr_auditor.serving.tiny_models import make_tiny_models

require_extras("tritonclient", "pytriton", "transformers", "torch", extra="serving/models")

CASES = ["chestxdet-36216", "chestxdet-36224"]
EFFUSION = '[{"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]}]'


@pytest.fixture(scope="module")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TritonServer]:
    work = tmp_path_factory.mktemp("model_reads_tiny")
    grounder, parser = make_tiny_models(work / "models")
    with local_server(work, grounder=grounder, parser=parser) as running:
        yield running


@pytest.fixture(scope="module")
def replay_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TritonServer]:
    work = tmp_path_factory.mktemp("model_reads_replay")
    grounder = write_replay(work / "grounder-replay", default=EFFUSION)
    parser = write_replay(work / "parser-replay", default="[]")
    with local_server(work, grounder=grounder, parser=parser, runtime="replay") as running:
        yield running


def model_reads(server_url: str, database: str, *extra: str) -> int:
    return main(
        [
            "cases",
            "model-reads",
            "--triton-url",
            server_url,
            "--database-url",
            database,
            "--cases",
            *CASES,
            "--max-new-tokens",
            "12",
            "--no-progress",
            *extra,
        ]
    )


def test_tiny_models_answer_garbage_and_every_case_is_a_failure_with_its_reason(
    tiny_server: TritonServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'reads.sqlite3'}"
    assert model_reads(tiny_server.http_url, database) == 1
    out = capsys.readouterr().out
    assert "model: tiny-gemma3-grounder (version 1)" in out
    failures = re.findall(r"^  failed: (\S+): (.+)$", out, flags=re.MULTILINE)
    assert [case_id for case_id, _ in failures] == CASES
    assert all(reason.strip() for _, reason in failures)
    assert "2 case(s): 0 read and stored, 2 failed, 0 skipped" in out
    assert list_reads(open_database(database)) == []


def test_replayed_reads_are_stored_once_then_skipped_then_read_again(
    replay_server: TritonServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'reads.sqlite3'}"
    assert model_reads(replay_server.http_url, database) == 0
    assert "2 case(s): 2 read and stored, 0 failed, 0 skipped" in capsys.readouterr().out
    engine = open_database(database)
    latest = latest_reads(engine)
    assert set(latest) == set(CASES)
    read = latest[CASES[0]]
    assert (read.model_name, read.model_version) == ("grounder-replay", "1")
    assert read.server_url == replay_server.http_url.split("://")[-1]
    assert [(f.label, f.box) for f in read.findings] == [
        ("pleural_effusion", (0.62, 0.08, 0.88, 0.40))
    ]

    assert model_reads(replay_server.http_url, database) == 0
    out = capsys.readouterr().out
    assert "0 read and stored, 0 failed, 2 skipped (already read by grounder-replay" in out
    assert model_reads(replay_server.http_url, database, "--again") == 0
    assert "2 read and stored" in capsys.readouterr().out
    assert len(list_reads(engine)) == 4


def test_bad_input_is_one_line_and_stores_nothing(
    replay_server: TritonServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'reads.sqlite3'}"
    assert model_reads(replay_server.http_url, database, "--cases", "no-such-case") == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no case 'no-such-case'" in err
    assert model_reads("127.0.0.1:9", database) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not ready" in err
    assert list_reads(open_database(database)) == []


def test_an_instructors_case_in_the_database_is_read_too(
    replay_server: TritonServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'reads.sqlite3'}"
    engine = open_database(database)
    case_store.save_case(engine, authored_case("local-projector"), film())
    assert model_reads(replay_server.http_url, database, "--cases", "local-projector") == 0
    assert "1 case(s): 1 read and stored, 0 failed" in capsys.readouterr().out
    assert set(latest_reads(engine)) == {"local-projector"}


@pytest.mark.parametrize("protocol", ["http", "grpc"])
def test_each_served_model_says_who_it_is(replay_server: TritonServer, protocol: str) -> None:
    url = replay_server.http_url if protocol == "http" else replay_server.grpc_url
    with TritonBackend(url, protocol, timeout_s=20) as backend:
        grounder = backend.served_identity()
        parser = backend.served_identity(backend.parser_model)
    assert (grounder.name, grounder.version) == ("grounder-replay", "1")
    assert (parser.name, parser.version) == ("parser-replay", "1")
