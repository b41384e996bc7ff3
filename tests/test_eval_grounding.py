"""eval grounding: per-image box matching, failures counted as empty reads, a sanity check."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cxr_auditor.core.audit import failed_read, model_read
from cxr_auditor.core.schemas import Finding
from cxr_auditor.evaluation import grounding_report
from cxr_auditor.evaluation.backends import TRITON_GROUNDER, ReferenceGrounder
from cxr_auditor.evaluation.grounding import evaluate_grounding
from cxr_auditor.evaluation.sources import CaseSource, ReferenceCase, load_case_folder

CASES = Path(__file__).resolve().parent / "fixtures" / "eval" / "cases"


class ScriptedGrounder:
    """Answers each case with a scripted raw model output (or a failure)."""

    name = "scripted"
    needs_image = False

    def __init__(self, outputs):
        self.outputs = outputs

    def read(self, case, complete=None):
        raw = self.outputs[case.case_id]
        if raw is None:
            return failed_read(TRITON_GROUNDER, "server down")
        return model_read(raw, name="scripted")


def _case(case_id, *findings, complete=True):
    return ReferenceCase(
        case_id, [Finding(label=label, box=box) for label, box in findings], complete
    )


def _raw(*items):
    return json.dumps([{"label": label, "box_2d": box} for label, box in items])


def test_the_reference_grounder_scores_perfectly_on_its_own_boxes(tmp_path):
    run = evaluate_grounding(load_case_folder(CASES), ReferenceGrounder(), progress=False)
    s = run.scores
    assert s["n_failed"] == 0
    overall = s["boxes"]["overall"]
    assert overall["n_gt"] == overall["n_pred"] > 0
    assert all(a["recall"] == 1.0 and a["precision"] == 1.0 for a in overall["at"].values())
    assert s["presence"]["macro_f1"] == 1.0
    assert s["n_incomplete_reference"] == 1  # presence is not scored on it
    assert s["presence"]["n_images"] == len(run.outcomes) - 1
    paths = grounding_report.write(run, tmp_path)
    summary = json.loads(paths["summary"].read_text())
    assert set(summary["plots"]) == {
        "grounding_presence.png",
        "grounding_box_recall.png",
        "grounding_iou_hist.png",
    }
    if importlib.util.find_spec("matplotlib"):
        assert set(summary["plots"]) <= {p.name for p in paths.values()}


def test_boxes_never_match_across_images():
    # The effusion predicted on image A sits exactly where image B's effusion is; pooled matching
    # (the original's bug) would count it as a hit. Per image it is a miss and a false box.
    box_a, box_b = [0.6, 0.05, 0.9, 0.4], [0.6, 0.6, 0.9, 0.95]
    source = CaseSource(
        "two images",
        [
            _case("A", ("pleural_effusion", tuple(box_a))),
            _case("B", ("pleural_effusion", tuple(box_b))),
        ],
    )
    grounder = ScriptedGrounder(
        {"A": _raw(("pleural_effusion", box_b)), "B": _raw(("cardiomegaly", [0.4, 0.3, 0.8, 0.7]))}
    )
    s = evaluate_grounding(source, grounder, progress=False).scores
    effusion = s["boxes"]["per_label"]["pleural_effusion"]
    assert effusion["n_gt"] == 2 and effusion["n_pred"] == 1
    assert all(a["matched"] == 0 for a in effusion["at"].values())
    assert s["best_iou_per_expert_box"]["per_label"]["pleural_effusion"] == [0.0, 0.0]
    # presence is still right on image A: the label is there, only the box is wrong
    assert s["presence"]["per_label"]["pleural_effusion"]["tp"] == 1


@pytest.mark.parametrize(
    "output, status",
    [
        (None, "unparseable"),  # the call failed
        ("I think there is an effusion on the right.", "unparseable"),  # prose, no JSON
        ('```json\n[{"label": "pneumothorax", "box_2d": [0.05, 0.6, 0.4, 0.95]}]\n```', "repaired"),
    ],
)
def test_every_output_is_counted_with_its_status(output, status):
    source = CaseSource("one", [_case("ptx", ("pneumothorax", (0.05, 0.6, 0.4, 0.95)))])
    run = evaluate_grounding(source, ScriptedGrounder({"ptx": output}), progress=False)
    s = run.scores
    assert s["status"] == {status: 1}
    failed = status == "unparseable"
    assert s["n_failed"] == int(failed)
    ptx = s["presence"]["per_label"]["pneumothorax"]
    assert (ptx["fn"], ptx["tp"]) == ((1, 0) if failed else (0, 1))
    assert s["boxes"]["overall"]["at"]["0.5"]["recall"] == (0.0 if failed else 1.0)
    summary = grounding_report.summary(run)
    assert [f["case_id"] for f in summary["failures"]] == (["ptx"] if failed else [])


def test_a_failure_on_a_normal_image_is_not_a_correct_normal():
    source = CaseSource(
        "normals", [_case("n1", ("no_finding", None)), _case("n2", ("no_finding", None))]
    )
    grounder = ScriptedGrounder({"n1": _raw(("no_finding", None)), "n2": None})
    s = evaluate_grounding(source, grounder, progress=False).scores
    assert s["normal_specificity_failures_wrong"] == {
        "n_normal": 2,
        "predicted_normal": 1,
        "value": 0.5,
    }


def test_a_shifted_box_has_its_iou_in_the_histogram():
    gold, pred = (0.0, 0.0, 0.5, 0.5), [0.0, 0.25, 0.5, 0.75]  # IoU = 1/3
    source = CaseSource("one", [_case("x", ("nodule_mass", gold))])
    run = evaluate_grounding(
        source, ScriptedGrounder({"x": _raw(("nodule_mass", pred))}), progress=False
    )
    [value] = run.scores["best_iou_per_expert_box"]["per_label"]["nodule_mass"]
    assert value == pytest.approx(1 / 3)
    at = run.scores["boxes"]["per_label"]["nodule_mass"]["at"]
    assert (at["0.25"]["matched"], at["0.5"]["matched"]) == (1, 0)


def test_incomplete_references_score_recall_only():
    source = CaseSource(
        "nih-like",
        [
            _case("a", ("cardiomegaly", (0.45, 0.3, 0.8, 0.7)), complete=False),
            _case("b", ("cardiomegaly", (0.45, 0.3, 0.8, 0.7)), complete=False),
        ],
    )
    grounder = ScriptedGrounder(
        {
            "a": _raw(
                ("cardiomegaly", [0.45, 0.3, 0.8, 0.7]), ("pneumothorax", [0.05, 0.6, 0.4, 0.95])
            ),
            "b": _raw(("no_finding", None)),
        }
    )
    s = evaluate_grounding(source, grounder, progress=False).scores
    assert s["presence"] is None  # no complete reference: presence is not scored
    assert s["recall_incomplete_references"] == {
        "cardiomegaly": {"found": 1, "support": 2, "recall": 0.5}
    }
