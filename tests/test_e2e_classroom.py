"""A classroom in a real browser: 20 learners, each in their own Chromium context, one app server.

The session is made through the services (the sessions page is tested in ``test_e2e_session``);
the instructor's sessions page stays open and its roster fills in by itself. Every learner opens
the join link, takes a seat with a name and a PIN, writes a draft and submits (boxes are drawn in
``test_e2e_session``, on a machine not running 20 browsers); one is a phone (390 px, touch), one
reloads mid-case and takes the seat again, one moves to a new device (a new context). Their
drafts come back from the autosave; nothing leaves loopback.
Skips without Chromium (fails with ``CXR_REQUIRE_BROWSER=1``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_support import LOOPBACK, launched_chromium, running_app

from cxr_auditor.db import open_database, store
from cxr_auditor.db.engine import reading
from cxr_auditor.ui.services import sessions

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

KEY = "e2e-classroom-key-2b7e"
CASE_ID = "nih-00005140_001"  # a right pneumothorax: x 0.12-0.26, y 0.26-0.69 of the image
LEARNERS = int(os.environ.get("CXR_E2E_LEARNERS", "20"))
RELOADER, MOVER, PHONE = 1, 2, 3
PHONE_VIEW = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def idle(page) -> None:
    page.wait_for_timeout(200)
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )


def take_seat(page, link: str, name: str, pin: str) -> None:
    page.goto(link)
    expect(page.get_by_label("Your name")).to_be_visible(timeout=30_000)
    page.get_by_label("Your name").fill(name)
    page.get_by_label(re.compile("^PIN")).fill(pin)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("Case 1 of 1")).to_be_visible(timeout=30_000)
    idle(page)


def saved_draft(engine, session_id: int, name: str) -> str | None:
    """The draft the server holds for this learner's seat (the autosave), or None."""
    person = next(p for p, _ in sessions.roster(engine, session_id) if p.display_name == name)
    with reading(engine) as db:
        row = store.draft_of(db, person.id, CASE_ID)
    return row[0] if row is not None else None


def write(page, draft: str, engine, session_id: int, name: str) -> None:
    """Type a draft, commit it, and wait until the server's autosave holds it."""
    area = page.get_by_role("textbox", name="Draft impression")
    area.fill(draft)
    area.press("Control+Enter")
    idle(page)
    for _ in range(60):  # the save is part of the rerun that just ended; allow a slow machine
        if saved_draft(engine, session_id, name) == draft:
            return
        page.wait_for_timeout(500)
    pytest.fail(f"{name}'s draft was not autosaved: {saved_draft(engine, session_id, name)!r}")


def seconds_left(page) -> int:
    clock = page.get_by_text(re.compile(r"^Time limit 10:00 per case: \d+:\d\d left"))
    expect(clock).to_be_visible(timeout=30_000)
    minutes, seconds = re.search(r": (\d+):(\d\d) left", clock.inner_text()).groups()
    return int(minutes) * 60 + int(seconds)


def test_twenty_learners_one_reloading_one_changing_device(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    engine = open_database(database)
    info = sessions.create_session(
        engine,
        title="Classroom",
        case_ids=[CASE_ID],
        known_case_ids={CASE_ID},
        time_limit_s=600,
    )
    env = {"CXR_DATABASE_URL": database, "CXR_INSTRUCTOR_KEY": KEY}
    with running_app(tmp_path / "server.log", env) as base, launched_chromium() as browser:
        link = f"{base}join?join={info.code}"
        requested: list[str] = []
        contexts = []

        def context(**options):
            made = browser.new_context(**(options or {"viewport": {"width": 1280, "height": 900}}))
            made.on("request", lambda request: requested.append(request.url))
            contexts.append(made)
            return made

        instructor = context().new_page()
        instructor.goto(base + "sessions")
        instructor.get_by_label("Instructor key").fill(KEY)
        instructor.get_by_role("button", name="Unlock").click()
        expect(instructor.get_by_text("0 learner(s) joined")).to_be_visible(timeout=30_000)

        pages = []
        for k in range(LEARNERS):
            page = context(**(PHONE_VIEW if k == PHONE else {})).new_page()
            take_seat(page, link, f"Learner {k}", f"{1000 + k}")
            pages.append(page)
        # the instructor's roster counted everyone without a click on the instructor's page
        expect(instructor.get_by_text(f"{LEARNERS} learner(s) joined")).to_be_visible(
            timeout=30_000
        )

        # one reloads mid-case: the draft comes back with the same name and PIN, the clock runs on
        write(
            pages[RELOADER],
            "Right pneumothorax, reloaded.",
            engine,
            info.id,
            f"Learner {RELOADER}",
        )
        before = seconds_left(pages[RELOADER])
        pages[RELOADER].reload()
        take_seat(pages[RELOADER], link, f"Learner {RELOADER}", f"{1000 + RELOADER}")
        expect(pages[RELOADER].get_by_role("textbox", name="Draft impression")).to_have_value(
            "Right pneumothorax, reloaded."
        )
        assert seconds_left(pages[RELOADER]) < before <= 600
        # one moves to another device (a new browser context) and finds the draft there
        write(pages[MOVER], "Right pneumothorax, moved.", engine, info.id, f"Learner {MOVER}")
        pages[MOVER].context.close()
        pages[MOVER] = context().new_page()
        take_seat(pages[MOVER], link, f"Learner {MOVER}", f"{1000 + MOVER}")
        expect(pages[MOVER].get_by_role("textbox", name="Draft impression")).to_have_value(
            "Right pneumothorax, moved."
        )

        for k, page in enumerate(pages):
            if k not in (RELOADER, MOVER):
                write(page, f"Right pneumothorax. Learner {k}.", engine, info.id, f"Learner {k}")
            page.get_by_role("button", name="Submit").click()
            expect(page.get_by_text("Feedback: case 1 of 1")).to_be_visible(timeout=30_000)
        expect(
            pages[0].get_by_text("0 found · 1 missed · 0 wrong side · 0 over-called")
        ).to_be_visible()

        phone = pages[PHONE]  # on a phone the result comes before the teaching points
        result = phone.get_by_text("Your draft, audited").bounding_box()
        teaching = phone.get_by_text("Teaching points").bounding_box()
        assert result["y"] < teaching["y"]

        expect(instructor.get_by_text(f"{LEARNERS} learner(s) joined")).to_be_visible()
        assert [u for u in requested if not LOOPBACK.match(u)] == []
    assert len(sessions.roster(engine, info.id)) == LEARNERS
    assert all(done == 1 for _, done in sessions.roster(engine, info.id))
    engine.dispose()
