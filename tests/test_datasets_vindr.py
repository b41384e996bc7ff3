"""VinDr-CXR annotation CSV: per-reader findings, sizes, rejected rows, and the k-of-n consensus."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cxr_auditor.core.datasets.vindr import VindrImage, consensus, read_vindr, read_vindr_sizes
from cxr_auditor.core.errors import DatasetError, InputError
from cxr_auditor.core.schemas import Finding

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"
BOXES = FIXTURES / "vindr_boxes_sample.csv"
META = FIXTURES / "vindr_meta_sample.csv"
HEADER = "image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max\n"
EFFUSION_IMAGE = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
PNEUMO_IMAGE = "1f2e3d4c5b6a70819a2b3c4d5e6f7081"
NORMAL_IMAGE = "2a3b4c5d6e7f8091a2b3c4d5e6f76071"
SPLIT_IMAGE = "3b4c5d6e7f8091a2b3c4d5e6f7081923"


@pytest.fixture(scope="module")
def sample() -> dict:
    images, report = read_vindr(BOXES, META)
    return {"images": {image.image_id: image for image in images}, "report": report}


def test_meta_sizes_are_width_height_from_dim1_dim0() -> None:
    sizes = read_vindr_sizes(META)
    assert sizes[EFFUSION_IMAGE] == (
        2500,
        3000,
    )  # dim0=3000 rows (height), dim1=2500 columns (width)
    assert len(sizes) == 4


@pytest.mark.parametrize(
    ("image_id", "readers"),
    [
        (
            EFFUSION_IMAGE,
            {
                "R1": ["pleural_effusion", "cardiomegaly"],
                "R2": ["pleural_effusion"],
                "R3": ["no_finding"],
            },
        ),
        (PNEUMO_IMAGE, {"R2": ["pneumothorax"], "R4": ["pneumothorax"], "R5": ["pneumothorax"]}),
        (NORMAL_IMAGE, {"R1": ["no_finding"], "R2": ["no_finding"], "R3": ["no_finding"]}),
        (SPLIT_IMAGE, {"R1": [], "R2": ["lung_opacity_consolidation"], "R3": ["no_finding"]}),
    ],
)
def test_findings_are_kept_per_reader(sample: dict, image_id: str, readers: dict) -> None:
    image = sample["images"][image_id]
    assert {reader: [f.label for f in found] for reader, found in image.readers.items()} == readers


def test_effusion_box_uses_the_original_size(sample: dict) -> None:
    image = sample["images"][EFFUSION_IMAGE]
    finding = image.readers["R1"][0]
    assert finding.box == pytest.approx((1810 / 3000, 108 / 2500, 2120 / 3000, 240 / 2500))
    assert finding.id == "R1-1" and finding.source == "reference"
    assert image.readers["R3"][0].box is None  # "No finding" has empty coordinates


def test_report_counts(sample: dict) -> None:
    report = sample["report"]
    assert (report.rows_read, report.items, report.boxes_kept) == (14, 4, 7)
    assert report.dropped == Counter({"Aortic enlargement": 2})
    assert report.kept["no_finding"] == 5
    assert sample["images"][SPLIT_IMAGE].other_labels == ["Aortic enlargement"]
    assert not report.rejected and not report.unmapped


def test_sizes_as_dict_give_the_same_read(sample: dict) -> None:
    images, _ = read_vindr(BOXES, read_vindr_sizes(META))
    assert [image.model_dump() for image in images] == [
        image.model_dump() for image in sample["images"].values()
    ]


@pytest.mark.parametrize(
    ("image_id", "k", "labels"),
    [
        (
            EFFUSION_IMAGE,
            2,
            ["pleural_effusion", "pleural_effusion"],
        ),  # cardiomegaly: one reader only
        (
            EFFUSION_IMAGE,
            1,
            ["pleural_effusion", "cardiomegaly", "pleural_effusion"],
        ),  # positives beat normal
        (EFFUSION_IMAGE, 3, []),
        (PNEUMO_IMAGE, 3, ["pneumothorax", "pneumothorax", "pneumothorax"]),
        (NORMAL_IMAGE, 2, ["no_finding"]),  # one no_finding, not three
        (SPLIT_IMAGE, 2, []),  # readers disagree: nothing reaches consensus
        (SPLIT_IMAGE, 1, ["lung_opacity_consolidation"]),
    ],
)
def test_consensus(sample: dict, image_id: str, k: int, labels: list) -> None:
    read = consensus(sample["images"][image_id], k=k)
    assert [f.label for f in read.findings] == labels
    assert read.image_id == image_id and read.reference_complete
    assert read.other_labels == sample["images"][image_id].other_labels


def test_consensus_keeps_each_reader_box(sample: dict) -> None:
    read = consensus(sample["images"][EFFUSION_IMAGE])
    assert [f.id for f in read.findings] == ["R1-1", "R2-1"]
    assert (read.width, read.height) == (2500, 3000)


@pytest.mark.parametrize("k", [0, -1, True, 1.5])
def test_consensus_k_must_be_a_positive_integer(k: object) -> None:
    image = VindrImage(image_id="x", readers={"R1": [Finding(label="no_finding")]})
    with pytest.raises(InputError, match="positive integer"):
        consensus(image, k=k)  # type: ignore[arg-type]


BAD_ROWS = [
    ("coordinates missing", "a,Nodule/Mass,8,R1,,,,\n", "coordinates are empty"),
    ("partial coordinates", "a,Nodule/Mass,8,R1,10,20,,\n", "could not convert"),
    ("inverted", "a,Nodule/Mass,8,R1,50,20,10,40\n", "inverted"),
    ("unknown size", "z,Nodule/Mass,8,R1,10,20,30,40\n", "no size known for image 'z'"),
    ("empty reader", "a,Nodule/Mass,8,,10,20,30,40\n", "empty image_id, rad_id or class_name"),
    ("short row", "a,Nodule/Mass,8,R1,10,20,30\n", "expected 8 fields"),
]


@pytest.mark.parametrize(("case", "row", "reason"), BAD_ROWS, ids=[row[0] for row in BAD_ROWS])
def test_bad_rows_are_rejected(tmp_path: Path, case: str, row: str, reason: str) -> None:
    path = tmp_path / "train.csv"
    path.write_text(HEADER + "a,No finding,14,R2,,,,\n" + row, encoding="utf-8")
    images, report = read_vindr(path, {"a": (100, 100)})
    assert report.rows_read == 2 and len(report.rejected) == 1, case
    assert report.rejected[0].where == f"{path}:3"
    assert reason in report.rejected[0].reason
    assert report.boxes_kept == 0


def test_no_finding_needs_no_size_and_unknown_classes_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text(HEADER + "b,No finding,14,R1,,,,\nb,Hernia,15,R2,1,2,3,4\n", encoding="utf-8")
    images, report = read_vindr(path, {})
    assert [f.label for f in images[0].readers["R1"]] == ["no_finding"]
    assert report.unmapped == Counter({"Hernia": 1}) and images[0].other_labels == ["Hernia"]
    assert images[0].width is None


def test_missing_column_is_a_dataset_error(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text("image_id,class_name,x_min,y_min,x_max,y_max\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"missing column\(s\) rad_id"):
        read_vindr(path, {})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("image_id,height,width\na,10,10\n", "missing column"),
        ("image_id,dim0,dim1\na,ten,10\n", ":2: expected image_id and positive integer"),
        ("image_id,dim0,dim1\na,0,10\n", ":2: expected an image_id and positive sizes"),
        ("image_id,dim0,dim1\na,10,10\na,12,10\n", ":3: image 'a' listed again"),
    ],
)
def test_bad_meta_file_is_a_dataset_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "meta.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        read_vindr_sizes(path)
