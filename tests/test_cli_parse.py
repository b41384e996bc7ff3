"""``cxr-auditor parse``: CSV in, JSONL out in input order, every row written, errors as one
line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cxr_auditor import cli
from cxr_auditor.core.parse_draft import MAX_DRAFT_CHARS


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


ROWS = [
    {"id": "a", "text": "Small left pleural effusion. No pneumothorax."},
    {"id": "b", "text": ""},
    {"id": "c", "text": "Lungs are clear. No acute cardiopulmonary abnormality."},
    {"id": "d", "text": "Possible right lower lobe pneumonia. Calcified granuloma."},
]


def test_parse_writes_every_row_in_input_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "parsed.jsonl"
    code = cli.main(
        ["parse", "--in", str(_write_csv(tmp_path / "drafts.csv", ROWS)), "--out", str(out)]
    )
    records = _records(out)
    assert code == 0
    assert [r["id"] for r in records] == ["a", "b", "c", "d"]
    assert [r["status"] for r in records] == ["ok", "unparseable", "ok", "ok"]
    assert records[1]["error"] == "empty draft" and records[1]["mentions"] == []
    first = records[0]["mentions"][0]
    assert set(first) >= {"label", "status", "span", "text", "cue", "laterality"}
    assert (first["label"], first["status"], first["laterality"]) == (
        "pleural_effusion",
        "present",
        "left",
    )
    assert ROWS[0]["text"][first["span"][0] : first["span"][1]] == first["text"]
    assert [m["label"] for m in records[2]["mentions"]] == ["no_finding"]
    assert records[3]["parser"]["kind"] == "rules"
    err = capsys.readouterr().err
    assert "parse [" in err and "4 rows (3 ok, 1 unparseable)" in err


def test_custom_columns_and_drop_other(tmp_path: Path) -> None:
    rows = [{"report_id": "7", "impression": "Calcified granuloma. Small right pneumothorax."}]
    out = tmp_path / "parsed.jsonl"
    code = cli.main(
        [
            "parse",
            "--in",
            str(_write_csv(tmp_path / "d.csv", rows)),
            "--out",
            str(out),
            "--id-col",
            "report_id",
            "--text-col",
            "impression",
            "--drop-other",
            "--no-progress",
        ]
    )
    assert code == 0
    (record,) = _records(out)
    assert record["id"] == "7"
    assert [m["label"] for m in record["mentions"]] == ["pneumothorax"]


@pytest.mark.parametrize(
    ("argv_extra", "message"),
    [
        (["--text-col", "impression"], "no column 'impression'; columns are 'id', 'text'"),
        (["--parser", "triton"], "--parser triton needs --triton-url"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv_extra: list[str],
    message: str,
) -> None:
    monkeypatch.delenv("CXR_TRITON_URL", raising=False)
    out = tmp_path / "p.jsonl"
    code = cli.main(
        ["parse", "--in", str(_write_csv(tmp_path / "d.csv", ROWS)), "--out", str(out), *argv_extra]
    )
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_missing_input_file_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["parse", "--in", str(tmp_path / "none.csv"), "--out", str(tmp_path / "p.jsonl")]
    )
    assert code == 2 and "none.csv" in capsys.readouterr().err


def test_output_must_differ_from_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_csv(tmp_path / "d.csv", ROWS)
    assert cli.main(["parse", "--in", str(path), "--out", str(path)]) == 2
    assert "--out must differ" in capsys.readouterr().err


def test_too_long_draft_is_written_as_unparseable(tmp_path: Path) -> None:
    rows = [
        {"id": "long", "text": "No effusion. " * (MAX_DRAFT_CHARS // 10)},
        {"id": "ok", "text": "No effusion."},
    ]
    out = tmp_path / "p.jsonl"
    assert (
        cli.main(
            [
                "parse",
                "--in",
                str(_write_csv(tmp_path / "d.csv", rows)),
                "--out",
                str(out),
                "--no-progress",
            ]
        )
        == 0
    )
    long, fine = _records(out)
    assert long["status"] == "unparseable" and "at most" in long["error"]
    assert fine["status"] == "ok"


def test_parser_crash_keeps_the_row_and_exits_nonzero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        def read(self, text: str):
            raise RuntimeError("boom")

    monkeypatch.setattr("cxr_auditor.cli.parse.rule_reader", lambda: Broken())
    out = tmp_path / "p.jsonl"
    code = cli.main(
        [
            "parse",
            "--in",
            str(_write_csv(tmp_path / "d.csv", ROWS)),
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    records = _records(out)
    assert code == 1 and len(records) == len(ROWS)
    assert all(r["status"] == "unparseable" and "RuntimeError: boom" in r["error"] for r in records)


def test_output_is_accepted_by_the_reference_scorer(tmp_path: Path, shared_data: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "score_parser", shared_data.parent / "bench" / "score_parser.py"
    )
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)  # type: ignore[union-attr]
    out = tmp_path / "p.jsonl"
    cli.main(
        [
            "parse",
            "--in",
            str(_write_csv(tmp_path / "d.csv", ROWS)),
            "--out",
            str(out),
            "--drop-other",
            "--no-progress",
        ]
    )
    preds = scorer.load_predictions(out)
    assert set(preds) == {"a", "b", "c", "d"} and preds["b"]["status"] == "unparseable"


def test_progress_goes_to_stderr_and_can_be_silenced(tmp_path, capsys) -> None:
    csv_path = _write_csv(tmp_path / "d.csv", ROWS)
    cli.main(["parse", "--in", str(csv_path), "--out", str(tmp_path / "a.jsonl")])
    shown = capsys.readouterr()
    assert "parse [" in shown.err and f"{len(ROWS)}/{len(ROWS)}" in shown.err
    assert "parse [" not in shown.out
    cli.main(["parse", "--in", str(csv_path), "--out", str(tmp_path / "b.jsonl"), "--no-progress"])
    assert "parse [" not in capsys.readouterr().err
