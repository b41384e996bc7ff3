"""eval synthetic: the harness scores what the comparator does, counts every case, drops none."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from cxr_auditor.core.audit import DraftRead, FunctionReader, failed_read, model_read, rule_reader
from cxr_auditor.core.schemas import Flag, Mention, Note, ParseAccount, ReaderIdentity
from cxr_auditor.core.synthetic import make_case_set
from cxr_auditor.evaluation import synthetic_report
from cxr_auditor.evaluation.backends import TRITON_GROUNDER, ReferenceGrounder, TritonGrounder
from cxr_auditor.evaluation.sources import load_case_folder
from cxr_auditor.evaluation.synthetic import URGENT_MISSED, decision_keys, evaluate_synthetic

CASES = Path(__file__).resolve().parent / "fixtures" / "eval" / "cases"
STUB = ReaderIdentity(role="parser", kind="rules", name="stub")


@pytest.fixture(scope="module")
def source():
    return load_case_folder(CASES)


def _all_cases(source, seed=0):
    return make_case_set(((c.case_id, c.findings) for c in source.cases), seed)[0]


class OracleReader:
    """Reads a synthetic draft exactly as it was written (its statements), like a perfect parser."""

    def __init__(self, cases):
        self.by_draft = {case.draft: case.statements for case in cases}

    def read(self, text):
        mentions = [
            Mention(
                id=f"m{i}",
                label=s.label,
                status=s.status,
                span=s.span,
                text=s.text,
                laterality=s.side,
            )
            for i, s in enumerate(self.by_draft[text], 1)
        ]
        return DraftRead(STUB, mentions, ParseAccount())


def test_a_perfect_draft_reader_gives_exact_decisions(source):
    run = evaluate_synthetic(
        source,
        OracleReader(_all_cases(source)),
        ReferenceGrounder(),
        parser_name="oracle",
        progress=False,
    )
    assert run.scores["n_cases"] == len(_all_cases(source)) > 0
    assert run.scores["n_exact"] == run.scores["n_cases"]
    assert all(s["fp"] == 0 and s["fn"] == 0 for s in run.scores["per_kind"].values())
    assert run.scores["clean_drafts"]["false_flag_rate"] == 0.0


def test_a_reader_that_hears_nothing_floods_clean_drafts_with_missing(source):
    deaf = FunctionReader(STUB, lambda text: ([], ParseAccount()))
    run = evaluate_synthetic(source, deaf, ReferenceGrounder(), parser_name="deaf", progress=False)
    abnormal_reads = sum(
        1 for c in source.cases if any(f.label != "no_finding" for f in c.findings)
    )
    clean = run.scores["clean_drafts"]
    assert clean["n"] == len(source.cases)
    assert clean["with_false_flag"] == abnormal_reads
    assert clean["false_flags_by_kind"]["MISSING"] >= abnormal_reads
    assert run.scores["per_kind"]["UNSUPPORTED"]["recall"] == 0.0  # asserted findings unheard


def _raise(text):
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "name, reader, grounder, status, note",
    [
        ("parser raises", FunctionReader(STUB, _raise), ReferenceGrounder(), "error", None),
        (
            "parser cannot read the draft",
            FunctionReader(
                STUB, lambda t: ([], ParseAccount(status="unparseable", error="garbled"))
            ),
            ReferenceGrounder(),
            "draft_not_evaluated",
            "DRAFT_NOT_EVALUATED",
        ),
        (
            "grounder failed",
            rule_reader(),
            TritonGrounder(backend=None),
            "image_not_evaluated",
            "IMAGE_NOT_EVALUATED",
        ),
    ],
)
def test_failures_are_counted_and_listed_never_dropped(
    source, name, reader, grounder, status, note, tmp_path
):
    run = evaluate_synthetic(source, reader, grounder, parser_name=name, progress=False)
    n = len(_all_cases(source))
    assert len(run.outcomes) == n and run.scores["status"] == {status: n}
    expected_total = sum(len(o.expected) for o in run.outcomes)
    missed = sum(len(o.expected - o.produced) for o in run.outcomes)
    assert missed == expected_total or note is not None
    if note:
        assert run.scores["per_kind"][note]["fp"] == n
    summary = json.loads(synthetic_report.write(run, tmp_path)["summary"].read_text())
    assert len(summary["failures"]) == n
    assert all(f["status"] == status for f in summary["failures"])


def test_the_limit_keeps_kinds_balanced(source):
    run = evaluate_synthetic(
        source, rule_reader(), ReferenceGrounder(), parser_name="rules", limit=7, progress=False
    )
    counts = [v["n"] for v in run.scores["per_case_kind"].values()]
    assert sum(counts) == 7 and max(counts) - min(counts) <= 1


def test_skipped_kinds_and_unusable_cases_are_reported(source, tmp_path):
    run = evaluate_synthetic(
        source, rule_reader(), ReferenceGrounder(), parser_name="rules", progress=False
    )
    summary = json.loads(synthetic_report.write(run, tmp_path)["summary"].read_text())
    _, skipped = make_case_set(((c.case_id, c.findings) for c in source.cases), 0)
    assert summary["skipped_kinds"] == dict(skipped) and skipped
    assert len(summary["source_problems"]) == 2  # the bad label and the folder without case.json
    if importlib.util.find_spec("matplotlib"):
        assert (tmp_path / "synthetic_per_label.png").stat().st_size > 1000
    report = (tmp_path / "report.md").read_text()
    assert "Clean-draft false-flag rate" in report and "Unusable source entries (2)" in report


@pytest.mark.parametrize(
    "items, expected",
    [
        (
            [Flag(kind="URGENT", rule=3, label="pneumothorax", in_draft=False, explanation="x")],
            {("URGENT", "pneumothorax", None), (URGENT_MISSED, "pneumothorax", None)},
        ),
        (
            [Flag(kind="URGENT", rule=3, label="nodule_mass", in_draft=True, explanation="x")],
            {("URGENT", "nodule_mass", None)},
        ),
        (
            [Flag(kind="MISSING", rule=1, label="cardiomegaly", reason="denied", explanation="x")],
            {("MISSING", "cardiomegaly", "denied")},
        ),
        (
            [Note(kind="DRAFT_NOT_EVALUATED", rule=6, explanation="x")],
            {("DRAFT_NOT_EVALUATED", "-", None)},
        ),
    ],
)
def test_decision_identities(items, expected):
    assert decision_keys(items) == expected


class CountingBackend:
    """A Triton stand-in: answers with the reference read of the image it is given."""

    def __init__(self, answers):
        self.answers, self.calls = answers, 0

    def image_read(self, image_bytes):
        self.calls += 1
        return self.answers.get(image_bytes) or failed_read(TRITON_GROUNDER, "unknown image")


def test_the_model_grounder_reads_each_image_once(source, tmp_path):
    answers = {}
    for case in source.cases:
        folder = tmp_path / case.case_id
        shutil.copytree(CASES / case.case_id, folder)
        data = json.loads((folder / "case.json").read_text())
        image = f"fake image {case.case_id}".encode()
        (folder / "image.png").write_bytes(image)
        (folder / "case.json").write_text(json.dumps({**data, "image": "image.png"}))
        boxes = [
            {"label": f.label, "box_2d": list(f.box) if f.box else None} for f in case.findings
        ]
        answers[image] = model_read(json.dumps(boxes), name="fake grounder")
    backend = CountingBackend(answers)
    with_images = load_case_folder(tmp_path)
    run = evaluate_synthetic(
        with_images,
        OracleReader(_all_cases(with_images)),
        TritonGrounder(backend),
        parser_name="oracle",
        progress=False,
    )
    assert backend.calls == len(with_images.cases)
    assert run.scores["n_exact"] == run.scores["n_cases"]
