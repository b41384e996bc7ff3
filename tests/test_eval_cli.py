"""``cxr-auditor eval``: each subcommand writes its files and prints a table; errors: one line."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import types
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from cxr_auditor.cli import main
from cxr_auditor.core.audit import ImageRead, model_read, rule_reader
from cxr_auditor.serving.backend import ModelBackend, NamedDraftReader

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = FIXTURES / "eval" / "cases"
PARSER = FIXTURES / "eval" / "parser"
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv, table_word",
    [
        (["eval", "synthetic", "--cases", str(CASES)], "clean-draft false-flag rate"),
        (
            [
                "eval",
                "synthetic",
                "--chestx-det",
                str(FIXTURES / "datasets" / "chestx_det_sample.json"),
                "--n",
                "5",
            ],
            "eval synthetic: 5 cases",
        ),
        (
            [
                "eval",
                "parser",
                "--reports",
                str(PARSER / "reports.csv"),
                "--labels",
                str(PARSER / "labels.csv"),
                "--nih-labels",
                str(PARSER / "nih_std14.csv"),
                "--bootstrap",
                "20",
            ],
            "macro-F1",
        ),
        (
            [
                "eval",
                "parser",
                "--predictions",
                str(PARSER / "predictions.jsonl"),
                "--labels",
                str(PARSER / "labels.csv"),
            ],
            "unparseable 1, missing 1",
        ),
        (["eval", "grounding", "--cases", str(CASES)], "recall@0.5"),
        (
            ["eval", "grounding", "--nih-bbox", str(FIXTURES / "datasets" / "nih_bbox_sample.csv")],
            "incomplete references",
        ),
    ],
)
def test_each_eval_writes_summary_report_and_prints_a_table(argv, table_word, capsys, tmp_path):
    code, out, err = _run(capsys, *argv, "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0, err
    assert table_word in out and "wrote " in out and err == ""
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["evaluation"] == argv[1]
    report = (tmp_path / "out" / "report.md").read_text()
    assert report.startswith("# ")
    if HAS_MATPLOTLIB:
        assert list((tmp_path / "out").glob("*.png")) and "](" in report
    else:
        assert "not drawn: matplotlib is not installed" in report


def test_progress_goes_to_stderr(capsys, tmp_path):
    code, out, err = _run(
        capsys, "eval", "synthetic", "--cases", str(CASES), "--out", str(tmp_path)
    )
    assert code == 0 and "eval synthetic [" in err and "eval synthetic [" not in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["eval", "synthetic", "--cases", "/no/such/folder"], "not a folder"),
        (["eval", "synthetic", "--cases", str(CASES), "--n", "0"], "--n 0"),
        (
            [
                "eval",
                "parser",
                "--reports",
                str(PARSER / "reports.csv"),
                "--labels",
                str(PARSER / "reports.csv"),
            ],
            "required",
        ),
        (["eval", "grounding", "--chestx-det", str(PARSER / "labels.csv")], "not valid JSON"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys, tmp_path):
    code, _, err = _run(capsys, *argv, "--out", str(tmp_path))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


class FakeBackend(ModelBackend):
    """Stands in for serving.client.TritonBackend (rule parser, reference-like grounder)."""

    made: ClassVar[list[str]] = []

    def __init__(self, url: str, protocol: str = "http", timeout_s: float = 30.0, retries: int = 1):
        FakeBackend.made.append(url)

    def ready(self, models: Sequence[str] | None = None) -> tuple[bool, str]:
        return True, ""

    def draft_reader(self) -> NamedDraftReader:
        return rule_reader()

    def image_read(self, image_bytes: bytes) -> ImageRead:
        return model_read(image_bytes.decode(), name="fake")


def test_triton_options_use_the_serving_client(capsys, tmp_path, monkeypatch):
    module = types.ModuleType("cxr_auditor.serving.client")
    setattr(module, "TritonBackend", FakeBackend)  # noqa: B010 (a stand-in module)
    monkeypatch.setitem(sys.modules, "cxr_auditor.serving.client", module)
    monkeypatch.setenv("CXR_TRITON_URL", "localhost:18000")
    cases = tmp_path / "cases"
    for name in ("effusion-right", "normal"):
        shutil.copytree(CASES / name, cases / name)
        data = json.loads((cases / name / "case.json").read_text())
        (cases / name / "image.png").write_text(json.dumps(data["reference"]))  # the "model" echoes
        (cases / name / "case.json").write_text(json.dumps({**data, "image": "image.png"}))
    code, _, err = _run(
        capsys,
        "eval",
        "grounding",
        "--cases",
        str(cases),
        "--grounder",
        "triton",
        "--out",
        str(tmp_path / "g"),
        "--quiet",
    )
    assert code == 0, err
    summary = json.loads((tmp_path / "g" / "summary.json").read_text())
    assert summary["grounder"] == "triton" and summary["n_failed"] == 0
    code, _, err = _run(
        capsys,
        "eval",
        "synthetic",
        "--cases",
        str(cases),
        "--parser",
        "triton",
        "--out",
        str(tmp_path / "s"),
        "--quiet",
    )
    assert code == 0, err
    assert FakeBackend.made[-2:] == ["localhost:18000", "localhost:18000"]


@pytest.mark.parametrize(
    "client, env, message",
    [
        (None, "localhost:8000", "serving client"),
        ("fake", "", "CXR_TRITON_URL"),
    ],
)
def test_triton_without_client_or_address_is_a_clear_error(
    client, env, message, capsys, tmp_path, monkeypatch
):
    if client is None:
        monkeypatch.setitem(sys.modules, "cxr_auditor.serving.client", None)
    else:
        module = types.ModuleType("cxr_auditor.serving.client")
        setattr(module, "TritonBackend", FakeBackend)  # noqa: B010 (a stand-in module)
        monkeypatch.setitem(sys.modules, "cxr_auditor.serving.client", module)
    monkeypatch.setenv("CXR_TRITON_URL", env)
    code, _, err = _run(
        capsys,
        "eval",
        "grounding",
        "--cases",
        str(CASES),
        "--grounder",
        "triton",
        "--out",
        str(tmp_path),
    )
    assert code == 2 and message in err


class DownBackend(FakeBackend):
    """A server that answers the readiness check with 'not ready'."""

    parser_model, grounder_model = "draft_parser", "grounder"

    def ready(self, models: Sequence[str] | None = None) -> tuple[bool, str]:
        return False, f"model(s) not ready: {', '.join(models or [])}"


class FallingBackBackend(FakeBackend):
    """The app's Triton parser when the model fails: the rule parser stands in, naming why."""

    def draft_reader(self) -> NamedDraftReader:
        from cxr_auditor.core.audit import RULES_IDENTITY, FunctionReader

        identity = RULES_IDENTITY.model_copy(update={"fallback_reason": "timeout after 30 s"})
        return FunctionReader(identity, rule_reader().parse)


def _install(monkeypatch, backend):
    module = types.ModuleType("cxr_auditor.serving.client")
    setattr(module, "TritonBackend", backend)  # noqa: B010 (a stand-in module)
    monkeypatch.setitem(sys.modules, "cxr_auditor.serving.client", module)
    monkeypatch.setenv("CXR_TRITON_URL", "localhost:18000")


def test_a_server_that_is_not_ready_stops_the_run(capsys, tmp_path, monkeypatch):
    _install(monkeypatch, DownBackend)
    code, _, err = _run(
        capsys,
        "eval",
        "parser",
        "--reports",
        str(PARSER / "reports.csv"),
        "--labels",
        str(PARSER / "labels.csv"),
        "--parser",
        "triton",
        "--out",
        str(tmp_path),
    )
    assert code == 2 and "Triton is not ready" in err and "draft_parser" in err
    assert not (tmp_path / "summary.json").exists()


def test_rule_parser_fallbacks_are_not_credited_to_the_model(capsys, tmp_path, monkeypatch):
    _install(monkeypatch, FallingBackBackend)
    code, _, err = _run(
        capsys,
        "eval",
        "parser",
        "--reports",
        str(PARSER / "reports.csv"),
        "--labels",
        str(PARSER / "labels.csv"),
        "--parser",
        "triton",
        "--bootstrap",
        "0",
        "--out",
        str(tmp_path),
        "--quiet",
    )
    assert code == 0, err
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["coverage"]["ok"] == 0 and summary["coverage"]["unparseable"] == 9
    errors = [f["error"] for f in summary["failures"] if f["id"] != "9"]
    assert errors and all("timeout after 30 s" in error for error in errors), errors[:2]
