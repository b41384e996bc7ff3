"""An instructor's own case, from the editor to a session, in a real browser (Debian's Chromium via
Playwright against ``cxr-auditor app``, SQLite database, instructor key set).

The instructor uploads an image on the case editor, draws two boxes with the mouse, each with its
finding, fills in the title and the source, and saves; the case is in the database. Then a session
is made with it and two learners join and submit: one boxes the pneumothorax, one writes a draft
alone; their feedback is scored against the boxes the instructor drew. Then the instructor opens
the room review: both answers anonymised, the reference revealed with one click. Each step is a
function taking and returning plain values.
Skips only where no Chromium is installed; with ``CXR_REQUIRE_BROWSER=1`` (CI) that is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from authored_support import film
from browser_support import launched_chromium, running_app
from test_e2e_session import KEY, Tab, create_session, draw_box, join, submit, unlock

from cxr_auditor.core.case_format import Case
from cxr_auditor.core.labels import display_name
from cxr_auditor.db import case_store, open_database

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = [pytest.mark.slow, pytest.mark.e2e]

TITLE = "Breathless after a fall"
PTX = (0.10, 0.15, 0.30, 0.45)  # x0, y0, x1, y1 as fractions of the canvas
EFFUSION = (0.65, 0.70, 0.92, 0.90)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("e2e_editor")
    database = f"sqlite:///{folder / 'teaching.sqlite3'}"
    env = {"CXR_DATABASE_URL": database, "CXR_INSTRUCTOR_KEY": KEY}
    with running_app(folder / "server.log", env) as url:
        yield url, database


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


def choose_finding(tab: Tab, label: str) -> None:
    tab.page.get_by_label("Finding to box").click()
    tab.page.get_by_role("option", name=display_name(label)).click()
    expect(tab.page.get_by_text(f"New boxes are labelled {display_name(label)}.")).to_be_visible(
        timeout=20_000
    )
    tab.idle()


def type_into(tab: Tab, label: str, value: str) -> None:
    field = tab.page.get_by_label(re.compile(f"^{re.escape(label)}"))
    field.fill(value)
    field.press("Enter")
    tab.idle()


def author_case(tab: Tab, image: Path, database: str) -> Case:
    """Write, box and save a case on the editor page; the case as stored."""
    tab.open("editor")
    unlock(tab, KEY)
    uploader = tab.page.locator("[data-testid='stFileUploader']").filter(has_text="Image (PNG")
    uploader.locator("input[type='file']").set_input_files(str(image))
    expect(tab.page.get_by_text("Check the image before you save it.")).to_be_visible(
        timeout=30_000
    )
    tab.idle()
    choose_finding(tab, "pneumothorax")
    draw_box(tab, *PTX)
    expect(tab.page.get_by_text("1 box(es) drawn: Pneumothorax")).to_be_visible(timeout=20_000)
    tab.idle()
    choose_finding(tab, "pleural_effusion")
    draw_box(tab, *EFFUSION)
    expect(tab.page.get_by_text("2 box(es) drawn: Pneumothorax, Pleural effusion")).to_be_visible(
        timeout=20_000
    )
    tab.idle()
    type_into(tab, "Title", TITLE)
    tab.page.get_by_text(re.compile("^The reference read is complete")).click()
    tab.idle()
    type_into(tab, "Where the image comes from", "Teaching file, test hospital")
    type_into(tab, "Licence or permission", "CC BY 4.0")
    type_into(tab, "Attribution", "Dr. Test, test hospital")
    tab.page.get_by_role("button", name="Save case").click()
    expect(tab.page.get_by_text(f"Saved {TITLE}. Sessions, the quiz")).to_be_visible(timeout=30_000)
    tab.idle()
    engine = open_database(database)
    (stored,), _ = case_store.list_cases(engine)
    engine.dispose()
    return stored.case


def run_session(browser, base: str, case: Case) -> str:
    """A session with the case; two learners join and submit. The join code."""
    instructor = Tab(browser, base)
    instructor.open("sessions")
    code = create_session(instructor, case.title)
    sam = Tab(browser, base)
    join(sam, code, "Sam")
    choose_finding(sam, "pneumothorax")
    draw_box(sam, 0.14, 0.2, 0.26, 0.4)  # inside the instructor's pneumothorax box
    expect(sam.page.get_by_text("1 box(es) drawn: Pneumothorax")).to_be_visible(timeout=20_000)
    sam.idle()
    submit(sam, "Right pneumothorax.")
    expect(
        sam.page.get_by_text("1 found · 1 missed · 0 wrong side · 0 over-called")
    ).to_be_visible()
    ana = Tab(browser, base)
    join(ana, code, "Ana")
    submit(ana, "No acute cardiopulmonary abnormality.")
    expect(
        ana.page.get_by_text("0 found · 2 missed · 0 wrong side · 0 over-called")
    ).to_be_visible()
    for tab in (instructor, sam, ana):
        assert tab.close() == [], "a page reached outside the machine"
    return code


def test_an_instructor_authors_a_case_and_a_session_uses_it(browser, server, tmp_path):
    base, database = server
    image = tmp_path / "film.png"
    image.write_bytes(film(900, 900, fmt="PNG"))
    editor = Tab(browser, base)
    case = author_case(editor, image, database)
    assert case.id.startswith("local-") and case.title == TITLE and case.reference_complete
    assert [r.label for r in case.reference] == ["pneumothorax", "pleural_effusion"]
    (y0, x0, y1, x1) = case.reference[0].box_2d
    assert abs(x0 - PTX[0]) < 0.02 and abs(y0 - PTX[1]) < 0.02 and abs(x1 - PTX[2]) < 0.02
    assert editor.close() == []
    code = run_session(browser, base, case)
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    review_the_room(browser, base)


def review_the_room(browser, base: str) -> None:
    """The instructor puts the session on the projector: both answers together, anonymised, then
    the reference revealed with one click and each draft's flags."""
    room = Tab(browser, base)
    room.open("review")
    unlock(room, KEY)
    page = room.page
    expect(page.get_by_text("Case 1 of 1")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("2 of 2 learner(s) have submitted this case")).to_be_visible()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Learner 1", exact=False)).to_have_count(1)
    expect(main.get_by_text("Learner 2", exact=False)).to_have_count(1)
    expect(main.get_by_text("Right pneumothorax.", exact=False)).to_be_visible()
    assert "Sam" not in main.inner_text() and "Ana" not in main.inner_text()
    expect(main.get_by_text("missed: Pleural effusion")).to_have_count(0)  # not before the reveal
    before = page.get_by_test_id("stImage").locator("img").first.get_attribute("src")
    page.get_by_role("button", name="Reveal the reference to the room").click()
    room.idle()
    expect(main.get_by_text("missed: Pleural effusion")).to_have_count(2)  # both drafts omit it
    expect(main.get_by_text("missed: Pneumothorax")).to_have_count(1)  # Ana's normal draft
    after = page.get_by_test_id("stImage").locator("img").first.get_attribute("src")
    assert after != before  # the reference boxes are drawn on the room's picture
    page.get_by_test_id("stCheckbox").get_by_text("Show names").click()
    room.idle()
    expect(main.get_by_text("Sam", exact=False)).to_have_count(1)
    assert room.close() == [], "a page reached outside the machine"
