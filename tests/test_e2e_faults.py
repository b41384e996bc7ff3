"""A live app session while the model server dies and comes back: Chromium, the app, real Triton.

``cxr-auditor app`` runs with ``CXR_TRITON_URL`` pointing at a real tritonserver (replay runtime,
well-formed answers). The learner audits a library case with the model grounder; the server is
killed; the next audit comes back within the configured timeout as a degraded pass that says why
(image read unavailable, the rule parser standing in); the server is restarted on the same ports
and the next audit is a full model read again, in the same browser session.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import LOOPBACK, launched_chromium, running_app
from support import require_extras

ROOT = Path(__file__).resolve().parents[1]

require_extras("tritonclient", "pytriton", extra="serving")  # fails instead of skipping in CI
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

from cxr_auditor.reliability.triton_faults import DRAFT, Fleet

TIMEOUT_S = 2.0
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    servers = Fleet(tmp_path_factory.mktemp("e2e_faults_triton"), slow_ms=0)
    servers.start("healthy", "starting", "healthy")
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture(scope="module")
def app_url(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("e2e_faults_app") / "app.log"
    env = {
        "CXR_TRITON_URL": f"127.0.0.1:{fleet.ports['http_port']}",
        "CXR_TRITON_TIMEOUT_S": str(TIMEOUT_S),
        "CXR_TRITON_RETRIES": "1",
    }
    with running_app(log, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


def wait_idle(page) -> None:
    page.wait_for_timeout(200)
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )


def audit(page) -> float:
    """Press Audit and wait for the result; the seconds it took."""
    started = time.monotonic()
    page.get_by_role("button", name="Audit", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"^Audit complete"))).to_be_visible()
    return time.monotonic() - started


def test_the_session_degrades_with_its_reason_and_recovers(
    browser, app_url: str, fleet: Fleet
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url)
    draft = page.get_by_role("textbox", name="Draft impression")
    expect(draft).to_be_visible(timeout=30_000)
    wait_idle(page)
    draft.fill(DRAFT)
    draft.press("Control+Enter")
    wait_idle(page)
    degraded = page.get_by_role("alert").filter(has_text="Degraded pass.")
    fell_back = page.get_by_role("alert").filter(has_text="The parser fell back to rules")
    models_read = page.get_by_text(
        re.compile(
            r"^Image read by: model grounder_healthy\.json · "
            r"draft read by: model parser_healthy\.json$"
        )
    )

    audit(page)  # 1. the server is up: both reads come from the models
    expect(models_read).to_be_visible()
    expect(degraded).to_have_count(0)
    expect(fell_back).to_have_count(0)

    fleet.kill("down")  # 2. the server dies in the middle of the session
    seconds = audit(page)
    expect(degraded).to_be_visible()
    expect(degraded).to_contain_text(
        re.compile(
            r"The image read is unavailable \(grounder: "
            r"cannot reach Triton at 127\.0\.0\.1:\d+"
        )
    )
    expect(fell_back).to_contain_text("draft_parser: cannot reach Triton")
    assert seconds < 2 * TIMEOUT_S + 5, f"the degraded audit took {seconds:.1f} s"

    fleet.start("healthy", "restarting", "recovered")  # 3. it comes back on the same ports
    audit(page)
    expect(models_read).to_be_visible()
    expect(degraded).to_have_count(0)
    expect(fell_back).to_have_count(0)
    context.close()
    assert [u for u in requests if not LOOPBACK.match(u)] == []
