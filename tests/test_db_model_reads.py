"""Stored model reads: saved in the grounder's schema, the newest per case, listed newest first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import Finding
from cxr_auditor.db import open_database
from cxr_auditor.db.engine import writing
from cxr_auditor.db.model_reads import latest_read, latest_reads, list_reads, save_read
from cxr_auditor.db.models import ModelRead
from cxr_auditor.db.store import now

EFFUSION = Finding(label="pleural_effusion", box=(0.62, 0.08, 0.88, 0.40), source="model")
NORMAL = Finding(label="no_finding", box=None, source="model")


@pytest.fixture
def engine(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'reads.sqlite3'}")


def save(engine, case_id, findings, version="1"):
    return save_read(
        engine,
        case_id=case_id,
        findings=findings,
        model_name="medgemma-cxr-auditor-v2",
        model_version=version,
        server_url="localhost:8000",
    )


def test_a_read_is_stored_in_the_grounder_schema_and_comes_back_as_model_findings(engine):
    stored = save(engine, "case-a", [EFFUSION, NORMAL])
    with writing(engine) as db:
        raw = db.get(ModelRead, stored.id).findings
    assert raw == [
        {"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]},
        {"label": "no_finding", "box_2d": None},
    ]
    back = latest_read(engine, "case-a")
    assert back is not None
    assert [(f.label, f.box, f.source) for f in back.findings] == [
        ("pleural_effusion", (0.62, 0.08, 0.88, 0.40), "model"),
        ("no_finding", None, "model"),
    ]
    assert back.model_name == "medgemma-cxr-auditor-v2" and back.model_version == "1"
    assert back.server_url == "localhost:8000"
    assert back.read_at.tzinfo is not None and abs(back.read_at - now()) < timedelta(minutes=1)
    assert back.reader == "medgemma-cxr-auditor-v2 (version 1)"


def test_the_newest_read_of_each_case_wins_and_older_ones_are_kept(engine):
    save(engine, "case-a", [EFFUSION], version="1")
    save(engine, "case-b", [NORMAL], version="1")
    newer = save(engine, "case-a", [], version="2")
    latest = latest_reads(engine)
    assert set(latest) == {"case-a", "case-b"}
    assert latest["case-a"].id == newer.id and latest["case-a"].findings == ()
    assert latest_reads(engine, ["case-b", "case-z"]).keys() == {"case-b"}
    assert latest_read(engine, "case-z") is None
    assert [r.model_version for r in list_reads(engine, "case-a")] == ["2", "1"]
    assert len(list_reads(engine)) == 3


def test_a_stored_read_with_a_bad_box_is_refused_when_read_back(engine):
    stored = save(engine, "case-a", [EFFUSION])
    with writing(engine) as db:
        db.execute(
            update(ModelRead)
            .where(ModelRead.id == stored.id)
            .values(findings=[{"label": "pleural_effusion", "box_2d": [0.9, 0.1, 0.2, 0.3]}])
        )
    with pytest.raises(InputError, match=r"model read \d+ \$\[0\]"):
        latest_read(engine, "case-a")
