"""The Case library page and the case page (AppTest): filters, pages, the reveal, the lock."""

from __future__ import annotations

import pytest
from apptest_support import APP, teaching_database
from authored_support import authored_case, film
from streamlit.testing.v1 import AppTest

from cxr_auditor.core.case_format import load_library
from cxr_auditor.db import case_store
from cxr_auditor.ui.services import sessions

KEY = "teaching-key-library-test"
CASE = "nih-00005140_001"  # one pneumothorax box


@pytest.fixture
def db(tmp_path, monkeypatch):
    return teaching_database(tmp_path, monkeypatch, "library.sqlite3", KEY)


def library_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("views/library.py")
    at.run()
    assert not at.exception
    return at


def case_page(case_id: str, instructor_key: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    if instructor_key is not None:
        at.session_state["instructor_key"] = instructor_key
    at.switch_page("views/case.py")
    at.query_params["case"] = case_id
    at.run()
    assert not at.exception
    return at


def matching(at: AppTest) -> int:
    lines = [c.value for c in at.caption if "cases match" in c.value]
    if not lines:
        assert any("No case matches" in i.value for i in at.info)
        return 0
    (line,) = lines
    return int(line.split()[0])


def test_the_grid_shows_one_page_of_thumbnails_and_filters_change_the_set(db):
    at = library_page()
    total = len(load_library().cases)
    assert matching(at) == total and total >= 250
    assert len(at.get("image")) == 24  # one page, not the whole library
    at.multiselect(key="library_findings").select("pleural_effusion").run()
    effusion = matching(at)
    assert 0 < effusion < total
    at.selectbox(key="library_completeness").select("complete").run()
    assert 0 < matching(at) < effusion  # the ChestX-Det effusions only
    at.multiselect(key="library_difficulties").select("hard").run()
    assert matching(at) == 0  # nobody has answered anything yet


def test_titles_on_the_grid_give_nothing_away(db):
    at = library_page()
    links = [link.proto.label for link in at.get("page_link")]
    tiles = [label for label in links if label.startswith("Case ")]
    assert len(tiles) == 24 and all(label.endswith("· frontal chest film") for label in tiles)


def test_the_case_page_reveals_the_boxes_and_teaching_points_after_a_click(db):
    at = case_page(CASE)
    assert at.title[0].value.startswith("Case ") and "frontal chest film" in at.title[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "Incomplete" in text and "NIH" in text and "not yet rated" in text
    assert "Teaching points" not in " ".join(s.value for s in at.subheader)
    assert "pneumothorax" not in text.lower()
    at.button(key="library_reveal").click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "boxed on the patient's right" in text and "Pneumothorax" in text
    captions = [c for image in at.get("image") for c in image.captions]
    assert any("Reference boxes" in c for c in captions)
    at.button(key="library_hide").click().run()
    assert "Teaching points" not in " ".join(s.value for s in at.subheader)


def test_an_open_session_hides_the_answer_on_the_case_page_from_all_but_the_instructor(db):
    known = {loaded.case.id for loaded in load_library().cases}
    info = sessions.create_session(db, title="Lock", case_ids=[CASE], known_case_ids=known)
    at = case_page(CASE)
    assert any("open now" in i.value for i in at.info)
    assert [b for b in at.button if b.key == "library_reveal"] == []
    assert "patient's right" not in " ".join(m.value for m in at.markdown)
    assert [b.key for b in case_page(CASE, "guess").button] == []  # a wrong key unlocks nothing
    instructor = case_page(CASE, KEY)
    instructor.button(key="library_reveal").click().run()
    assert "patient's right" in " ".join(m.value for m in instructor.markdown)
    sessions.set_open(db, info.id, False)
    assert any(b.key == "library_reveal" for b in case_page(CASE).button)


def test_an_unknown_case_says_so(db):
    at = case_page("no-such-case")
    assert any("There is no library case 'no-such-case'" in i.value for i in at.info)


def test_an_instructors_case_is_in_the_library_and_opens_on_its_case_page(db):
    case_store.save_case(db, authored_case("local-library-film"), film())
    at = library_page()
    total = len(load_library().cases) + 1
    assert matching(at) == total
    (count,) = [c.value for c in at.caption if "written by instructors" in c.value]
    assert count == f"{total} cases: {total - 1} from the bundled library, 1 written by instructors"
    page = case_page("local-library-film")
    assert [t.value for t in page.title] == [authored_case("local-library-film").title]
    assert len(page.get("image")) == 1  # the film, before the answer
