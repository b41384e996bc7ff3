"""Several learners submitting at the same moment in real browsers: nothing lost or duplicated.

``cxr-auditor app`` on a SQLite file; a session over one library case is created through the
service layer; four learners join in separate Chromium contexts, write their drafts, and press
Submit one right after the other (one of them twice). Every learner gets their own feedback, the
database holds exactly one attempt per learner, and the time from the last click to the last
feedback on screen is printed (``pytest -s``) and bounded.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from browser_support import LOOPBACK, launched_chromium, running_app
from sqlalchemy import select

from cxr_auditor.db import open_database
from cxr_auditor.db.engine import reading
from cxr_auditor.db.models import Attempt, AttemptDetail
from cxr_auditor.ui.services import sessions

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

CASE_ID = "nih-00005140_001"
LEARNERS = 4
DRAFTS = [
    "Right apical pneumothorax.",
    "No acute cardiopulmonary abnormality.",
    "Small right pleural effusion.",
    "Cardiomegaly.",
    "Right pneumothorax, small.",
    "Lungs are clear.",
]
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("e2e_load")
    url = f"sqlite:///{folder / 'teaching.sqlite3'}"
    with running_app(folder / "app.log", {"CXR_DATABASE_URL": url}) as base:
        yield base, url


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


def idle(page) -> None:
    page.wait_for_timeout(250)
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=60_000
    )


def test_learners_submitting_at_once_each_get_one_attempt(browser, server) -> None:
    base, url = server
    engine = open_database(url)
    info = sessions.create_session(
        engine, title="Load", case_ids=[CASE_ID], known_case_ids={CASE_ID}
    )
    code = sessions.format_code(info.code)
    contexts, pages, requests = [], [], []
    for k in range(LEARNERS):
        context = browser.new_context(viewport={"width": 1300, "height": 1400})
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(base + "join")
        page.get_by_label("Join code").fill(code)
        page.get_by_label("Your name").fill(f"Learner {k}")
        page.get_by_label(re.compile("^PIN")).fill(f"{1000 + k}")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_text("Case 1 of 1")).to_be_visible(timeout=30_000)
        idle(page)
        area = page.get_by_role("textbox", name="Draft impression")
        area.fill(DRAFTS[k])
        area.press("Control+Enter")
        idle(page)
        contexts.append(context)
        pages.append(page)

    for k, page in enumerate(pages):  # all Submit clicks back to back; learner 0 twice
        page.get_by_role("button", name="Submit").click(no_wait_after=True)
        if k == 0:
            page.get_by_role("button", name="Submit").click(no_wait_after=True, timeout=2_000)
    clicked = time.monotonic()
    for page in pages:
        expect(page.get_by_text("Feedback: case 1 of 1")).to_be_visible(timeout=60_000)
    all_feedback_s = time.monotonic() - clicked
    for k, page in enumerate(pages):
        idle(page)
        shown = page.inner_text("body")
        others = [f"Learner {j}" for j in range(LEARNERS) if j != k]
        assert not any(name in shown for name in others), f"learner {k} sees another learner"
    print(
        f"\n{LEARNERS} learners submitted at once: every feedback on screen "
        f"{all_feedback_s:.2f} s after the last click"
    )

    with reading(engine) as db:
        rows = db.execute(
            select(Attempt.id, Attempt.participant_id).where(Attempt.session_id == info.id)
        ).all()
        details = set(db.execute(select(AttemptDetail.attempt_id)).scalars())
    engine.dispose()
    assert len(rows) == LEARNERS, rows  # none lost
    assert max(Counter(r.participant_id for r in rows).values()) == 1  # none duplicated
    assert {r.id for r in rows} <= details  # none half-written
    assert all_feedback_s < 30
    for context in contexts:
        context.close()
    assert [u for u in requests if not LOOPBACK.match(u)] == []
