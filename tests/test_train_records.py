"""SFT records: the answer is the grounder's exact schema; reads that would mislead are left out."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.parse_output import parse_grounder_output
from cxr_auditor.core.schemas import Finding
from cxr_auditor.evaluation.sources import ReferenceCase
from cxr_auditor.serving.prompts import grounder_messages, load_prompts
from cxr_auditor.train.records import (
    answer_text,
    build_records,
    check_record,
    holdout_keys,
    make_record,
    patient_group,
    read_records,
    write_records,
)

EFFUSION = (0.6213, 0.0812, 0.8844, 0.4001)
PTX = (0.05, 0.6, 0.4, 0.95)


def _f(label, box=None):
    return Finding(label=label, box=box)


@pytest.mark.parametrize(
    "findings, labels",
    [
        ([_f("pleural_effusion", EFFUSION)], ["pleural_effusion"]),
        (
            [_f("cardiomegaly", (0.4, 0.3, 0.8, 0.7)), _f("pneumothorax", PTX)],
            ["pneumothorax", "cardiomegaly"],
        ),  # canonical order, not input order
        ([_f("no_finding")], ["no_finding"]),
        ([], ["no_finding"]),  # nothing of the six: the normal answer
        ([_f("no_finding"), _f("nodule_mass", (0.3, 0.2, 0.36, 0.26))], ["nodule_mass"]),
    ],
)
def test_the_answer_is_read_strictly_by_the_grounder_parser(findings, labels):
    text = answer_text(findings)
    parsed, account = parse_grounder_output(text, source="model")
    assert account.status == "ok" and not account.repairs
    assert [f.label for f in parsed] == labels
    for finding in parsed:
        if finding.box is not None:
            assert all(round(v, 3) == v for v in finding.box)


def test_boxes_keep_three_decimals():
    [item] = json.loads(answer_text([_f("pleural_effusion", EFFUSION)]))
    assert item == {"label": "pleural_effusion", "box_2d": [0.621, 0.081, 0.884, 0.4]}


def test_the_prompt_is_the_served_one(tmp_path):
    record = make_record(
        "a", "a.png", [_f("pneumothorax", PTX)], "test", grounder_messages(load_prompts())
    )
    assert record["prompt"] == grounder_messages(load_prompts())
    assert record["completion"][0]["role"] == "assistant"
    check_record(record, "record")


@pytest.mark.parametrize(
    "case_id, group",
    [
        ("00004342_020.png", "nih-patient-00004342"),
        ("nih-00004342_001", "nih-patient-00004342"),
        ("36199.png", "36199.png"),
        ("chestxdet-36199", "chestxdet-36199"),
    ],
)
def test_patient_groups(case_id, group):
    assert patient_group(case_id) == group


def _case(case_id, findings, image=True, complete=True, others=()):
    return ReferenceCase(
        case_id, findings, complete, Path(f"/img/{case_id}.png") if image else None, tuple(others)
    )


@pytest.mark.parametrize(
    "case, reason",
    [
        (_case("no-image", [_f("pneumothorax", PTX)], image=False), "no_image_file"),
        (_case("nih", [_f("pneumothorax", PTX)], complete=False), "incomplete_reference"),
        (
            _case("fibrosis-only", [], others=("Fibrosis",)),
            "only_abnormalities_outside_the_six_labels",
        ),
    ],
)
def test_misleading_reads_are_left_out_and_listed(case, reason):
    records, report = build_records(
        [case],
        "test",
        prompt=[{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "find"}]}],
    )
    assert records == [] and report.excluded == {reason: [case.case_id]}


def test_kept_reads_and_allow_incomplete():
    cases = [
        _case("ptx", [_f("pneumothorax", PTX)]),
        _case("normal", [_f("no_finding")]),
        _case("nih", [_f("pleural_effusion", EFFUSION)], complete=False),
        _case("effusion+fibrosis", [_f("pleural_effusion", EFFUSION)], others=("Fibrosis",)),
    ]
    records, report = build_records(cases, "test", allow_incomplete=True)
    assert [r["id"] for r in records] == ["ptx", "normal", "nih", "effusion+fibrosis"]
    assert report.labels["pleural_effusion"] == 2 and report.excluded == {}


def _good():
    return make_record(
        "a", "a.png", [_f("pneumothorax", PTX)], "test", grounder_messages(load_prompts())
    )


def _set(path, value):
    record = _good()
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return record


@pytest.mark.parametrize(
    "record, message",
    [
        ({k: v for k, v in _good().items() if k != "findings"}, "missing keys"),
        (
            _set(["prompt", 0, "content"], [{"type": "text", "text": "no image"}]),
            "holding an image",
        ),
        (_set(["completion", 0, "role"], "user"), "one assistant turn"),
        (_set(["completion", 0, "content", 0, "text"], "```json\n[]\n```"), "not a strict"),
        (
            _set(
                ["completion", 0, "content", 0, "text"],
                '[{"label": "nodule_mass", "box_2d": [0.1, 0.1, 0.2, 0.2]}]',
            ),
            "does not match",
        ),
    ],
)
def test_malformed_records_are_refused(record, message):
    with pytest.raises(InputError, match=message):
        check_record(record, "train.jsonl:3")


def test_write_validates_first_and_round_trips(tmp_path):
    good, bad = _good(), copy.deepcopy(_good())
    bad["completion"][0]["role"] = "user"
    path = tmp_path / "records.jsonl"
    with pytest.raises(InputError):
        write_records([good, bad], path)
    assert not path.exists() and not list(tmp_path.iterdir())
    write_records([good], path)
    assert read_records(path) == [good]
    path.write_text(path.read_text() * 2)
    with pytest.raises(InputError, match=r"records.jsonl:2: duplicate id"):
        read_records(path)


def test_evaluation_cases_are_held_out_by_image_and_by_nih_patient():
    library = [
        ReferenceCase("chestxdet-36216", [], original_file="36216.png"),
        ReferenceCase("nih-00004342_020", [], original_file="00004342_020.png"),
    ]
    reads = [
        _case("36216.png", [_f("pleural_effusion", EFFUSION)]),
        _case("00004342_001.png", [_f("pneumothorax", PTX)]),  # same patient, other film
        _case("00009999_000.png", [_f("pneumothorax", PTX)]),
    ]
    records, report = build_records(reads, "test", holdout=holdout_keys(library))
    assert [r["id"] for r in records] == ["00009999_000.png"]
    assert report.excluded == {"held_out_for_evaluation": ["36216.png", "00004342_001.png"]}
