"""The tritonclient backend without a Triton server: failures become degraded reads, in time."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from support import require_extras

from cxr_auditor.core.audit import RULES_IDENTITY, run_audit
from cxr_auditor.serving import client as client_module
from cxr_auditor.serving.client import TritonBackend, TritonCallError, fallback_read
from cxr_auditor.serving.config import ConfigError
from cxr_auditor.serving.launcher import free_port

require_extras("tritonclient", extra="serving/models")  # fails instead of skipping in CI

PROTOCOLS = ["http", "grpc"]
DRAFT = "Small left pleural effusion. No pneumothorax."


@pytest.fixture()
def closed_port() -> int:
    return free_port()


@pytest.fixture()
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"url": "localhost"}, ConfigError),
        ({"url": "grpc://localhost:8001", "protocol": "http"}, ConfigError),
        ({"url": "localhost:8000", "timeout_s": 0}, ValueError),
        ({"url": "localhost:8000", "retries": 9}, ValueError),
        ({"url": "localhost:8000", "grounder_model": "a b"}, ConfigError),
        ({"url": "localhost:8000", "max_concurrency": 0}, ValueError),
    ],
)
def test_bad_settings_fail_at_construction(kwargs: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        TritonBackend(**kwargs)  # type: ignore[arg-type]


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXR_TRITON_PROTOCOL", "grpc")
    monkeypatch.setenv("CXR_TRITON_URL", "triton:9001")
    monkeypatch.setenv("CXR_TRITON_TIMEOUT_S", "4")
    monkeypatch.setenv("CXR_TRITON_MAX_CONCURRENCY", "50")
    backend = TritonBackend.from_env()
    assert (backend.url, backend.protocol, backend.timeout_s) == ("triton:9001", "grpc", 4.0)
    assert backend.max_concurrency == 50
    assert TritonBackend.from_env(max_concurrency=3).max_concurrency == 3


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_server_down_gives_a_failed_read_with_its_reason(protocol: str, closed_port: int) -> None:
    backend = TritonBackend(
        f"127.0.0.1:{closed_port}",
        protocol,
        timeout_s=3,
        retries=1,  # type: ignore[arg-type]
        backoff_s=0.05,
    )
    started = time.monotonic()
    read = backend.image_read(b"\x89PNG\r\n\x1a\nwhatever")
    assert time.monotonic() - started < 3.5
    assert read.error is not None and "grounder" in read.error and "2 attempts" in read.error
    assert read.findings == [] and read.identity.name == "triton:grounder"
    ok, reason = backend.ready()
    assert not ok and str(closed_port) in reason
    backend.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_draft_parser_down_falls_back_to_rules_and_says_so(protocol: str, closed_port: int) -> None:
    backend = TritonBackend(f"127.0.0.1:{closed_port}", protocol, timeout_s=2, retries=0)  # type: ignore[arg-type]
    read = backend.draft_reader().read(DRAFT)
    assert read.identity.kind == "rules" and read.identity.name == RULES_IDENTITY.name
    assert read.identity.fallback_reason and "draft_parser" in read.identity.fallback_reason
    assert "1 attempt" in read.identity.fallback_reason
    assert {m.label for m in read.mentions} >= {"pleural_effusion", "pneumothorax"}


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_hung_server_is_cut_at_the_timeout(protocol: str, silent_port: int) -> None:
    backend = TritonBackend(f"127.0.0.1:{silent_port}", protocol, timeout_s=1.0, retries=2)  # type: ignore[arg-type]
    started = time.monotonic()
    read = backend.image_read(b"\x89PNG\r\n\x1a\n")
    elapsed = time.monotonic() - started
    assert read.error is not None
    assert elapsed < 1.6, f"took {elapsed:.2f}s for a 1.0 s budget"
    backend.close()


def test_the_audit_degrades_visibly_when_triton_is_down(closed_port: int) -> None:
    backend = TritonBackend(f"127.0.0.1:{closed_port}", timeout_s=1, retries=0)
    result = run_audit(DRAFT, backend.image_read(b"\x89PNG\r\n\x1a\n"), backend.draft_reader())
    assert not result.image_evaluated and result.draft_evaluated
    assert "IMAGE_NOT_EVALUATED" in {note.kind for note in result.notes}
    assert result.parser.fallback_reason and result.grounder_account.error
    assert not [f for f in result.flags if f.kind == "MISSING"]


def test_missing_tritonclient_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(protocol: str) -> None:
        raise TritonCallError("tritonclient is not installed (No module named 'tritonclient')")

    monkeypatch.setattr(client_module, "_tritonclient", missing)
    backend = TritonBackend("127.0.0.1:1")
    assert "tritonclient is not installed" in str(backend.image_read(b"x").error)
    assert backend.ready() == (
        False,
        ("tritonclient is not installed (No module named 'tritonclient')"),
    )


def test_fallback_never_raises_even_if_the_rule_parser_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> None:
        raise RuntimeError("lexicon missing")

    monkeypatch.setattr(client_module, "rule_reader", broken)
    read = fallback_read(DRAFT, "draft_parser: down")
    assert read.account.status == "unparseable" and "lexicon missing" in str(read.account.error)
    assert read.identity.fallback_reason == "draft_parser: down"


@pytest.mark.parametrize(
    "error,retriable,words",
    [
        (ConnectionRefusedError(111, "Connection refused"), True, "cannot reach"),
        (TimeoutError("timed out"), False, "no answer within"),
    ],
)
def test_error_classification(error: BaseException, retriable: bool, words: str) -> None:
    classified = TritonBackend("127.0.0.1:1")._classify(error, "grounder", 2.0)
    assert classified.retriable is retriable and words in classified.reason


@pytest.mark.parametrize(
    "status,retriable",
    [
        ("400", False),
        ("503", True),
        ("StatusCode.UNAVAILABLE", True),
        ("StatusCode.INVALID_ARGUMENT", False),
    ],
)
def test_server_answers_are_retried_only_when_unavailable(status: str, retriable: bool) -> None:
    from tritonclient.utils import InferenceServerException

    error = InferenceServerException("something happened", status=status)
    assert TritonBackend("127.0.0.1:1")._classify(error, "grounder", 2.0).retriable is retriable


def test_parse_cli_refuses_a_server_that_is_not_ready(
    closed_port: int, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxr_auditor.cli import main

    drafts = tmp_path / "drafts.csv"
    drafts.write_text("id,text\na,No effusion.\n", encoding="utf-8")
    code = main(
        [
            "parse",
            "--in",
            str(drafts),
            "--out",
            str(tmp_path / "out.jsonl"),
            "--parser",
            "triton",
            "--triton-url",
            f"127.0.0.1:{closed_port}",
        ]
    )
    assert code == 2 and "is not ready" in capsys.readouterr().err


@pytest.mark.parametrize("bad", [None, 42])
def test_reads_never_raise_even_on_nonsense_input(bad: object, closed_port: int) -> None:
    backend = TritonBackend(f"127.0.0.1:{closed_port}", timeout_s=1, retries=0)
    assert backend.image_read(bad).error  # type: ignore[arg-type]
    read = backend.draft_reader().read(bad)  # type: ignore[arg-type]
    assert read.identity.fallback_reason


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_readiness_check_of_a_hung_server_returns_in_time(protocol: str, silent_port: int) -> None:
    backend = TritonBackend(f"127.0.0.1:{silent_port}", protocol, timeout_s=1.0)  # type: ignore[arg-type]
    started = time.monotonic()
    ok, reason = backend.ready()
    assert not ok and reason and time.monotonic() - started < 2.0
