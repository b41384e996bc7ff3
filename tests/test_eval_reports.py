"""``eval reports``: clean reports give no spurious flags, each corruption gives its flag, nothing
is dropped silently, and the CLI fails in one line on a missing file.

The reports here are short sentences written for these tests (the IU reports are no-derivatives
licensed and are never copied into the repository). The last test reads the real development file
when ``../shared/data`` is present and is skipped, with the reason, when it is not.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from cxr_auditor.cli import main
from cxr_auditor.core.audit import reference_read, run_audit
from cxr_auditor.core.boxes import box_side
from cxr_auditor.core.labels import LABELS
from cxr_auditor.core.parse_draft import parse_draft
from cxr_auditor.evaluation.corrupt import CORRUPTION_KINDS, Skip, corrupt, usual_boxes
from cxr_auditor.evaluation.reports import (
    ReportsEval,
    evaluate_file,
    image_read_of,
    keys,
    summary,
)

REPO = Path(__file__).resolve().parents[1]
IU = REPO.parent / "shared" / "data" / "iu_xray_reports"


def write_files(
    tmp_path: Path, rows: list[tuple[str, str, str, dict[str, int]]], extra_labels: int = 0
) -> tuple[Path, Path]:
    """rows: (uid, findings, impression, {label: value, "no_indexing": 0/1})."""
    reports, labels = tmp_path / "reports.csv", tmp_path / "labels.csv"
    with open(reports, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uid", "MeSH", "findings", "impression"])
        for uid, findings, impression, _ in rows:
            writer.writerow([uid, "", findings, impression])
    with open(labels, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uid", *LABELS, "no_indexing"])
        tagged = [(uid, tags) for uid, _, _, tags in rows]
        tagged += [(f"orphan{i}", {"no_finding": 1}) for i in range(extra_labels)]
        for uid, tags in tagged:
            writer.writerow(
                [uid, *(tags.get(label, 0) for label in LABELS), tags.get("no_indexing", 0)]
            )
    return reports, labels


# Reports whose words agree with their labels: the audit must raise nothing.
CLEAN = [
    ("c1", "", "No acute cardiopulmonary abnormality.", {"no_finding": 1}),
    ("c2", "The heart is enlarged. Lungs are clear.", "Cardiomegaly.", {"cardiomegaly": 1}),
    (
        "c3",
        "Small right pleural effusion. No pneumothorax.",
        "Right pleural effusion.",
        {"pleural_effusion": 1},
    ),
    ("c4", "Large left pneumothorax.", "Left pneumothorax.", {"pneumothorax": 1}),
    ("c5", "There is a 1 cm nodule in the right upper lobe.", "", {"nodule_mass": 1}),
    (
        "c6",
        "Patchy opacity in the left lower lobe. No effusion.",
        "Left lower lobe pneumonia.",
        {"lung_opacity_consolidation": 1},
    ),
]


def test_clean_reports_give_no_spurious_flags(tmp_path):
    reports, labels = write_files(tmp_path, CLEAN)
    result = evaluate_file(reports, labels, progress=False)
    assert result.used == len(CLEAN) and not result.skipped
    assert result.spurious == []
    for label, tally in result.per_label.items():
        tagged = sum(1 for *_, tags in CLEAN if tags.get(label) == 1)
        assert (tally.missing, tally.unsupported) == (0, 0), label
        assert tally.missing_possible == tagged
        assert tally.unsupported_possible == len(CLEAN) - tagged


def test_a_report_that_omits_its_label_is_a_spurious_missing(tmp_path):
    """The rate counts real disagreement: a report silent on its tagged label is flagged."""
    rows = [("s1", "Lungs are clear.", "No acute disease.", {"cardiomegaly": 1})]
    result = evaluate_file(*write_files(tmp_path, rows), progress=False)
    assert result.per_label["cardiomegaly"].missing == 1
    assert [s["kind"] for s in result.spurious] == ["MISSING"]


EFFUSION = (
    "e1",
    "Heart size is normal. There is a small right pleural effusion. No pneumothorax.",
    "",
    {"pleural_effusion": 1},
)
PNEUMOTHORAX = (
    "p1",
    "Moderate left apical pneumothorax. Heart size is normal.",
    "",
    {"pneumothorax": 1},
)


@pytest.mark.parametrize(
    "row, kind, wanted",
    [
        (EFFUSION, "drop", {("MISSING", "pleural_effusion")}),
        (EFFUSION, "negate", {("MISSING", "pleural_effusion")}),
        (EFFUSION, "side_swap", {("LATERALITY", "pleural_effusion")}),
        (EFFUSION, "hedge", {("HEDGE_SUPPORTED", "pleural_effusion")}),
        (PNEUMOTHORAX, "drop", {("MISSING", "pneumothorax"), ("URGENT", "pneumothorax")}),
        (PNEUMOTHORAX, "negate", {("MISSING", "pneumothorax"), ("URGENT", "pneumothorax")}),
        (PNEUMOTHORAX, "side_swap", {("LATERALITY", "pneumothorax")}),
        (PNEUMOTHORAX, "hedge", {("HEDGE_SUPPORTED", "pneumothorax")}),
    ],
)
def test_each_corruption_raises_its_flag(tmp_path, row, kind, wanted):
    result = evaluate_file(*write_files(tmp_path, [row]), progress=False)
    [case] = [c for c in result.cases if c["kind"] == kind]
    assert case["corrupted_text"] != row[1]
    assert {(k, label) for k, label, _ in case["raised"]} == wanted
    assert case["missed"] == [] and case["extra"] == []
    tally = result.kinds[kind]
    assert (tally.cases, tally.fn, tally.fp, tally.tp) == (1, 0, 0, len(wanted))


@pytest.mark.parametrize(
    "kind, reason",
    [("negate", "denied"), ("drop", None)],
)
def test_missing_reason_follows_the_corruption(kind, reason):
    text = EFFUSION[1]
    mentions, _ = parse_draft(text)
    made = corrupt(kind, text, mentions, "pleural_effusion", random.Random(0))
    assert not isinstance(made, Skip)
    read = reference_read(image_read_of({**dict.fromkeys(LABELS, 0), "pleural_effusion": 1}))
    flags = {(f.kind, f.reason) for f in run_audit(made.text, read).flags}
    if reason is None:
        assert ("MISSING", "denied") not in flags and any(k == "MISSING" for k, _ in flags)
    else:
        assert ("MISSING", reason) in flags


def test_side_swap_keeps_the_box_on_the_original_side():
    text = EFFUSION[1]
    mentions, _ = parse_draft(text)
    made = corrupt("side_swap", text, mentions, "pleural_effusion", random.Random(0))
    assert not isinstance(made, Skip)
    assert "small left pleural effusion" in made.text and made.box_side == "right"
    assert box_side(usual_boxes()[("pleural_effusion", "right")]) == "right"
    assert box_side(usual_boxes()[("pleural_effusion", "left")]) == "left"


@pytest.mark.parametrize(
    "row, kind, reason",
    [
        (CLEAN[0], "drop", "no label tagged 1"),
        (CLEAN[1], "side_swap", "the label has no side"),
        (
            ("b1", "Bilateral pleural effusions.", "", {"pleural_effusion": 1}),
            "side_swap",
            "not asserted on exactly one side",
        ),
        (
            (
                "m1",
                "Right pleural effusion and right lower lobe consolidation.",
                "",
                {"pleural_effusion": 1, "lung_opacity_consolidation": 1},
            ),
            "negate",
            "also asserts another label",
        ),
    ],
)
def test_uncorruptible_reports_are_counted_with_why(tmp_path, row, kind, reason):
    result = evaluate_file(*write_files(tmp_path, [row]), progress=False)
    tally = result.kinds[kind]
    assert tally.cases == 0
    assert sum(tally.skipped.values()) == 1
    assert reason in next(iter(tally.skipped))


def test_unusable_rows_are_counted_never_dropped(tmp_path):
    rows = [
        *CLEAN[:2],
        ("u1", "Heart size is normal.", "No acute disease.", {"no_indexing": 1}),
        ("u2", "", "", {"no_finding": 1}),
    ]
    reports, labels = write_files(tmp_path, rows, extra_labels=2)
    with open(reports, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["nolabels", "", "Lungs are clear.", ""])
    result = evaluate_file(reports, labels, progress=False)
    assert result.rows == 5
    assert result.used + sum(result.skipped.values()) == result.rows
    assert result.skipped == {
        "no_indexing (never coded)": 1,
        "no text in findings+impression": 1,
        "no labels row for the uid": 1,
    }
    assert {r["uid"] for r in result.skipped_rows} == {"u1", "u2", "nolabels"}
    assert result.labels_without_report == 2
    for tally in result.kinds.values():
        assert tally.cases + sum(tally.skipped.values()) == result.used


def test_impression_only_skips_reports_without_an_impression(tmp_path):
    reports, labels = write_files(tmp_path, CLEAN)
    result = evaluate_file(reports, labels, text_part="impression", progress=False)
    assert result.skipped == {"no text in impression": 1}  # c5 has findings only


def test_same_seed_same_cases(tmp_path):
    reports, labels = write_files(tmp_path, [EFFUSION, PNEUMOTHORAX, *CLEAN])
    first = evaluate_file(reports, labels, seed=3, progress=False).cases
    assert first == evaluate_file(reports, labels, seed=3, progress=False).cases


def test_clean_audit_keys_include_urgent_state():
    read = reference_read(image_read_of({**dict.fromkeys(LABELS, 0), "pneumothorax": 1}))
    assert ("URGENT", "pneumothorax", "in_draft") in keys(run_audit("Left pneumothorax.", read))
    assert ("URGENT", "pneumothorax", "not_in_draft") in keys(run_audit("Lungs are clear.", read))


@pytest.mark.parametrize(
    "which, message",
    [("reports", "no such reports file"), ("labels", "no such labels file")],
)
def test_cli_missing_file_is_one_line_exit_2(tmp_path, capsys, which, message):
    reports, labels = write_files(tmp_path, CLEAN[:1])
    missing = tmp_path / "absent.csv"
    args = ["eval", "reports", "--quiet"]
    args += ["--reports", str(missing if which == "reports" else reports)]
    args += ["--labels", str(missing if which == "labels" else labels)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and str(missing) in err[0]


def test_cli_pairs_must_match(tmp_path, capsys):
    reports, labels = write_files(tmp_path, CLEAN[:1])
    args = ["eval", "reports", "--reports", str(reports), "--reports", str(reports)]
    assert main([*args, "--labels", str(labels)]) == 2
    assert "one labels file per reports file" in capsys.readouterr().err


def test_cli_prints_tables_and_writes_every_case(tmp_path, capsys):
    reports, labels = write_files(tmp_path, [EFFUSION, *CLEAN])
    out = tmp_path / "out.json"
    args = ["eval", "reports", "--reports", str(reports), "--labels", str(labels), "--quiet"]
    assert main([*args, "--json", str(out), "--examples", "1"]) == 0
    printed = capsys.readouterr().out
    assert "spurious MISSING" in printed and "precision" in printed
    data = json.loads(out.read_text())
    [one] = data["files"]
    assert one["used"] == len(CLEAN) + 1
    texts = {c["kind"]: c["corrupted_text"] for c in one["cases"] if c["uid"] == "e1"}
    assert set(texts) == set(CORRUPTION_KINDS)
    assert "Heart size is normal." in texts["drop"] and "pleural" not in texts["drop"]


@pytest.mark.skipif(not IU.is_dir(), reason="../shared/data/iu_xray_reports is not on this machine")
def test_real_dev_file_accounts_for_every_row():
    dev = evaluate_file(
        IU / "iu_reports_dev.csv", IU / "iu_reports_dev_canonical_labels.csv", progress=False
    )
    with open(IU / "iu_reports_dev.csv", newline="", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert dev.rows == rows
    assert dev.used + sum(dev.skipped.values()) == rows
    assert len(dev.skipped_rows) == sum(dev.skipped.values())
    for tally in dev.kinds.values():
        assert tally.cases + sum(tally.skipped.values()) == dev.used
    data = summary_of(dev)
    assert all(c["corrupted_text"] for c in data["files"][0]["cases"])


def summary_of(result):
    return summary(ReportsEval("findings+impression", 0, [result]))
