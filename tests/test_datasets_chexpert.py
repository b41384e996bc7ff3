"""CheXpert label columns: cell values, combining columns, the fixture, the labeler's sample."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cxr_auditor.core.datasets.chexpert import combine_states, parse_value, read_chexpert
from cxr_auditor.core.errors import DatasetError

FIXTURE = Path(__file__).parent / "fixtures" / "datasets" / "chexpert_labeled_sample.csv"


@pytest.mark.parametrize(
    ("cell", "state"),
    [
        ("1.0", "positive"),
        ("1", "positive"),
        ("0.0", "negative"),
        (" 0 ", "negative"),
        ("-1.0", "uncertain"),
        ("-1", "uncertain"),
        ("", "not_mentioned"),
        ("  ", "not_mentioned"),
    ],
)
def test_parse_value(cell: str, state: str) -> None:
    assert parse_value(cell) == state


@pytest.mark.parametrize("cell", ["2.0", "yes", "0.5", "nan"])
def test_parse_value_refuses_other_values(cell: str) -> None:
    with pytest.raises(ValueError, match="allowed: 1.0 .positive."):
        parse_value(cell)


@pytest.mark.parametrize(
    ("states", "combined"),
    [
        (["positive", "negative", "uncertain"], "positive"),
        (["uncertain", "negative"], "uncertain"),
        (["negative", "not_mentioned"], "negative"),
        (["not_mentioned", "not_mentioned"], "not_mentioned"),
        ([], "not_mentioned"),
    ],
)
def test_combine_states(states: list, combined: str) -> None:
    assert combine_states(states) == combined


# One report per row of the fixture: (row id, expected non-blank states, other labels).
FIXTURE_ROWS = [
    (
        "1",
        {"no_finding": "positive", "pneumothorax": "negative", "pleural_effusion": "negative"},
        [],
    ),
    ("2", {"nodule_mass": "positive", "lung_opacity_consolidation": "uncertain"}, []),
    ("3", {"lung_opacity_consolidation": "positive"}, []),  # Consolidation 1 beats Pneumonia 0
    ("4", {"cardiomegaly": "negative", "lung_opacity_consolidation": "uncertain"}, ["Fracture"]),
    ("5", {"lung_opacity_consolidation": "negative"}, []),
]


@pytest.mark.parametrize(("report_id", "expected", "other"), FIXTURE_ROWS)
def test_fixture_reports(report_id: str, expected: dict, other: list) -> None:
    reports, _ = read_chexpert(FIXTURE)
    (labels,) = [r for r in reports if r.report_id == report_id]
    assert {k: v for k, v in labels.labels.items() if v != "not_mentioned"} == expected
    assert labels.other_labels == other


def test_fixture_report_counts() -> None:
    _, report = read_chexpert(FIXTURE)
    assert (report.rows_read, report.items) == (5, 5)
    assert report.dropped == Counter({"Edema": 1, "Fracture": 1})
    assert report.kept == Counter(no_finding=1, nodule_mass=1, lung_opacity_consolidation=1)


def test_broad_scheme_maps_edema_to_opacity() -> None:
    reports, _ = read_chexpert(FIXTURE, scheme="broad")
    assert (
        reports[3].labels["lung_opacity_consolidation"] == "uncertain"
    )  # Edema 0, Consolidation -1


def test_id_column_and_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("study,Cardiomegaly,Hernia\ns1,1.0,1.0\ns2,,\n", encoding="utf-8")
    reports, report = read_chexpert(path, id_column="study", text_columns=())
    assert [r.report_id for r in reports] == ["s1", "s2"]
    assert reports[0].labels["cardiomegaly"] == "positive"
    assert report.unmapped == Counter({"Hernia": 1})  # counted once per row with a value


def test_bad_value_rejects_the_row(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("Reports,Cardiomegaly,Edema\nok,1.0,\nbad,1.0,maybe\n", encoding="utf-8")
    reports, report = read_chexpert(path)
    assert len(reports) == 1
    assert report.rejected[0].where == f"{path}:3"
    assert "column 'Edema'" in report.rejected[0].reason and "allowed" in report.rejected[0].reason


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("Reports,Foo\nx,1.0\n", {}, "no CheXpert label column"),
        ("Reports,Cardiomegaly\nx,1.0\n", {"id_column": "study"}, "id column 'study' not found"),
    ],
)
def test_bad_layout_is_a_dataset_error(
    tmp_path: Path, text: str, kwargs: dict, message: str
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        read_chexpert(path, **kwargs)


# The labeler's own output for its 4 sample reports (see the README there).
REAL_ROWS = [
    (
        {
            "no_finding": "positive",
            "cardiomegaly": "negative",
            "lung_opacity_consolidation": "negative",
            "pleural_effusion": "negative",
        },
        [],
    ),
    ({"cardiomegaly": "positive", "pleural_effusion": "positive"}, ["Atelectasis"]),
    (
        {"lung_opacity_consolidation": "positive"},
        ["Atelectasis"],
    ),  # Lung Opacity 1, Consolidation -1
    ({"cardiomegaly": "positive"}, []),
]


def test_real_labeler_sample(shared_data: Path) -> None:
    reports, report = read_chexpert(
        shared_data / "chexpert_labeler_samples" / "labeled_reports.csv"
    )
    assert len(reports) == 4 and not report.rejected and not report.unmapped
    for labels, (expected, other) in zip(reports, REAL_ROWS, strict=True):
        assert {k: v for k, v in labels.labels.items() if v != "not_mentioned"} == expected
        assert labels.other_labels == other
    assert report.dropped == Counter({"Edema": 2, "Atelectasis": 2})
