"""Cases written by instructors, kept in the teaching database (``authored_cases``).

``save_case`` checks everything before it writes (``core.authored`` rules, the image decoding to the
size ``case.json`` gives, a ``local-`` id) and writes in one transaction, so a refused case leaves
nothing behind. ``load_case`` gives a ``LoadedCase`` holding its image bytes (no folder);
``list_cases`` the summaries without images; ``usable_cases`` every case a session may use (source,
licence and attribution given), with one line per stored case that could not be read.
``catalogue_version`` is a cheap fingerprint of the table, so that a cache of the usable cases is
refreshed as soon as any case is saved or deleted, in any app process. ``delete_case`` refuses a
case that a session or an answer refers to (their pages need it). Nothing here writes files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cxr_auditor.core.authored import (
    AuthoredCaseError,
    is_local_id,
    missing_for_use,
    new_case_id,
    parse_case_json,
)
from cxr_auditor.core.case_format import Case, LoadedCase, case_json
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.db.engine import reading, writing
from cxr_auditor.db.models import Attempt, AuthoredCase, CaseSetItem, TeachingSession
from cxr_auditor.db.store import now
from cxr_auditor.serving.upload import check_case_image

MAX_AUTHOR = 80


@dataclass(frozen=True)
class StoredCase:
    """One stored case without its image: the case, who wrote it, when, and what it still lacks."""

    case: Case
    image_sha256: str
    author: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def missing(self) -> list[str]:
        return missing_for_use(self.case)


def _checked(case: Case, image: bytes) -> str:
    """The ``case.json`` text to store, after every check; AuthoredCaseError/ImageError if not."""
    if not is_local_id(case.id):
        raise AuthoredCaseError(
            f"case id {case.id!r}: a case written here must have an id starting with 'local-'"
        )
    text = case_json(case)
    parse_case_json(text, f"case {case.id}")  # exactly what is stored reads back
    check_case_image(case, image, where=f"case {case.id} image")
    return text


def save_case(
    engine: Engine, case: Case, image: bytes, *, author: str | None = None, new: bool = False
) -> StoredCase:
    """Store (insert or replace) a case and its image; ``new=True`` refuses an id already stored."""
    text = _checked(case, image)
    author = " ".join((author or "").split())[:MAX_AUTHOR] or None
    sha = hashlib.sha256(image).hexdigest()
    at = now()
    with writing(engine) as db:
        row = db.get(AuthoredCase, case.id)
        if row is not None and new:
            raise AuthoredCaseError(f"case id {case.id!r} is already in the database")
        if row is None:
            row = AuthoredCase(id=case.id, created_at=at)
            db.add(row)
        row.case_json, row.image, row.image_sha256 = text, image, sha
        row.author, row.updated_at = author, at
        db.flush()
        return StoredCase(case, sha, author, row.created_at, at)


def case_exists(engine: Engine, case_id: str) -> bool:
    with reading(engine) as db:  # the id only: the row's image may be megabytes
        return db.scalar(select(AuthoredCase.id).where(AuthoredCase.id == case_id)) is not None


def _loaded(row: AuthoredCase) -> LoadedCase:
    case = parse_case_json(row.case_json, f"stored case {row.id}")
    return LoadedCase(case, None, bytes(row.image))


def load_case(engine: Engine, case_id: str) -> LoadedCase:
    """The stored case with its image bytes; AuthoredCaseError when there is none."""
    with reading(engine) as db:
        row = db.get(AuthoredCase, case_id)
        if row is None:
            raise AuthoredCaseError(f"no case {case_id!r} in the database")
        return _loaded(row)


def list_cases(engine: Engine) -> tuple[list[StoredCase], list[str]]:
    """Every stored case (newest change first) without images; the ones that cannot be read."""
    columns = (
        AuthoredCase.id,
        AuthoredCase.case_json,
        AuthoredCase.image_sha256,
        AuthoredCase.author,
        AuthoredCase.created_at,
        AuthoredCase.updated_at,
    )
    stored, problems = [], []
    with reading(engine) as db:
        rows = db.execute(select(*columns).order_by(AuthoredCase.updated_at.desc())).all()
    for case_id, text, sha, author, created, updated in rows:
        try:
            case = parse_case_json(text, f"stored case {case_id}")
        except AuditorError as error:
            problems.append(str(error))
            continue
        stored.append(StoredCase(case, sha, author, created, updated))
    return stored, problems


def usable_cases(engine: Engine) -> tuple[list[LoadedCase], list[str]]:
    """Every stored case a session may use, by id, with its image; and the unreadable ones."""
    cases, problems = [], []
    with reading(engine) as db:
        rows = db.execute(select(AuthoredCase).order_by(AuthoredCase.id)).scalars().all()
        for row in rows:
            try:
                loaded = _loaded(row)
            except AuditorError as error:
                problems.append(str(error))
                continue
            if not missing_for_use(loaded.case):
                cases.append(loaded)
    return cases, problems


def catalogue_version(engine: Engine) -> str:
    """A fingerprint that changes whenever a case is saved or deleted (count, latest change)."""
    with reading(engine) as db:
        count, latest = db.execute(
            select(func.count(AuthoredCase.id), func.max(AuthoredCase.updated_at))
        ).one()
    return f"{count}:{latest.isoformat() if latest is not None else '-'}"


def _uses(db: Session, case_id: str) -> tuple[list[str], int]:
    codes = db.execute(
        select(TeachingSession.code)
        .join(CaseSetItem, CaseSetItem.case_set_id == TeachingSession.case_set_id)
        .where(CaseSetItem.case_id == case_id)
        .order_by(TeachingSession.id)
    ).scalars()
    answers = db.execute(select(func.count(Attempt.id)).where(Attempt.case_id == case_id))
    return list(codes), int(answers.scalar_one())


def delete_case(engine: Engine, case_id: str) -> None:
    """Delete a stored case; AuthoredCaseError if none is stored or a session or answer uses it."""
    with writing(engine) as db:
        row = db.get(AuthoredCase, case_id)
        if row is None:
            raise AuthoredCaseError(f"no case {case_id!r} in the database")
        codes, answers = _uses(db, case_id)
        if codes or answers:
            used = f"{len(codes)} session(s)" + (f" and {answers} answer(s)" if answers else "")
            raise AuthoredCaseError(
                f"case {case_id!r} is used by {used}, whose pages need it: it is kept "
                "(edit it instead)"
            )
        db.delete(row)


DUPLICATES = ("refuse", "new-id")  # what importing a case whose id is already stored does


def save_imported(
    engine: Engine,
    case: Case,
    image: bytes,
    *,
    on_duplicate: str = "refuse",
    author: str | None = None,
) -> StoredCase:
    """Store a case from a bundle as a new case (never replacing one).

    A case whose id is not a ``local-`` id (a bundled library case, exported) always gets a fresh
    ``local-`` id; one whose id is already stored is refused (``"refuse"``) or gets a fresh id
    (``"new-id"``). The returned record has the id the case was stored under.
    """
    if on_duplicate not in DUPLICATES:
        raise ValueError(f"on_duplicate={on_duplicate!r}; allowed: {DUPLICATES}")
    if not is_local_id(case.id):
        case = case.model_copy(update={"id": new_case_id()})
    elif case_exists(engine, case.id):
        if on_duplicate == "refuse":
            raise AuthoredCaseError(
                f"case id {case.id!r} is already in the database; import it under a new id, "
                "or delete the stored case first"
            )
        case = case.model_copy(update={"id": new_case_id()})
    return save_case(engine, case, image, author=author, new=True)
