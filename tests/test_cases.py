"""The case library: what ships, how a case.json is validated, and how cases are built."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxr_auditor.authoring.build import case_id_for, find_image, import_cases, number_cases
from cxr_auditor.authoring.teaching import load_templates, parse_templates, teaching_points
from cxr_auditor.cli import main
from cxr_auditor.core.case_format import CaseError, load_case, load_library, packaged_library
from cxr_auditor.core.case_sources import load_sources, parse_sources
from cxr_auditor.core.datasets import read_chestx_det, read_nih
from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS, display_name
from cxr_auditor.core.schemas import Finding

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "datasets"
NIH_LINK = "https://nihcc.app.box.com/v/ChestXray-NIHCC"


@pytest.fixture(scope="module")
def library():
    return load_library(packaged_library())


# --- what ships -------------------------------------------------------------------------------


def test_library_ships_at_least_250_cases_nih_and_chestx_det(library):
    assert library.problems == []
    sources = [loaded.case.source.key for loaded in library.cases]
    assert len(sources) >= 250
    assert sources.count("nih") >= 230
    assert sources.count("chestx_det") == 13


def test_no_title_gives_the_answer_or_the_dataset_away(library):
    words = {display_name(label).lower() for label in LABELS} | set(LABELS)
    words |= {"effusion", "nodule", "mass", "opacity", "heart", "atelectasis", "infiltrate"}
    words |= {"pneumonia", "nih", "chestx", "vindr", "normal"}
    titles = [loaded.case.title for loaded in library.cases]
    for loaded in library.cases:
        title = loaded.case.title.lower()
        assert not any(word in title for word in words), loaded.case.title
        assert loaded.case.original.file.split(".")[0].lower() not in title
        assert re.fullmatch(r"Case \d{3} · frontal chest film", loaded.case.title)
    assert len(set(titles)) == len(titles)
    numbers = range(1, len(titles) + 1)
    assert sorted(titles) == [f"Case {n:03d} · frontal chest film" for n in numbers]


def test_library_cases_have_no_invented_history(library):
    assert all(loaded.case.history is None for loaded in library.cases)


def test_every_case_carries_license_and_attribution(library):
    for loaded in library.cases:
        source = loaded.case.source
        assert NIH_LINK in source.attribution and "CVPR 2017" in source.attribution, loaded.case.id
        assert "NIH Clinical Center" in source.attribution and source.license
        if source.key == "chestx_det":
            assert "Apache" in source.license


def test_nih_cases_say_their_reference_is_incomplete(library):
    for loaded in library.cases:
        case = loaded.case
        assert case.reference_complete is (case.source.key != "nih"), case.id
        if case.source.key == "nih":
            assert any("incomplete" in point for point in case.teaching_points)
            assert case.findings() or case.other_labels, "an NIH case needs a boxed finding"


def test_images_are_web_sized_and_match_their_case(library):
    total = 0
    for loaded in library.cases:
        with Image.open(loaded.image_path) as image:
            assert image.size == (loaded.case.width, loaded.case.height)
            assert max(image.size) <= 768 and image.format == "JPEG"
        total += loaded.image_path.stat().st_size
    assert total < 100_000 * len(library.cases)  # under 100 kB a case on average


def test_library_attribution_and_license_files_exist():
    folder = packaged_library().parent
    text = (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert NIH_LINK in text and "CVPR 2017" in text and "Apache" in text
    assert (
        "Apache License" in (folder / "LICENSE-ChestX-Det-annotations-Apache-2.0.txt").read_text()
    )


def test_library_rebuilds_identically_from_the_shared_data(shared_data, tmp_path, capsys):
    """The README's rebuild commands, run into an empty folder, give the shipped library."""
    nih, det = shared_data / "nih_chestxray14_bbox", shared_data / "chestx_det"
    out = str(tmp_path / "lib")
    nih_import = ["--annotations", str(nih / "BBox_List_2017.csv")]
    nih_import += ["--images", str(nih / "images"), str(nih / "library_images")]
    det_import = ["--annotations", str(det / "ChestX_Det_train.json")]
    det_import += [str(det / "ChestX_Det_test.json"), "--images", str(det / "images")]
    assert main(["cases", "import", "--source", "nih", *nih_import, "--out", out]) == 0
    assert main(["cases", "import", "--source", "chestx_det", *det_import, "--out", out]) == 0
    capsys.readouterr()
    rebuilt = sorted(p.name for p in (tmp_path / "lib").iterdir())
    assert rebuilt == sorted(p.name for p in packaged_library().iterdir() if p.is_dir())
    for case_id in rebuilt:
        built = json.loads((tmp_path / "lib" / case_id / "case.json").read_text())
        shipped = json.loads((packaged_library() / case_id / "case.json").read_text())
        assert built == shipped, case_id


# --- case.json validation ---------------------------------------------------------------------


@pytest.fixture
def good_case(tmp_path: Path, library) -> Path:
    source = library.cases[0].folder
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    return folder


def edit(folder: Path, change) -> None:
    path = folder / "case.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "case, change, message",
    [
        ("unknown key", lambda d: d.update(diagnosis="x"), "diagnosis"),
        (
            "label outside the six",
            lambda d: d["reference"].append({"label": "fracture", "box_2d": None}),
            "not canonical",
        ),
        (
            "box outside 0..1",
            lambda d: d["reference"].append(
                {"label": "nodule_mass", "box_2d": [0.1, 0.1, 1.5, 0.2]}
            ),
            "outside 0..1",
        ),
        (
            "inverted box",
            lambda d: d["reference"].append(
                {"label": "nodule_mass", "box_2d": [0.5, 0.5, 0.1, 0.6]}
            ),
            "inverted",
        ),
        ("image outside the folder", lambda d: d.update(image="../image.jpg"), "file name"),
        ("missing license", lambda d: d["source"].pop("license"), "license"),
        ("bad id", lambda d: d.update(id="Has Spaces"), "id"),
        ("future schema", lambda d: d.update(schema_version=2), "schema_version"),
    ],
)
def test_bad_case_json_is_refused_naming_the_file(good_case, case, change, message):
    edit(good_case, change)
    with pytest.raises(CaseError, match=message) as caught:
        load_case(good_case)
    assert "case.json" in str(caught.value)


@pytest.mark.parametrize(
    "case, damage, message",
    [
        ("no case.json", lambda f: (f / "case.json").unlink(), "missing"),
        ("not JSON", lambda f: (f / "case.json").write_text("{not json"), "not valid JSON"),
        ("image missing", lambda f: (f / "image.jpg").unlink(), "image file image.jpg is missing"),
    ],
)
def test_broken_case_folders_are_reported_and_the_rest_loads(good_case, case, damage, message):
    shutil.copytree(good_case, good_case.parent / "second")
    edit(good_case.parent / "second", lambda d: d.update(id="second-case"))
    damage(good_case)
    loaded = load_library(good_case.parent)
    assert [c.case.id for c in loaded.cases] == ["second-case"]
    assert len(loaded.problems) == 1 and message in loaded.problems[0]


def test_duplicate_ids_are_reported(good_case):
    shutil.copytree(good_case, good_case.parent / "copy")
    loaded = load_library(good_case.parent)
    assert len(loaded.cases) == 1 and "already used" in loaded.problems[0]


def test_missing_library_folder_is_a_problem_not_a_crash(tmp_path):
    loaded = load_library(tmp_path / "nowhere")
    assert loaded.cases == [] and "does not exist" in loaded.problems[0]


def test_unknown_case_id_names_the_library(library):
    with pytest.raises(CaseError, match="no case 'nope'"):
        library.get("nope")


# --- sources and teaching templates -----------------------------------------------------------


def test_packaged_sources_and_templates_validate():
    assert set(load_sources()) == {"nih", "chestx_det", "vindr"}
    assert not load_sources()["vindr"].redistributable
    assert "pneumothorax" in load_templates()


@pytest.mark.parametrize(
    "case, change, message",
    [
        ("unknown source", lambda d: d.update(mimic={}), "unknown source"),
        ("missing key", lambda d: d["nih"].pop("url"), "keys must be exactly"),
        ("empty attribution", lambda d: d["nih"].update(attribution=" "), "attribution"),
        ("flag not a bool", lambda d: d["nih"].update(redistributable="yes"), "redistributable"),
    ],
)
def test_bad_sources_file_is_refused(case, change, message):
    data = json.loads(
        json.dumps({k: v.model_dump(exclude={"key"}) for k, v in load_sources().items()})
    )
    change(data)
    with pytest.raises(DataFileError, match=message):
        parse_sources(data, "sources.toml")


@pytest.mark.parametrize(
    "case, change, message",
    [
        ("unknown label", lambda d: d.update(fracture={"points": ["x"]}), "unknown section"),
        ("unknown placeholder", lambda d: d["cardiomegaly"].update(points=["{ratio}"]), "ratio"),
        ("empty list", lambda d: d["pneumothorax"].update(points=[]), "non-empty list"),
        ("label without its name", lambda d: d["pneumothorax"].pop("name"), "name"),
        ("missing section", lambda d: d.pop("nodule_mass"), "nodule_mass"),
    ],
)
def test_bad_teaching_templates_are_refused(case, change, message):
    data = tomllib.loads(
        (packaged_library().parents[2] / "authoring" / "teaching_points.toml").read_text()
    )
    change(data)
    with pytest.raises(DataFileError, match=message):
        parse_templates(data, "teaching_points.toml")


@pytest.mark.parametrize(
    "findings, others, complete, expected, absent",
    [
        # A pneumothorax on the image's left half is on the patient's right.
        (
            [Finding(label="pneumothorax", box=(0.1, 0.1, 0.4, 0.4))],
            [],
            True,
            "pneumothorax is boxed on the patient's right",
            "incomplete",
        ),
        (
            [Finding(label="pleural_effusion", box=(0.6, 0.6, 0.9, 0.9))],
            [],
            False,
            "effusion is boxed on the patient's left",
            "outside",
        ),
        ([Finding(label="no_finding")], ["Emphysema"], True, "Emphysema", "boxed"),
    ],
)
def test_teaching_points_follow_the_reference(findings, others, complete, expected, absent):
    points = " ".join(teaching_points(findings, others, complete))
    assert expected in points and absent not in points


# --- building cases ---------------------------------------------------------------------------


def write_images(folder: Path, names: list[str], size: int = 1024) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for name in names:
        Image.fromarray(rng.integers(0, 255, (size, size), dtype=np.uint8)).save(folder / name)


def test_import_builds_cases_skips_what_cannot_teach_and_counts_missing_images(tmp_path):
    images, _ = read_nih(FIXTURES / "nih_bbox_sample.csv")
    write_images(tmp_path / "img", ["00000001_000.png", "00000002_000.png"])
    report = import_cases(
        images, load_sources()["nih"], tmp_path / "img", tmp_path / "lib", max_side=256
    )
    # An image boxed only for a finding outside the six (atelectasis) is an abnormal film: kept.
    assert report.written == ["nih-00000001_000", "nih-00000002_000"]
    assert report.skipped == []
    assert report.no_image == len(images) - 2
    only_outside = load_case(tmp_path / "lib" / "nih-00000002_000").case
    assert only_outside.reference == [] and only_outside.other_labels == ["Atelectasis"]
    assert "not a normal film" in " ".join(only_outside.teaching_points)
    loaded = load_case(tmp_path / "lib" / "nih-00000001_000")
    assert (loaded.case.width, loaded.case.height) == (256, 256)
    assert loaded.case.labels() == ["cardiomegaly", "pleural_effusion"]
    assert loaded.case.reference_complete is False
    assert loaded.case.findings()[0].box == images[0].findings[0].box


def test_import_of_chestx_det_keeps_no_finding_cases_as_complete(tmp_path):
    images, _ = read_chestx_det(FIXTURES / "chestx_det_sample.json")
    write_images(tmp_path / "img", ["90001.png"], size=64)
    report = import_cases(images, load_sources()["chestx_det"], tmp_path / "img", tmp_path / "lib")
    (case_id,) = report.written
    case = load_case(tmp_path / "lib" / case_id).case
    assert case.labels() == ["no_finding"] and case.reference_complete
    assert case.width == 64  # never enlarged


def test_import_skips_an_unreadable_image_with_its_reason(tmp_path):
    images, _ = read_nih(FIXTURES / "nih_bbox_sample.csv")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "00000001_000.png").write_bytes(b"not a png")
    report = import_cases(images, load_sources()["nih"], tmp_path / "img", tmp_path / "lib")
    assert report.written == [] and "image not usable" in report.skipped[0][1]


@pytest.mark.parametrize(
    "source, image_id, expected",
    [
        ("nih", "00000001_000.png", "nih-00000001_000"),
        ("chestx_det", "36199.png", "chestxdet-36199"),
        ("vindr", "9a5094b2563a1ef3ff50dc5c7ff71345", "vindr-9a5094b2563a1ef3ff50dc5c7ff71345"),
    ],
)
def test_case_ids(source, image_id, expected):
    assert case_id_for(source, image_id) == expected


def test_find_image_accepts_another_suffix(tmp_path):
    (tmp_path / "abc.dicom").write_bytes(b"x")
    assert find_image(tmp_path, "abc") == tmp_path / "abc.dicom"
    assert find_image(tmp_path, "zzz.png") is None


def test_numbering_follows_the_hash_of_the_id_and_ignores_the_import_order(tmp_path):
    images, _ = read_nih(FIXTURES / "nih_bbox_sample.csv")
    names = ["00000001_000.png", "00000003_000.png", "00000004_000.png"]
    write_images(tmp_path / "img", names, size=64)
    source = load_sources()["nih"]
    import_cases(images, source, tmp_path / "img", tmp_path / "a")
    import_cases(list(reversed(images)), source, tmp_path / "img", tmp_path / "b")
    titles = {c.case.id: c.case.title for c in load_library(tmp_path / "a").cases}
    assert titles == {c.case.id: c.case.title for c in load_library(tmp_path / "b").cases}
    by_hash = sorted(titles, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    assert [titles[i] for i in by_hash] == [f"Case {n:03d} · frontal chest film" for n in (1, 2, 3)]
    assert number_cases(tmp_path / "a") == 0  # already numbered: nothing rewritten
