"""Where evaluation cases come from: case folders (the app's format), datasets; nothing dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxr_auditor.core.errors import InputError
from cxr_auditor.evaluation.sources import (
    combine,
    library_root,
    load_case_folder,
    load_chestx_det,
    load_library,
    load_nih_bbox,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = FIXTURES / "eval" / "cases"


def test_case_folder_reads_cases_and_lists_unusable_ones():
    source = load_case_folder(CASES)
    ids = [case.case_id for case in source.cases]
    assert ids == sorted(ids) and "normal" in ids and "zz-bad-label" not in ids
    assert len(source.problems) == 2
    assert any("fracture" in p and "zz-bad-label" in p for p in source.problems)
    assert any("no case.json" in p for p in source.problems)
    incomplete = {c.case_id: c.complete for c in source.cases}
    assert incomplete["opacity-incomplete"] is False and incomplete["normal"] is True


def _write_case(folder: Path, body: object) -> Path:
    folder.mkdir(parents=True)
    (folder / "case.json").write_text(body if isinstance(body, str) else json.dumps(body))
    return folder


@pytest.mark.parametrize(
    "body, message",
    [
        ("{not json", "not valid JSON"),
        ([], "expected a JSON object"),
        ({"reference": []}, "'id' must be a non-empty string"),
        ({"id": "x"}, "'reference' is missing"),
        (
            {"id": "x", "reference": [{"label": "nodule_mass", "box_2d": [0.5, 0.5, 0.2, 0.2]}]},
            "inverted",
        ),
        ({"id": "x", "reference": [], "reference_complete": "yes"}, "must be true or false"),
        ({"id": "x", "reference": [], "image": "../secret.png"}, "file name beside case.json"),
    ],
)
def test_a_malformed_case_is_a_problem_with_its_reason(body, message, tmp_path):
    _write_case(tmp_path / "c", body)
    source = load_case_folder(tmp_path)
    assert source.cases == [] and len(source.problems) == 1
    assert message in source.problems[0] and "case.json" in source.problems[0]


def test_a_single_case_folder_and_an_image_beside_it(tmp_path):
    folder = _write_case(
        tmp_path / "one",
        {
            "id": "one",
            "image": "x.png",
            "reference": [{"label": "cardiomegaly", "box_2d": [0.4, 0.3, 0.8, 0.7]}],
        },
    )
    (folder / "x.png").write_bytes(b"png bytes")
    [case] = load_case_folder(folder).cases
    assert case.image_bytes() == b"png bytes" and case.findings[0].label == "cardiomegaly"


def test_duplicate_case_ids_are_reported(tmp_path):
    _write_case(tmp_path / "a", {"id": "same", "reference": []})
    _write_case(tmp_path / "b", {"id": "same", "reference": []})
    source = load_case_folder(tmp_path)
    assert len(source.cases) == 1 and "already used" in source.problems[0]


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_no_usable_folder_is_an_error(make, tmp_path):
    with pytest.raises(InputError, match="--cases"):
        load_case_folder(make(tmp_path))


def test_the_library_follows_the_environment(tmp_path, monkeypatch):
    _write_case(tmp_path / "lib" / "c1", {"id": "c1", "reference": []})
    monkeypatch.setenv("CXR_CASE_LIBRARY", str(tmp_path / "lib"))
    assert library_root() == tmp_path / "lib"
    assert [c.case_id for c in load_library().cases] == ["c1"]


def test_datasets_as_reference_reads(tmp_path):
    (tmp_path / "90002.png").write_bytes(b"x")
    chestx = load_chestx_det(FIXTURES / "datasets" / "chestx_det_sample.json", tmp_path)
    nih = load_nih_bbox(FIXTURES / "datasets" / "nih_bbox_sample.csv")
    assert all(case.complete for case in chestx.cases)
    assert not any(case.complete for case in nih.cases)
    with_image = [c.case_id for c in chestx.cases if c.image_path is not None]
    assert with_image == ["90002.png"]
    both = combine([chestx, chestx])
    assert len(both.cases) == len(chestx.cases)
    assert len(both.problems) == len(chestx.cases) + 2 * len(chestx.problems)


def test_all_shipped_chestx_det_reads(shared_data):
    folder = shared_data / "chestx_det"
    source = combine(
        [
            load_chestx_det(folder / "ChestX_Det_train.json", folder / "images"),
            load_chestx_det(folder / "ChestX_Det_test.json", folder / "images"),
        ]
    )
    assert len(source.cases) == 3578 and not source.problems
    assert sum(c.image_path is not None for c in source.cases) == len(
        list((folder / "images").glob("*.png"))
    )
