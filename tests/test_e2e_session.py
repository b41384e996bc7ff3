"""A teaching session in a real browser: Debian's Chromium driven by Playwright against
``cxr-auditor app``, with a SQLite database and an instructor key set for the server.

An instructor creates a session; two learners join in separate browser contexts; one draws a box
with the mouse and submits, the other submits a draft alone; the dashboard shows both attempts, and
refuses a context without the key. The key never appears in a URL or in the server's output.
These tests skip only where no Chromium is installed; with ``CXR_REQUIRE_BROWSER=1`` (CI) a missing
browser is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import LOOPBACK, launched_chromium, running_app
from sqlalchemy import text

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.labels import display_name
from cxr_auditor.db import open_database, store
from cxr_auditor.db.engine import reading

playwright = pytest.importorskip("playwright.sync_api")
expect, sync_playwright = playwright.expect, playwright.sync_playwright

KEY = "e2e-instructor-key-5d1b"
CASE_ID = "nih-00005140_001"  # a right pneumothorax: x 0.12-0.26, y 0.26-0.69 of the image
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The app on a free loopback port; yields its URL and the file its output goes to."""
    folder = tmp_path_factory.mktemp("e2e_session")
    log = folder / "server.log"
    env = {
        "CXR_DATABASE_URL": f"sqlite:///{folder / 'teaching.sqlite3'}",
        "CXR_INSTRUCTOR_KEY": KEY,
    }
    with running_app(log, env) as url:
        yield url, log


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


class Tab:
    """One browser context (one person), recording every URL it requests or visits."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1600})
        self.page = self.context.new_page()
        self.base = base
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("framenavigated", lambda frame: self.requests.append(frame.url))

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.idle()

    def idle(self) -> None:
        self.page.wait_for_timeout(250)
        expect(self.page.locator("[data-testid='stApp']")).to_have_attribute(
            "data-test-script-state", "notRunning", timeout=20_000
        )

    def close(self) -> list[str]:
        self.context.close()
        return [u for u in self.requests if not LOOPBACK.match(u)]


def unlock(tab: Tab, key: str) -> None:
    field = tab.page.get_by_label("Instructor key")
    expect(field).to_be_visible(timeout=30_000)
    field.fill(key)
    tab.page.get_by_role("button", name="Unlock").click()
    tab.idle()


def create_session(tab: Tab, case_title: str) -> str:
    unlock(tab, KEY)
    tab.page.get_by_label("Session title").fill("Pleural and pneumothorax, week 3")
    tab.page.get_by_label("Cases, in the order learners get them").click()
    tab.page.keyboard.type(case_title.split(" · ")[0])  # "Case 020": the list is long
    tab.page.get_by_role("option", name=re.compile(re.escape(case_title))).click()
    tab.page.keyboard.press("Escape")
    tab.page.get_by_role("button", name="Create session").click()
    created = tab.page.get_by_text(re.compile(r"Join code: [A-Z2-9]{3}-[A-Z2-9]{3}"))
    expect(created).to_be_visible(timeout=20_000)
    tab.idle()
    return re.search(r"[A-Z2-9]{3}-[A-Z2-9]{3}", created.inner_text()).group(0)


def join(tab: Tab, code: str, name: str, pin: str = "1234") -> None:
    tab.open("join")
    tab.page.get_by_label("Join code").fill(code)
    tab.page.get_by_label("Your name").fill(name)
    tab.page.get_by_label(re.compile("^PIN")).fill(pin)
    tab.page.get_by_role("button", name="Join").click()
    expect(tab.page.get_by_text("Case 1 of 1")).to_be_visible(timeout=20_000)
    expect(canvas(tab)).to_be_visible(timeout=30_000)
    tab.idle()


def canvas(tab: Tab):
    return tab.page.locator("[data-testid='stBidiComponentIsolated'] canvas.upper-canvas")


def draw_box(tab: Tab, x0: float, y0: float, x1: float, y1: float) -> None:
    """Drag a box on the canvas, corners as fractions of its size."""
    frame = canvas(tab).bounding_box()
    left, top = round(frame["x"]), round(frame["y"])
    width, height = frame["width"], frame["height"]
    tab.page.mouse.move(left + x0 * width, top + y0 * height)
    tab.page.mouse.down()
    tab.page.mouse.move(left + x1 * width, top + y1 * height, steps=12)
    tab.page.mouse.up()


def submit(tab: Tab, draft: str) -> None:
    area = tab.page.get_by_role("textbox", name="Draft impression")
    area.fill(draft)
    area.press("Control+Enter")
    tab.idle()
    tab.page.get_by_role("button", name="Submit").click()
    expect(tab.page.get_by_text("Feedback: case 1 of 1")).to_be_visible(timeout=20_000)
    tab.idle()


def test_a_session_from_creation_to_the_dashboard(browser, server, tmp_path):
    base, log = server
    case = load_library().get(CASE_ID).case
    instructor = Tab(browser, base)
    instructor.open("sessions")
    code = create_session(instructor, case.title)
    expect(instructor.page.get_by_text(f"Join code {code}")).to_be_visible()

    sam = Tab(browser, base)
    join(sam, code, "Sam")
    sam.page.get_by_label("Finding to box").click()
    sam.page.get_by_role("option", name=display_name("pneumothorax")).click()
    sam.idle()
    draw_box(sam, 0.14, 0.34, 0.24, 0.56)  # inside the reference box, the patient's right
    expect(sam.page.get_by_text("1 box(es) drawn: Pneumothorax")).to_be_visible(timeout=20_000)
    sam.idle()
    submit(sam, "Right apical pneumothorax.")
    expect(
        sam.page.get_by_text("1 found · 0 missed · 0 wrong side · 0 over-called")
    ).to_be_visible()
    sam.page.screenshot(path=str(tmp_path / "learner_feedback.png"), full_page=True)

    ana = Tab(browser, base)
    join(ana, code, "Ana")
    submit(ana, "No acute cardiopulmonary abnormality.")
    expect(
        ana.page.get_by_text("0 found · 1 missed · 0 wrong side · 0 over-called")
    ).to_be_visible()
    expect(ana.page.get_by_text("Sam")).to_have_count(0)  # nothing of the other learner

    instructor.page.get_by_role("link", name="Instructor dashboard").click()
    instructor.idle()
    attempts_metric = instructor.page.locator("[data-testid='stMetric']").filter(
        has_text="Attempts"
    )
    expect(attempts_metric).to_contain_text("2", timeout=20_000)
    expect(
        instructor.page.locator("[data-testid='stMetric']").filter(has_text="Learners")
    ).to_contain_text("2")
    instructor.page.get_by_role("tab", name="Attempts").click()
    expect(instructor.page.get_by_text("The 2 most recent attempt(s)")).to_be_visible()
    instructor.page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    stranger = Tab(browser, base)
    stranger.open("dashboard")
    expect(stranger.page.get_by_text(re.compile("^This page is for instructors"))).to_be_visible()
    expect(stranger.page.locator("[data-testid='stMetric']")).to_have_count(0)
    unlock(stranger, "not the key")
    expect(stranger.page.get_by_text("That is not the instructor key.")).to_be_visible()
    expect(stranger.page.locator("[data-testid='stMetric']")).to_have_count(0)

    visited = [u for tab in (instructor, sam, ana, stranger) for u in tab.requests]
    assert visited and not [u for u in visited if KEY in u]
    for tab in (instructor, sam, ana, stranger):
        assert tab.close() == [], "a page reached outside the machine"
    assert KEY not in log.read_text(errors="replace")


def autosaved(engine, name: str) -> tuple[str, list] | None:
    """The draft and boxes the server holds for this learner's seat (the autosave)."""
    with reading(engine) as db:
        (seat,) = db.execute(
            text("SELECT id FROM participants WHERE display_name = :n"), {"n": name}
        ).scalars()
        return store.draft_of(db, seat, CASE_ID)


def test_a_reload_mid_case_keeps_the_draft_the_boxes_and_the_clock(browser, server):
    base, log = server
    case = load_library().get(CASE_ID).case
    instructor = Tab(browser, base)
    instructor.open("sessions")
    code = create_session(instructor, case.title)
    expect(instructor.page.get_by_text("0 learner(s) joined")).to_be_visible()
    expect(
        instructor.page.get_by_alt_text("Scan to join")
        .or_(instructor.page.locator("[data-testid='stImage'] img"))
        .first
    ).to_be_visible()
    link = instructor.page.locator("code").filter(has_text="/join?join=").first.inner_text()
    lee = Tab(browser, base)
    lee.page.goto(link.strip())  # the join link, as the QR code gives it
    expect(lee.page.get_by_label("Join code")).to_have_value(code.replace("-", ""), timeout=30_000)
    lee.page.get_by_label("Your name").fill("Lee")
    lee.page.get_by_label(re.compile("^PIN")).fill("4821")
    lee.page.get_by_role("button", name="Join").click()
    expect(lee.page.get_by_text("Case 1 of 1")).to_be_visible(timeout=20_000)
    expect(canvas(lee)).to_be_visible(timeout=30_000)
    lee.idle()
    assert "seat=" not in lee.page.url and code.replace("-", "") in lee.page.url
    # the instructor's roster shows Lee without anyone touching the instructor's page
    expect(instructor.page.get_by_text("1 learner(s) joined")).to_be_visible(timeout=20_000)
    lee.page.get_by_label("Finding to box").click()
    lee.page.get_by_role("option", name=display_name("pneumothorax")).click()
    lee.idle()
    draw_box(lee, 0.14, 0.34, 0.24, 0.56)
    expect(lee.page.get_by_text(re.compile(r"^1 box\(es\) drawn"))).to_be_visible(timeout=20_000)
    lee.idle()
    area = lee.page.get_by_role("textbox", name="Draft impression")
    area.fill("Right apical pneumothorax.")
    area.press("Control+Enter")
    lee.idle()
    engine = open_database(f"sqlite:///{log.parent / 'teaching.sqlite3'}")
    for _ in range(60):  # the autosave is part of the rerun that just ended
        saved = autosaved(engine, "Lee")
        if saved is not None and saved[0] == "Right apical pneumothorax.":
            break
        lee.page.wait_for_timeout(500)
    assert saved is not None and saved[0] == "Right apical pneumothorax." and len(saved[1]) == 1
    engine.dispose()
    lee.page.reload()
    expect(lee.page.get_by_label("Join code")).to_have_value(code.replace("-", ""), timeout=30_000)
    lee.page.get_by_label("Your name").fill("Lee")
    lee.page.get_by_label(re.compile("^PIN")).fill("4821")
    lee.page.get_by_role("button", name="Join").click()
    expect(lee.page.get_by_text("Case 1 of 1")).to_be_visible(timeout=20_000)
    expect(lee.page.get_by_role("textbox", name="Draft impression")).to_have_value(
        "Right apical pneumothorax.", timeout=20_000
    )
    expect(lee.page.get_by_text("1 box(es) drawn: Pneumothorax")).to_be_visible()
    lee.idle()
    lee.page.get_by_role("button", name="Submit").click()
    expect(lee.page.get_by_text("1 found · 0 missed · 0 wrong side · 0 over-called")).to_be_visible(
        timeout=20_000
    )
    for tab in (instructor, lee):
        assert tab.close() == []
