"""IU / Open-i MeSH codes: one MeSH string per case, the fixture, and the real 300-report slice."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cxr_auditor.core.datasets.iu_mesh import STATE_CODES, labels_for_mesh, read_iu_mesh, split_tag
from cxr_auditor.core.datasets.records import NormalizeReport
from cxr_auditor.core.errors import DatasetError
from cxr_auditor.core.labels import LABELS

FIXTURE = Path(__file__).parent / "fixtures" / "datasets" / "iu_reports_sample.csv"


def positives(mesh: str, scheme: str = "strict") -> dict[str, str]:
    labels = labels_for_mesh(mesh, scheme=scheme).labels  # type: ignore[arg-type]
    return {label: state for label, state in labels.items() if state != "not_mentioned"}


@pytest.mark.parametrize(
    ("mesh", "expected"),
    [
        ("normal", {"no_finding": "positive"}),
        ("Cardiomegaly/mild", {"cardiomegaly": "positive"}),
        ("Cardiomegaly/borderline", {"cardiomegaly": "uncertain"}),
        (
            "Cardiomegaly/borderline;Cardiomegaly/mild",
            {"cardiomegaly": "positive"},
        ),  # a firm tag wins
        ("Cardiac Shadow/enlarged/moderate", {"cardiomegaly": "positive"}),
        ("Cardiac Shadow/borderline", {"cardiomegaly": "uncertain"}),
        ("Cardiac Shadow/obscured", {}),
        ("Pleural Effusion/right/small", {"pleural_effusion": "positive"}),
        ("Pleural Effusion/borderline", {"pleural_effusion": "uncertain"}),
        ("Hemothorax/left", {"pleural_effusion": "positive"}),
        ("Hydropneumothorax/right", {"pneumothorax": "positive", "pleural_effusion": "positive"}),
        ("Opacity", {"lung_opacity_consolidation": "positive"}),
        ("Opacity/lung/base/left/patchy", {"lung_opacity_consolidation": "positive"}),
        ("Opacity/retrocardiac", {"lung_opacity_consolidation": "positive"}),
        ("Opacity/ribs/right", {}),
        ("Opacity/pleural sinus/bilateral", {}),
        ("Airspace Disease/lung/base", {"lung_opacity_consolidation": "positive"}),
        ("Nodule/lung/upper lobe/right", {"nodule_mass": "positive"}),
        ("Mass/right/paratracheal", {"nodule_mass": "positive"}),
        ("Mass/breast/left", {}),
        ("Calcified Granuloma/lung/upper lobe/right", {}),
        ("Pulmonary Atelectasis/base/left", {}),
        ("Density/lung/base/right/round", {}),
        (
            "  pleural effusion / LEFT ;; NODULE/lung",
            {"pleural_effusion": "positive", "nodule_mass": "positive"},
        ),
    ],
)
def test_strict_labels_for_one_mesh_string(mesh: str, expected: dict[str, str]) -> None:
    assert positives(mesh) == expected


@pytest.mark.parametrize(
    ("mesh", "expected"),
    [
        ("Pulmonary Atelectasis/base/left", {"lung_opacity_consolidation": "positive"}),
        ("Pulmonary Edema/borderline", {"lung_opacity_consolidation": "uncertain"}),
        ("Density/lung/base/right/round", {"lung_opacity_consolidation": "positive"}),
        ("Density/pleura/right/severe", {}),
        ("Markings/lung/interstitial/mild", {"lung_opacity_consolidation": "positive"}),
        ("Markings/bronchovascular", {}),
        ("Cicatrix/lung/apex/left", {"lung_opacity_consolidation": "positive"}),
        ("Cicatrix/ribs/left", {}),
    ],
)
def test_broad_labels_for_one_mesh_string(mesh: str, expected: dict[str, str]) -> None:
    assert positives(mesh, "broad") == expected


@pytest.mark.parametrize(
    ("mesh", "other", "unlabeled"),
    [
        ("normal", [], False),
        ("No Indexing", [], True),
        ("Calcified Granuloma/lung;Opacity/lung", ["Calcified Granuloma/lung"], False),
        ("Calcinosis/aorta;Opacity/ribs", ["Calcinosis/aorta", "Opacity/ribs"], False),
    ],
)
def test_other_tags_and_unlabeled(mesh: str, other: list[str], unlabeled: bool) -> None:
    labels = labels_for_mesh(mesh)
    assert labels.other_labels == other
    assert labels.unlabeled is unlabeled


def test_counts_go_to_the_report() -> None:
    report = NormalizeReport(dataset="iu_xray")
    labels_for_mesh(
        "Calcinosis/aorta;Opacity/ribs;Opacity/lung;Cardiomegaly/borderline", report=report
    )
    assert report.unmapped == Counter({"Calcinosis": 1})
    assert report.dropped == Counter({"Opacity [first:ribs]": 1})
    assert report.kept == Counter(
        {"lung_opacity_consolidation": 1}
    )  # uncertain is not counted as kept


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("Opacity/lung/base/left", ("Opacity", ("lung", "base", "left"))),
        ("normal", ("normal", ())),
        ("Lung Diseases, Interstitial/ ", ("Lung Diseases, Interstitial", ())),
    ],
)
def test_split_tag(tag: str, expected: tuple) -> None:
    assert split_tag(tag) == expected


def test_fixture_file() -> None:
    reports, report = read_iu_mesh(FIXTURE)
    by_id = {r.report_id: r for r in reports}
    assert by_id["1"].positives() == ["no_finding"]
    assert by_id["2"].positives() == ["pleural_effusion"] and by_id["2"].other_labels
    assert by_id["3"].labels["cardiomegaly"] == "uncertain" and by_id["3"].other_labels == [
        "Opacity/ribs/right"
    ]
    assert by_id["4"].unlabeled and by_id["4"].positives() == []
    assert by_id["5"].positives() == ["pleural_effusion", "pneumothorax"]
    assert by_id["6"].positives() == [] and len(by_id["6"].other_labels) == 2
    assert (report.rows_read, report.items) == (6, 6) and not report.rejected


def test_empty_mesh_row_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "iu.csv"
    path.write_text("uid,MeSH\n1,normal\n2,\n", encoding="utf-8")
    reports, report = read_iu_mesh(path)
    assert [r.report_id for r in reports] == ["1"]
    assert report.rejected[0].where == f"{path}:3" and "No Indexing" in report.rejected[0].reason


def test_missing_mesh_column_is_a_dataset_error(tmp_path: Path) -> None:
    path = tmp_path / "iu.csv"
    path.write_text("uid,Problems\n1,normal\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="missing column"):
        read_iu_mesh(path)


def _expected_rows(shared_data: Path) -> dict[str, dict[str, str]]:
    path = shared_data / "iu_xray_reports" / "iu_reports_dev_canonical_labels.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["uid"]: row for row in csv.DictReader(handle)}


def test_reproduces_the_derived_labels_for_all_300_reports(shared_data: Path) -> None:
    source = shared_data / "iu_xray_reports" / "iu_reports_dev.csv"
    strict, report = read_iu_mesh(source)
    broad, _ = read_iu_mesh(source, scheme="broad")
    expected = _expected_rows(shared_data)
    assert len(strict) == len(broad) == len(expected) == 300 and not report.rejected
    mismatches = []
    for mine, mine_broad in zip(strict, broad, strict=True):
        got = {label: STATE_CODES[mine.labels[label]] for label in LABELS}  # type: ignore[index]
        got["lung_opacity_consolidation_broad"] = STATE_CODES[
            mine_broad.labels["lung_opacity_consolidation"]
        ]
        got["other_tags_present"] = int(bool(mine.other_labels))
        got["no_indexing"] = int(mine.unlabeled)
        row = expected[mine.report_id]
        mismatches += [(mine.report_id, k, v, row[k]) for k, v in got.items() if v != int(row[k])]
    assert mismatches == []


def test_real_counts_match_the_readme(shared_data: Path) -> None:
    reports, report = read_iu_mesh(shared_data / "iu_xray_reports" / "iu_reports_dev.csv")
    assert report.kept == Counter(
        no_finding=80,
        cardiomegaly=44,
        lung_opacity_consolidation=75,
        pleural_effusion=31,
        nodule_mass=25,
        pneumothorax=8,
    )
    assert sum(r.labels["cardiomegaly"] == "uncertain" for r in reports) == 2
    assert sum(r.unlabeled for r in reports) == 4
    assert report.unmapped["Calcinosis"] == 28  # unmapped terms are reported, not lost
