"""Stored model reads of library cases: save one, the newest per case, list them.

A read is what the model grounder said about a case image, in the grounder's own schema (a JSON list
of ``{"label", "box_2d"}``, boxes normalized ``[y0, x0, y1, x1]``; ``core.reference``), with the
model's name and version as the server reported them, the time and the server's URL. Reads are
written by ``cxr-auditor cases model-reads`` (or a page's live read) and never changed; a newer read
of the same case does not delete the older one. Records come back as plain frozen dataclasses.

This module stores and reads; it calls no model and decides nothing about who may see a read (the
answer lock is the pages' job: ``ui.services.sessions.locked_case_ids``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from cxr_auditor.core.reference import dump_reference, load_reference
from cxr_auditor.core.schemas import Finding
from cxr_auditor.db.engine import reading, writing
from cxr_auditor.db.models import ModelRead
from cxr_auditor.db.store import now


@dataclass(frozen=True)
class StoredRead:
    id: int
    case_id: str
    findings: tuple[Finding, ...]  # source "model"
    model_name: str
    model_version: str
    read_at: datetime
    server_url: str

    @property
    def reader(self) -> str:
        """The model in words, e.g. ``medgemma-cxr-auditor-v2 (version 3)``."""
        return (
            f"{self.model_name} (version {self.model_version})"
            if self.model_version
            else (self.model_name)
        )


def grounder_json(findings: Iterable[Finding]) -> list[dict]:
    """Findings in the grounder's schema: ``[{"label", "box_2d"}]`` (``core.reference``)."""
    return json.loads(dump_reference(list(findings)))


def _record(row: ModelRead) -> StoredRead:
    findings = load_reference(json.dumps(row.findings), f"model read {row.id}")
    return StoredRead(
        row.id,
        row.case_id,
        tuple(f.model_copy(update={"source": "model"}) for f in findings),
        row.model_name,
        row.model_version,
        row.read_at,
        row.server_url,
    )


def save_read(
    engine: Engine,
    *,
    case_id: str,
    findings: Iterable[Finding],
    model_name: str,
    model_version: str,
    server_url: str,
    read_at: datetime | None = None,
) -> StoredRead:
    """Store one read (boxes are validated on the way in and out); the stored record."""
    row = ModelRead(
        case_id=case_id,
        findings=grounder_json(findings),
        model_name=model_name,
        model_version=model_version,
        read_at=read_at or now(),
        server_url=server_url,
    )
    with writing(engine) as db:
        db.add(row)
        db.flush()
        return _record(row)


def latest_reads(engine: Engine, case_ids: Iterable[str] | None = None) -> dict[str, StoredRead]:
    """The newest (last stored) read of each case (of ``case_ids``, or of every case with one)."""
    newest = select(ModelRead.case_id, func.max(ModelRead.id).label("id")).group_by(
        ModelRead.case_id
    )
    if case_ids is not None:
        newest = newest.where(ModelRead.case_id.in_(list(case_ids)))
    ids = newest.subquery()
    query = select(ModelRead).join(ids, ids.c.id == ModelRead.id)
    with reading(engine) as db:
        return {row.case_id: _record(row) for row in db.execute(query).scalars()}


def latest_read(engine: Engine, case_id: str) -> StoredRead | None:
    """The newest read of one case, or None when none is stored."""
    return latest_reads(engine, [case_id]).get(case_id)


def list_reads(engine: Engine, case_id: str | None = None) -> list[StoredRead]:
    """Every stored read (of one case, or of all), newest first."""
    query = select(ModelRead).order_by(ModelRead.id.desc())
    if case_id is not None:
        query = query.where(ModelRead.case_id == case_id)
    with reading(engine) as db:
        return [_record(row) for row in db.execute(query).scalars()]
