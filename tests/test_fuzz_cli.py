"""The ``cxr-auditor`` command line under random argv and bad files: bench/fuzz_cli.py, smaller.

Every run must end with exit 0 or 2 and no traceback; an exit 2 from the project ends with one
``cxr-auditor <command>: error: ...`` line. The table rows are the inputs that used to escape as a
traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from cxr_auditor.reliability.fuzz_cli import run, run_one, sandbox

CASE_IMAGE = ROOT / "core" / "cases" / "library" / "nih-00005140_001" / "image.jpg"


def test_random_command_lines_never_print_a_traceback(tmp_path: Path) -> None:
    runs = run(400, seed=5, work=tmp_path)
    failures = [(r.argv[:6], r.problem) for r in runs if r.problem]
    assert not failures, failures[:3]
    assert {r.outcome for r in runs} >= {"0", "2"}


@pytest.mark.parametrize(
    "case, argv_tail, message",
    [
        (
            "draft bytes that are not UTF-8 (shell passes surrogates)",
            ["--draft", "caf\udce9"],
            "--draft is not UTF-8 text (byte 0xe9 at position 3)",
        ),
        (
            "a reference read nested 100,000 deep",
            ["--draft", "No effusion.", "--findings", "nested"],
            "nested too deeply",
        ),
        (
            "a reference read with a 50,000-digit number",
            ["--draft", "x", "--findings", "huge"],
            "not usable JSON (Exceeds the limit",
        ),
    ],
)
def test_inputs_that_used_to_escape_as_a_traceback(
    tmp_path: Path, case: str, argv_tail: list[str], message: str
) -> None:
    files = {"nested": tmp_path / "nested.json", "huge": tmp_path / "huge.json"}
    files["nested"].write_text("[" * 100_000 + "]" * 100_000)
    files["huge"].write_text(
        '[{"label": "nodule_mass", "box_2d": [' + "9" * 50_000 + ", 0, 1, 1]}]"
    )
    read = tmp_path / "read.json"
    read.write_text(json.dumps([{"label": "pneumothorax", "box_2d": [0.1, 0.1, 0.3, 0.3]}]))
    tail = [str(files.get(arg, arg)) for arg in argv_tail]
    if "--findings" not in tail:
        tail += ["--findings", str(read)]
    with sandbox(tmp_path):
        outcome = run_one(0, ["audit", "--image", str(CASE_IMAGE), *tail])
    assert outcome.problem is None and outcome.code == 2
    assert message in outcome.stderr and outcome.stderr.count("\n") <= 1, outcome.stderr


def test_the_error_line_is_one_line_and_names_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cxr_auditor.cli import main

    read = tmp_path / "read.json"
    read.write_text(json.dumps([{"label": "pneumothorax", "box_2d": [0.1, 0.1, 0.3, 0.3]}]))
    code = main(
        ["audit", "--image", str(CASE_IMAGE), "--draft", "caf\udce9", "--findings", str(read)]
    )
    err = capsys.readouterr().err.strip()
    assert (
        code == 2
        and err == "cxr-auditor audit: error: --draft is not UTF-8 text (byte 0xe9 at position 3)"
    )
