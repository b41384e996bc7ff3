"""Cases written by instructors in the teaching database (``db.case_store``), on SQLite and on a
real PostgreSQL server (``pg_fixture``'s ``teaching_db``), and the rules they follow
(``core.authored``).
"""

from __future__ import annotations

import pytest
from authored_support import authored_case, film
from sqlalchemy import func, select

from cxr_auditor.core.authored import (
    AuthoredCaseError,
    is_local_id,
    missing_for_use,
    parse_case_json,
    reference_of,
    title_findings,
)
from cxr_auditor.core.case_format import ReferenceBox, case_json, load_library
from cxr_auditor.core.errors import InputError
from cxr_auditor.core.schemas import Finding
from cxr_auditor.db import case_store
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import AuthoredCase
from cxr_auditor.ui.services import sessions

pytest_plugins = ["pg_fixture"]  # postgres_cluster, postgres_url, teaching_db


def rows(engine) -> int:
    with reading(engine) as db:
        return db.execute(select(func.count(AuthoredCase.id))).scalar_one()


def test_a_saved_case_loads_back_identical_with_its_image(teaching_db):
    case, image = authored_case("local-abc123"), film()
    stored = case_store.save_case(teaching_db, case, image, author="  Dr.  Lee ")
    assert stored.author == "Dr. Lee" and stored.missing == []
    loaded = case_store.load_case(teaching_db, "local-abc123")
    assert loaded.case == case and loaded.folder is None
    assert loaded.image_bytes() == image
    listed, problems = case_store.list_cases(teaching_db)
    assert [s.case.id for s in listed] == ["local-abc123"] and problems == []
    assert listed[0].created_at.tzinfo is not None


def test_saving_again_replaces_the_case_and_keeps_its_creation_time(teaching_db):
    first = case_store.save_case(teaching_db, authored_case("local-edit"), film())
    changed = authored_case("local-edit", title="Week 4, case B")
    second = case_store.save_case(teaching_db, changed, film(seed=3))
    assert second.created_at == first.created_at and second.updated_at >= first.updated_at
    assert case_store.load_case(teaching_db, "local-edit").case.title == "Week 4, case B"
    assert rows(teaching_db) == 1
    with pytest.raises(AuthoredCaseError, match="already in the database"):
        case_store.save_case(teaching_db, changed, film(), new=True)


def test_only_cases_with_source_licence_and_attribution_are_usable(teaching_db):
    case_store.save_case(teaching_db, authored_case("local-ready"), film())
    unfinished = authored_case("local-draft", usable=False)
    case_store.save_case(teaching_db, unfinished, film())
    assert missing_for_use(unfinished) == ["source", "licence", "attribution"]
    usable, problems = case_store.usable_cases(teaching_db)
    assert [c.case.id for c in usable] == ["local-ready"] and problems == []
    assert usable[0].image_bytes() == film()


def test_the_catalogue_version_changes_on_every_save_and_delete(teaching_db):
    versions = [case_store.catalogue_version(teaching_db)]
    case_store.save_case(teaching_db, authored_case("local-one"), film())
    versions.append(case_store.catalogue_version(teaching_db))
    case_store.save_case(teaching_db, authored_case("local-one", title="Renamed"), film())
    versions.append(case_store.catalogue_version(teaching_db))
    case_store.delete_case(teaching_db, "local-one")
    versions.append(case_store.catalogue_version(teaching_db))
    assert all(a != b for a, b in zip(versions, versions[1:], strict=False))
    assert versions[-1] == versions[0] and rows(teaching_db) == 0  # empty again


def test_a_case_a_session_uses_is_not_deleted(teaching_db):
    case_store.save_case(teaching_db, authored_case("local-used"), film())
    sessions.create_session(
        teaching_db, title="W1", case_ids=["local-used"], known_case_ids={"local-used"}
    )
    with pytest.raises(AuthoredCaseError, match="used by 1 session"):
        case_store.delete_case(teaching_db, "local-used")
    assert case_store.case_exists(teaching_db, "local-used")
    with pytest.raises(AuthoredCaseError, match="no case 'local-gone'"):
        case_store.delete_case(teaching_db, "local-gone")


@pytest.mark.parametrize(
    ("case", "image", "message"),
    [
        (authored_case("nih-00005140_001"), film(), "must have an id starting with 'local-'"),
        (authored_case(width=400), film(), "image is 320x256 pixels but case.json gives width 400"),
        (authored_case(), film(fmt="PNG"), "a PNG image cannot be named 'image.jpg'"),
        (authored_case(), b"not an image at all", "not a PNG or JPEG image"),
        (authored_case(), film()[:600], "image"),
        (authored_case(reference=[]), film(), "reference: empty"),
        (
            authored_case(reference=[ReferenceBox(label="Pneumothorax", box_2d=[0, 0, 0.5, 0.5])]),
            film(),
            "'Pneumothorax' is not a canonical label",
        ),
        (
            authored_case(reference=[ReferenceBox(label="nodule_mass", box_2d=None)]),
            film(),
            "every finding needs a box",
        ),
        (
            authored_case(
                reference=[ReferenceBox(label="nodule_mass", box_2d=[0.2, 0.2, 0.2, 0.4])]
            ),
            film(),
            "the box has no area",
        ),
        (
            authored_case(
                reference=[ReferenceBox(label="nodule_mass", box_2d=[0.2, 0.2, 1.4, 0.4])]
            ),
            film(),
            "outside 0..1",
        ),
    ],
)
def test_a_bad_case_is_refused_in_one_line_and_nothing_is_written(tmp_path, case, image, message):
    from cxr_auditor.db import open_database

    engine = open_database(f"sqlite:///{tmp_path / 'refused.sqlite3'}")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(".", r"\.")) as error:
        case_store.save_case(engine, case, image)
    assert "\n" not in str(error.value)
    assert rows(engine) == 0
    engine.dispose()


def test_case_json_text_is_read_strictly():
    case = authored_case("local-strict")
    assert parse_case_json(case_json(case)) == case
    for text, message in [
        ("[]", "expected a JSON object"),
        ("{", "not valid JSON"),
        (case_json(case).replace('"title"', '"titel"'), "title: Field required"),
        (case_json(case).replace('"schema_version": 1', '"schema_version": 2'), "schema_version 2"),
    ]:
        with pytest.raises(AuthoredCaseError, match=message):
            parse_case_json(text)


def test_bundled_ids_never_look_local():
    assert not any(is_local_id(c.case.id) for c in load_library().cases)


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Right pneumothorax after a fall", ["Pneumothorax"]),
        ("Breathless after a fall", []),
        ("Week 3, case 2", []),
        ("Large left effusion", ["Pleural effusion"]),
    ],
)
def test_a_title_that_names_a_finding_is_found(title, named):
    assert title_findings(title) == named


def test_no_box_on_a_complete_read_is_the_no_finding_read():
    assert reference_of([], complete=True) == [ReferenceBox(label="no_finding", box_2d=None)]
    assert reference_of([], complete=False) == []
    box = Finding(id="l1", label="nodule_mass", box=(0.1, 0.2, 0.3, 0.4), source="learner")
    assert reference_of([box], complete=False) == [
        ReferenceBox(label="nodule_mass", box_2d=[0.1, 0.2, 0.3, 0.4])
    ]
