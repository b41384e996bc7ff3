"""eval parser: the scoring rules, agreement with the reference scorer, nothing dropped."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cxr_auditor.core.audit import DraftRead, FunctionReader, rule_reader
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS
from cxr_auditor.core.schemas import Mention, ParseAccount, ReaderIdentity
from cxr_auditor.evaluation import parser_report
from cxr_auditor.evaluation.parser import (
    evaluate_parser,
    load_predictions,
    predict,
    read_reports,
    report_text,
)
from cxr_auditor.evaluation.parser_score import (
    Prediction,
    load_canonical_gold,
    load_nih_gold,
    report_level,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "eval" / "parser"
REPORTS, LABELS_CSV = FIXTURES / "reports.csv", FIXTURES / "labels.csv"
NIH, PREDICTIONS = FIXTURES / "nih_std14.csv", FIXTURES / "predictions.jsonl"


def _bench(shared_data: Path):
    path = shared_data.parent / "bench" / "score_parser.py"
    if not path.is_file():
        pytest.skip(f"reference scorer not found at {path}")
    spec = importlib.util.spec_from_file_location("score_parser_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pairs(ours: dict, theirs: dict, path: str = ""):
    """Every (path, our value, their value) for the numbers the reference scorer reports."""
    for key, value in theirs.items():
        where = f"{path}.{key}"
        if isinstance(value, dict):
            yield from _pairs(ours[key], value, where)
        elif isinstance(value, (int, float, bool, list)):
            yield where, ours[key], value


def _assert_same(ours: dict, theirs: dict) -> None:
    compared = list(_pairs(ours["results"], theirs["results"]))
    assert len(compared) > 100
    for where, mine, ref in compared:
        if isinstance(ref, float):
            assert mine == pytest.approx(ref, abs=1e-12), where
        else:
            assert mine == ref, where
    for key in ("ok", "unparseable", "missing", "extra_ids_not_in_gold"):
        assert ours["coverage"][key] == theirs["coverage"][key], key


# --------------------------------------------------------------------------- decision rules


@pytest.mark.parametrize(
    "labels, uncertain_positive, expected_positive",
    [
        # one rule per row: a present mention makes its label positive
        ({"pleural_effusion": {"present"}}, False, {"pleural_effusion"}),
        # an absent mention never does
        ({"pneumothorax": {"absent"}}, True, set()),
        # uncertain is negative in the primary variant...
        ({"nodule_mass": {"uncertain"}}, False, set()),
        # ...and positive in the other
        ({"nodule_mass": {"uncertain"}}, True, {"nodule_mass"}),
        # present wins over absent for the same label
        # ("no effusion on the left, small on the right")
        ({"pleural_effusion": {"absent", "present"}}, False, {"pleural_effusion"}),
        # no_finding counts only when no finding label is positive
        ({"no_finding": {"present"}, "cardiomegaly": {"present"}}, False, {"cardiomegaly"}),
        ({"no_finding": {"present"}, "cardiomegaly": {"uncertain"}}, False, {"no_finding"}),
        ({"no_finding": {"present"}, "cardiomegaly": {"uncertain"}}, True, {"cardiomegaly"}),
    ],
)
def test_report_level_rules(labels, uncertain_positive, expected_positive):
    pred = Prediction("ok", {k: frozenset(v) for k, v in labels.items()})
    decided = report_level(pred, uncertain_positive)
    assert {label for label, value in decided.items() if value} == expected_positive


@pytest.mark.parametrize(
    "pred", [None, Prediction("unparseable", {"pneumothorax": frozenset({"present"})})]
)
def test_missing_or_unparseable_report_is_all_negative(pred):
    assert report_level(pred, True) == {label: 0 for label in LABELS}


# --------------------------------------------------------------------------- agreement


def test_fixture_predictions_match_the_reference_scorer(shared_data):
    bench = _bench(shared_data)
    run = evaluate_parser(
        LABELS_CSV, predictions=PREDICTIONS, nih_labels=NIH, n_boot=200, seed=3, progress=False
    )
    theirs = bench.score(
        bench.load_gold(LABELS_CSV),
        bench.load_predictions(PREDICTIONS),
        bench.load_nih_gold(NIH),
        n_boot=200,
        seed=3,
    )
    _assert_same(run.scores, theirs)


def test_rule_parser_on_iu_dev_matches_the_reference_scorer(shared_data, tmp_path):
    bench = _bench(shared_data)
    iu = shared_data / "iu_xray_reports"
    run = evaluate_parser(
        iu / "iu_reports_dev_canonical_labels.csv",
        reader=rule_reader(),
        reports=iu / "iu_reports_dev.csv",
        nih_labels=iu / "openi_gld_std14_dev.csv",
        n_boot=100,
        progress=False,
    )
    paths = parser_report.write(run, tmp_path)
    theirs = bench.score(
        bench.load_gold(iu / "iu_reports_dev_canonical_labels.csv"),
        bench.load_predictions(paths["predictions"]),
        bench.load_nih_gold(iu / "openi_gld_std14_dev.csv"),
        n_boot=100,
    )
    _assert_same(run.scores, theirs)
    primary = ("canonical", "uncertain_as_negative", "gold_borderline_excluded")
    ours = run.scores["results"][primary[0]][primary[1]][primary[2]]["macro_f1"]
    assert ours == theirs["results"][primary[0]][primary[1]][primary[2]]["macro_f1"]
    assert len(run.records) == 300  # every report has a prediction row, parsed or not


def test_the_same_texts_as_the_reference_scorer(shared_data):
    bench = _bench(shared_data)
    rows = read_reports(shared_data / "iu_xray_reports" / "iu_reports_dev.csv")
    import csv

    with open(
        shared_data / "iu_xray_reports" / "iu_reports_dev.csv", newline="", encoding="utf-8"
    ) as handle:
        reference = [(r["uid"], bench.report_text(r)) for r in csv.DictReader(handle)]
    assert rows == reference


# --------------------------------------------------------------------------- accounting


def test_coverage_lists_every_unusable_report():
    run = evaluate_parser(LABELS_CSV, predictions=PREDICTIONS, n_boot=0, progress=False)
    cov = run.scores["coverage"]
    assert cov["unparseable_ids"] == ["9"]
    assert cov["missing_ids"] == ["10"]
    assert cov["extra_ids"] == ["11"]
    assert cov["no_indexing_ids"] == ["7"]
    assert run.scores["n_scored_rows"] == 9


def _reader(parse):
    return FunctionReader(ReaderIdentity(role="parser", kind="rules", name="stub"), parse)


def _raises(text):
    raise RuntimeError("parser crashed")


@pytest.mark.parametrize(
    "name, reader, status, error_part",
    [
        ("a parser that raises", _reader(_raises), "unparseable", "RuntimeError: parser crashed"),
        (
            "an unparseable account",
            _reader(lambda t: ([], ParseAccount(status="unparseable", error="no JSON array"))),
            "unparseable",
            "no JSON array",
        ),
    ],
)
def test_failed_reports_are_written_never_skipped(name, reader, status, error_part, tmp_path):
    run = evaluate_parser(LABELS_CSV, reader=reader, reports=REPORTS, n_boot=0, progress=False)
    assert [r["id"] for r in run.records] == [str(i) for i in range(1, 10)]
    assert all(r["status"] == status for r in run.records)
    assert all(error_part in r["error"] or r["id"] == "9" for r in run.records)
    written = load_predictions(parser_report.write(run, tmp_path)["predictions"])
    assert len(written) == 9


def test_empty_report_text_is_unparseable_with_its_reason():
    record = predict("9", report_text({"findings": "nan", "impression": ""}), rule_reader())
    assert record["status"] == "unparseable"
    assert "no findings or impression" in record["error"]


def test_other_mentions_are_kept_apart_from_the_six_labels():
    mentions = [
        Mention(label="other", status="present", text="atelectasis"),
        Mention(label="cardiomegaly", status="present", text="cardiomegaly"),
    ]

    class Reader:
        def read(self, text):
            return DraftRead(
                ReaderIdentity(role="parser", kind="rules", name="stub"), mentions, ParseAccount()
            )

    record = predict("1", "Atelectasis. Cardiomegaly.", Reader())
    assert [m["label"] for m in record["mentions"]] == ["cardiomegaly"]
    assert [m["text"] for m in record["other_mentions"]] == ["atelectasis"]


# --------------------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"id": "1", "status": "done", "mentions": []}', "status='done'"),
        (
            '{"id": "1", "mentions": [{"label": "fracture", "status": "present"}]}',
            "label='fracture'",
        ),
        (
            '{"id": "1", "mentions": [{"label": "nodule_mass", "status": "maybe"}]}',
            "status='maybe'",
        ),
        ('{"id": "1"}\n{"id": "1"}', "duplicate id '1'"),
        ("not json", "not JSON"),
    ],
)
def test_bad_predictions_name_file_and_line(text, message, tmp_path):
    path = tmp_path / "pred.jsonl"
    path.write_text(text + "\n")
    with pytest.raises(InputError, match=message) as error:
        load_predictions(path)
    assert f"{path}:" in str(error.value)


@pytest.mark.parametrize(
    "row, message",
    [
        ("1,x,2,0,0,0,0,0,0,0,0", "no_finding='2'"),
        ("1,x,1,0,0,0,0,0,0,0,0\n1,x,1,0,0,0,0,0,0,0,0", "duplicate uid '1'"),
    ],
)
def test_bad_labels_name_file_and_line(row, message, tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(LABELS_CSV.read_text().splitlines()[0] + "\n" + row + "\n")
    with pytest.raises(InputError, match=message) as error:
        load_canonical_gold(path)
    assert f"{path}:2" in str(error.value) or f"{path}:3" in str(error.value)


def test_nih_gold_maps_columns_to_the_six_labels():
    gold = load_nih_gold(NIH)
    assert gold["3"]["lung_opacity_consolidation"] == 1  # Pneumonia
    assert gold["8"]["nodule_mass"] == 1  # Mass
    # Atelectasis has no canonical label: only the effusion remains
    assert gold["10"]["pleural_effusion"] == 1 and sum(gold["10"].values()) == 1
    assert gold["1"]["no_finding"] == 1


def test_report_files_and_table(tmp_path):
    run = evaluate_parser(
        LABELS_CSV, predictions=PREDICTIONS, nih_labels=NIH, n_boot=50, progress=False
    )
    paths = parser_report.write(run, tmp_path)
    summary = json.loads(paths["summary"].read_text())
    assert summary["coverage"]["unparseable_ids"] == ["9"]
    report = paths["report"].read_text()
    assert "NIH 14-label gold" in report and "Reports missing from the predictions (1)" in report
    assert "macro-F1" in parser_report.table(run)


def test_parse_command_rows_repaired_and_fallback(tmp_path):
    rows = [
        {
            "id": "2",
            "status": "repaired",
            "mentions": [{"label": "pleural_effusion", "status": "present"}],
            "parser": {"role": "parser", "kind": "model", "name": "triton:draft_parser"},
        },
        {
            "id": "5",
            "status": "ok",
            "mentions": [{"label": "pneumothorax", "status": "present"}],
            "parser": {
                "role": "parser",
                "kind": "rules",
                "name": "rules",
                "fallback_reason": "draft_parser: timeout",
            },
        },
    ]
    path = tmp_path / "parsed.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    run = evaluate_parser(LABELS_CSV, predictions=path, n_boot=0, progress=False)
    per = run.scores["results"]["canonical"]["uncertain_as_negative"]["gold_borderline_excluded"][
        "per_label"
    ]
    assert per["pleural_effusion"]["tp"] == 1  # a repaired parse is a parse
    assert per["pneumothorax"]["tp"] == 0  # the stand-in's answer is not the model's
    assert run.scores["coverage"]["unparseable_ids"] == ["5"]
    assert "stood in for the model: draft_parser: timeout" in run.failures[0]["error"]
