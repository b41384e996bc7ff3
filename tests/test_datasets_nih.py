"""NIH BBox_List_2017: fixture cases, malformed rows, and the real 984-row file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cxr_auditor.core.boxes import from_pixel_xywh
from cxr_auditor.core.datasets.nih import read_nih
from cxr_auditor.core.errors import DatasetError, InputError

FIXTURE = Path(__file__).parent / "fixtures" / "datasets" / "nih_bbox_sample.csv"
HEADER = "Image Index,Finding Label,Bbox [x,y,w,h],,,\n"


@pytest.fixture(scope="module")
def sample() -> dict:
    images, report = read_nih(FIXTURE)
    return {"images": {image.image_id: image for image in images}, "report": report}


@pytest.mark.parametrize(
    ("image_id", "labels", "other"),
    [
        ("00000001_000.png", ["cardiomegaly", "pleural_effusion"], []),
        (
            "00000002_000.png",
            [],
            ["Atelectasis"],
        ),  # only an unmapped-in-strict label: abnormal, not normal
        (
            "00000003_000.png",
            ["nodule_mass", "nodule_mass"],
            ["Atelectasis"],
        ),  # two lesions, two findings
        ("00000004_000.png", ["pneumothorax"], []),
    ],
)
def test_fixture_images_group_rows_per_image(
    sample: dict, image_id: str, labels: list, other: list
) -> None:
    image = sample["images"][image_id]
    assert [finding.label for finding in image.findings] == labels
    assert image.other_labels == other
    assert image.reference_complete is False
    assert (image.width, image.height) == (1024, 1024)
    assert all(finding.source == "reference" for finding in image.findings)


@pytest.mark.parametrize(
    ("image_id", "index", "xywh"),
    [
        ("00000001_000.png", 0, (256.0, 512.0, 512.0, 256.0)),
        (
            "00000001_000.png",
            1,
            (51.2, 614.4, 204.8, 307.2),
        ),  # row with the trailing ",,," of the export
        ("00000003_000.png", 1, (100, 600, 200, 200)),
    ],
)
def test_fixture_boxes_are_normalized_from_pixel_xywh(
    sample: dict, image_id: str, index: int, xywh: tuple
) -> None:
    finding = sample["images"][image_id].findings[index]
    assert finding.box == pytest.approx(from_pixel_xywh(*xywh, 1024, 1024))


def test_cardiomegaly_box_values(sample: dict) -> None:
    # x=256, y=512, w=512, h=256 on 1024: y0=0.5, x0=0.25, y1=0.75, x1=0.75
    assert sample["images"]["00000001_000.png"].findings[0].box == pytest.approx(
        (0.5, 0.25, 0.75, 0.75)
    )


def test_fixture_report_counts(sample: dict) -> None:
    report = sample["report"]
    assert (report.rows_read, report.items, report.boxes_kept) == (7, 4, 5)
    assert report.dropped == Counter({"Atelectasis": 2})
    assert not report.unmapped and not report.rejected


def test_broad_scheme_keeps_atelectasis() -> None:
    images, report = read_nih(FIXTURE, scheme="broad")
    by_id = {image.image_id: image for image in images}
    assert [f.label for f in by_id["00000002_000.png"].findings] == ["lung_opacity_consolidation"]
    assert not report.dropped


BAD_ROWS = [
    ("missing h", "a.png,Mass,1,2,3\n", "expected 6 fields"),
    ("text in box", "a.png,Mass,1,2,wide,4\n", "bad box"),
    ("negative width", "a.png,Mass,10,20,-3,4\n", "negative size"),
    ("extra value", "a.png,Mass,1,2,3,4,,5,\n", "expected 6 fields"),
    ("empty label", "a.png, ,1,2,3,4\n", "empty image name or finding label"),
]


@pytest.mark.parametrize(("case", "row", "reason"), BAD_ROWS, ids=[row[0] for row in BAD_ROWS])
def test_malformed_rows_are_rejected_with_line(
    tmp_path: Path, case: str, row: str, reason: str
) -> None:
    path = tmp_path / "bbox.csv"
    path.write_text(HEADER + "b.png,Nodule,1,2,3,4\n" + row, encoding="utf-8")
    images, report = read_nih(path)
    assert report.rows_read == 2 and report.boxes_kept == 1
    assert len(report.rejected) == 1, case
    assert report.rejected[0].where == f"{path}:3"
    assert reason in report.rejected[0].reason


def test_unknown_label_is_counted_as_unmapped(tmp_path: Path) -> None:
    path = tmp_path / "bbox.csv"
    path.write_text(HEADER + "c.png,Hernia,1,2,3,4\n", encoding="utf-8")
    images, report = read_nih(path)
    assert report.unmapped == Counter({"Hernia": 1})
    assert images[0].findings == [] and images[0].other_labels == ["Hernia"]


@pytest.mark.parametrize(
    "header",
    ["image,label,x,y,w,h\n", "Image Index,Finding Label\n", ""],
)
def test_wrong_header_is_a_dataset_error(tmp_path: Path, header: str) -> None:
    path = tmp_path / "bbox.csv"
    path.write_text(header + "a.png,Mass,1,2,3,4\n" if header else "", encoding="utf-8")
    with pytest.raises(DatasetError, match=f"{path}:1:"):
        read_nih(path)


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(InputError, match="allowed: strict, broad"):
        read_nih(FIXTURE, scheme="loose")  # type: ignore[arg-type]


def test_real_file_counts(shared_data: Path) -> None:
    images, report = read_nih(shared_data / "nih_chestxray14_bbox" / "BBox_List_2017.csv")
    assert (report.rows_read, report.items, len(images)) == (984, 880, 880)
    assert report.dropped == Counter({"Atelectasis": 180})
    assert not report.unmapped and not report.rejected
    # README counts: Effusion 153, Cardiomegaly 146, Infiltrate 123 + Pneumonia 120,
    # Pneumothorax 98, Mass 85 + Nodule 79.
    assert report.kept == Counter(
        pleural_effusion=153,
        cardiomegaly=146,
        lung_opacity_consolidation=243,
        pneumothorax=98,
        nodule_mass=164,
    )
    assert report.boxes_kept == 984 - 180
    assert all(not image.reference_complete for image in images)


def test_real_file_broad_scheme_keeps_every_box(shared_data: Path) -> None:
    images, report = read_nih(
        shared_data / "nih_chestxray14_bbox" / "BBox_List_2017.csv", scheme="broad"
    )
    assert report.boxes_kept == 984 and not report.dropped
    # README: 787 images have 1 box, 83 have 2, 9 have 3 and 1 has 4.
    assert Counter(len(image.findings) for image in images) == Counter({1: 787, 2: 83, 3: 9, 4: 1})
