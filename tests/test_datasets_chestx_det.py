"""ChestX-Det JSON: a finding per box, empty syms as no_finding, malformed entries, real files."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from cxr_auditor.core.datasets.chestx_det import read_chestx_det
from cxr_auditor.core.errors import DatasetError

FIXTURE = Path(__file__).parent / "fixtures" / "datasets" / "chestx_det_sample.json"


@pytest.fixture(scope="module")
def sample() -> dict:
    images, report = read_chestx_det(FIXTURE)
    return {"images": {image.image_id: image for image in images}, "report": report}


@pytest.mark.parametrize(
    ("image_id", "labels", "other"),
    [
        ("90001.png", ["no_finding"], []),
        ("90002.png", ["pleural_effusion", "lung_opacity_consolidation", "pleural_effusion"], []),
        (
            "90003.png",
            [],
            ["Diffuse Nodule", "Fracture"],
        ),  # dropped only: not normal, not no_finding
        (
            "90004.png",
            ["nodule_mass", "nodule_mass", "pneumothorax"],
            [],
        ),  # two nodules stay two boxes
    ],
)
def test_fixture_findings(sample: dict, image_id: str, labels: list, other: list) -> None:
    image = sample["images"][image_id]
    assert [finding.label for finding in image.findings] == labels
    assert image.other_labels == other
    assert image.reference_complete is True
    assert len({finding.id for finding in image.findings}) == len(image.findings)


def test_empty_syms_is_one_no_finding_without_box(sample: dict) -> None:
    (finding,) = sample["images"]["90001.png"].findings
    assert finding.label == "no_finding" and finding.box is None


@pytest.mark.parametrize(
    ("image_id", "index", "box"),
    [
        ("90002.png", 0, (600 / 1024, 700 / 1024, 900 / 1024, 950 / 1024)),
        ("90004.png", 1, (260 / 1024, 700 / 1024, 300 / 1024, 745 / 1024)),
    ],
)
def test_boxes_are_pixel_xyxy_to_normalized_yxyx(
    sample: dict, image_id: str, index: int, box: tuple
) -> None:
    assert sample["images"][image_id].findings[index].box == pytest.approx(box)


def test_fixture_report(sample: dict) -> None:
    report = sample["report"]
    assert (report.rows_read, report.items, report.boxes_kept) == (4, 4, 6)
    assert report.dropped == Counter({"Diffuse Nodule": 1, "Fracture": 1})
    assert report.kept["no_finding"] == 1 and report.kept["nodule_mass"] == 2


def test_broad_scheme_maps_diffuse_nodule() -> None:
    images, report = read_chestx_det(FIXTURE, scheme="broad")
    labels = {image.image_id: [f.label for f in image.findings] for image in images}
    assert labels["90003.png"] == ["nodule_mass"]
    assert report.dropped == Counter({"Fracture": 1})


BAD_ENTRIES = [
    ("not an object", ["36199.png"], "[0]", "expected an object"),
    ("no file name", [{"syms": [], "boxes": []}], "[0]", "file_name"),
    (
        "box count",
        [{"file_name": "a.png", "syms": ["Mass"], "boxes": []}],
        "[0]",
        "one box per sym",
    ),
    (
        "syms not strings",
        [{"file_name": "a.png", "syms": [3], "boxes": [[1, 2, 3, 4]]}],
        "[0]",
        "list of strings",
    ),
    (
        "short box",
        [{"file_name": "a.png", "syms": ["Mass"], "boxes": [[1, 2, 3]]}],
        "[0].boxes[0]",
        "[x1, y1, x2, y2]",
    ),
    (
        "inverted box",
        [{"file_name": "a.png", "syms": ["Mass"], "boxes": [[50, 2, 3, 4]]}],
        "[0].boxes[0]",
        "inverted",
    ),
    (
        "text box",
        [{"file_name": "a.png", "syms": ["Mass"], "boxes": [[1, "2", 3, 4]]}],
        "[0].boxes[0]",
        "4 numbers",
    ),
]


@pytest.mark.parametrize(
    ("case", "entries", "where", "reason"), BAD_ENTRIES, ids=[row[0] for row in BAD_ENTRIES]
)
def test_malformed_entries_are_rejected(
    tmp_path: Path, case: str, entries: list, where: str, reason: str
) -> None:
    path = tmp_path / "det.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    _, report = read_chestx_det(path)
    assert len(report.rejected) == 1, case
    assert report.rejected[0].where == f"{path}{where}"
    assert reason in report.rejected[0].reason


@pytest.mark.parametrize(
    ("text", "message"),
    [('{"file_name": "a.png"}', "top-level JSON list"), ('[{"file_name": ', "not valid JSON")],
)
def test_bad_file_is_a_dataset_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "det.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        read_chestx_det(path)


# README counts (train / test) per category, and images with empty syms.
README_COUNTS = {
    "train": (
        3025,
        547,
        {
            "Consolidation": 2110,
            "Effusion": 1734,
            "Nodule": 816,
            "Fibrosis": 619,
            "Fracture": 546,
            "Pleural Thickening": 526,
            "Atelectasis": 289,
            "Calcification": 281,
            "Emphysema": 232,
            "Diffuse Nodule": 227,
            "Cardiomegaly": 223,
            "Pneumothorax": 169,
            "Mass": 133,
        },
    ),
    "test": (
        553,
        64,
        {
            "Consolidation": 453,
            "Effusion": 378,
            "Nodule": 170,
            "Fibrosis": 120,
            "Fracture": 115,
            "Pleural Thickening": 105,
            "Cardiomegaly": 70,
            "Calcification": 67,
            "Emphysema": 66,
            "Diffuse Nodule": 63,
            "Atelectasis": 51,
            "Pneumothorax": 42,
            "Mass": 34,
        },
    ),
}


@pytest.mark.parametrize("split", ["train", "test"])
def test_real_files_match_readme_counts(shared_data: Path, split: str) -> None:
    n_images, n_empty, categories = README_COUNTS[split]
    images, report = read_chestx_det(shared_data / "chestx_det" / f"ChestX_Det_{split}.json")
    assert (report.rows_read, report.items, len(images)) == (n_images, n_images, n_images)
    assert not report.rejected and not report.unmapped
    assert report.kept["no_finding"] == n_empty
    assert report.kept["nodule_mass"] == categories["Nodule"] + categories["Mass"]
    assert report.kept["lung_opacity_consolidation"] == categories["Consolidation"]
    assert report.kept["pleural_effusion"] == categories["Effusion"]
    assert report.kept["cardiomegaly"] == categories["Cardiomegaly"]
    assert report.kept["pneumothorax"] == categories["Pneumothorax"]
    dropped = (
        "Fibrosis",
        "Fracture",
        "Pleural Thickening",
        "Atelectasis",
        "Calcification",
        "Emphysema",
        "Diffuse Nodule",
    )
    assert report.dropped == Counter({name: categories[name] for name in dropped})
    assert report.boxes_kept + sum(report.dropped.values()) == sum(categories.values())


def test_real_images_in_the_manifest_read_as_listed(shared_data: Path) -> None:
    folder = shared_data / "chestx_det"
    by_id = {}
    for split in ("train", "test"):
        images, _ = read_chestx_det(folder / f"ChestX_Det_{split}.json")
        by_id.update({(split, image.image_id): image for image in images})
    with (folder / "images_manifest.csv").open(newline="", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    assert len(manifest) == 13
    for row in manifest:
        image = by_id[(row["chestx_det_split"], row["file"])]
        syms = [] if row["syms"] == "(none)" else row["syms"].split("|")
        if not syms:
            assert [(f.label, f.box) for f in image.findings] == [("no_finding", None)], row["file"]
            continue
        boxed = len([f for f in image.findings if f.box is not None])
        dropped = len([s for s in syms if s not in ("Consolidation", "Effusion")])
        assert boxed == int(row["n_boxes"]) - dropped, row["file"]
        assert sorted(image.other_labels) == sorted(
            {s for s in syms if s not in ("Consolidation", "Effusion")}
        )
