"""The audit stages: readers in, one JSON-serializable AuditResult out."""

from __future__ import annotations

import json

import pytest

from cxr_auditor.core.audit import FunctionReader, failed_read, reference_read, run_audit
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import AuditResult, Finding, Mention, ParseAccount, ReaderIdentity

PTX = Finding(label="pneumothorax", box=(0.05, 0.10, 0.35, 0.40))
PARSER = ReaderIdentity(role="parser", kind="model", name="test-table-parser")


def table_reader(mentions: list[Mention], account: ParseAccount | None = None) -> FunctionReader:
    """A draft reader that returns a fixed read: lets these tests pin the stage wiring."""
    return FunctionReader(PARSER, lambda text: (mentions, account or ParseAccount()))


@pytest.mark.parametrize("draft", ["", "   \n\t "])
def test_empty_draft_is_refused(draft):
    with pytest.raises(InputError, match="draft is empty"):
        run_audit(draft, reference_read([PTX]))


def test_result_round_trips_through_json_with_identities_and_timings():
    result = run_audit("No pneumothorax.", reference_read([PTX]), image_bytes=b"png-bytes")
    again = AuditResult.model_validate(json.loads(result.model_dump_json()))
    assert again == result
    assert result.grounder.kind == "reference" and result.parser.kind == "rules"
    assert set(result.timings_ms) == {"read_draft", "compare"}
    assert result.findings[0].id == "f1"
    assert result.inputs.draft_chars == len("No pneumothorax.")
    assert len(result.inputs.image_sha256) == 64
    assert "not a medical device" in result.disclaimer.lower()


def test_unparseable_draft_gives_an_image_only_pass():
    reader = table_reader([], ParseAccount(status="unparseable", error="model output cut off"))
    result = run_audit("Lungs clear.", reference_read([PTX]), reader)
    assert not result.draft_evaluated and result.image_evaluated
    assert [f.kind for f in result.flags] == ["URGENT"]
    assert [n.kind for n in result.notes] == ["DRAFT_NOT_EVALUATED"]
    assert "model output cut off" in result.notes[0].explanation


def test_failed_grounder_gives_a_draft_only_pass():
    image = failed_read(
        ReaderIdentity(role="grounder", kind="model", name="grounder"), "server unavailable"
    )
    mention = Mention(label="pleural_effusion", status="present", span=(0, 8), text="Effusion")
    result = run_audit("Effusion.", image, table_reader([mention]))
    assert result.image_evaluated is False and result.flags == []
    assert [n.kind for n in result.notes] == ["IMAGE_NOT_EVALUATED"]
    assert result.mentions == [mention]


def test_reference_incomplete_travels_to_the_comparator():
    mention = Mention(label="cardiomegaly", status="present", span=(0, 12), text="Cardiomegaly")
    complete = run_audit("Cardiomegaly.", reference_read([PTX]), table_reader([mention]))
    partial = run_audit(
        "Cardiomegaly.", reference_read([PTX], complete=False), table_reader([mention])
    )
    assert "UNSUPPORTED" in {f.kind for f in complete.flags}
    assert "UNSUPPORTED" not in {f.kind for f in partial.flags}
    assert "REFERENCE_INCOMPLETE" in {n.kind for n in partial.notes}
