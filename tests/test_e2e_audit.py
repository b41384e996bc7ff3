"""The app in a real browser: Debian's Chromium driven by Playwright against ``cxr-auditor app``.

The server is started by the fixture on a free loopback port (exactly as the README starts it) and
always stopped. These tests skip only where no Chromium is installed; with ``CXR_REQUIRE_BROWSER=1``
(set by CI) a missing browser is a failure, so they can never be skipped silently there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pytest
from browser_support import LOOPBACK, launched_chromium, running_app

from cxr_auditor.core.case_format import load_library
from cxr_auditor.core.labels import display_name

playwright = pytest.importorskip("playwright.sync_api")
expect, sync_playwright = playwright.expect, playwright.sync_playwright

CASE_ID = "nih-00005140_001"
OMITTING_DRAFT = "No acute cardiopulmonary abnormality."
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    with running_app(tmp_path_factory.mktemp("e2e_audit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    opened = context.new_page()
    requests: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(app_url)
    expect(opened.get_by_role("textbox", name="Draft impression")).to_be_visible(timeout=30_000)
    yield opened
    outside = [u for u in requests if not LOOPBACK.match(u)]
    context.close()
    assert outside == [], "the page reached outside the machine"


def wait_idle(page) -> None:
    page.wait_for_timeout(200)
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=20_000
    )


def pick_case(page, case_title: str) -> None:
    page.get_by_label("Case", exact=True).click()
    page.keyboard.type(case_title.split(" · ")[0])  # "Case 020": the list is long
    page.get_by_role("option", name=case_title).click()
    wait_idle(page)


def test_pick_a_case_omit_its_finding_and_see_missing_and_the_image(page, tmp_path):
    case = load_library().get(CASE_ID).case
    (label,) = case.labels()
    assert display_name(label).lower() not in OMITTING_DRAFT.lower()
    expect(page.get_by_text(re.compile("^Research and education only")).first).to_be_visible()
    pick_case(page, case.title)
    draft = page.get_by_role("textbox", name="Draft impression")
    draft.fill(OMITTING_DRAFT)
    draft.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Audit").click()
    missing = page.get_by_text(re.compile(r"^\d+ · MISSING$"))
    expect(missing).to_be_visible(timeout=20_000)
    expect(page.get_by_text(display_name(label), exact=True).first).to_be_visible()
    wait_idle(page)
    image = page.locator("[data-testid='stImage'] img").first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") >= 512
    expect(page.get_by_role("button", name="Export audit (JSON)")).to_be_visible()
    page.screenshot(path=str(tmp_path / "audit.png"), full_page=True)


def test_a_non_image_upload_shows_a_message_and_the_page_stays_usable(page, tmp_path):
    page.get_by_text("Upload an image", exact=True).click()
    wait_idle(page)
    fake = tmp_path / "notes.png"
    fake.write_bytes(b"Impression: normal. " * 50)
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        str(fake)
    )
    expect(
        page.get_by_text(re.compile("This file cannot be used: .*not PNG or JPEG"))
    ).to_be_visible(timeout=20_000)
    wait_idle(page)
    page.get_by_text("Library case", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("button", name="Audit")).to_be_visible()


def test_a_dicom_upload_shows_window_controls_and_no_identifying_text(page, tmp_path):
    from test_dicom import PHI_VALUES, make_dicom

    ramp = np.arange(256 * 256, dtype=np.uint16).reshape(256, 256) % 4096
    path = tmp_path / "Doe_Jane.dcm"
    path.write_bytes(make_dicom(ramp, photometric="MONOCHROME1", window=(2000, 3000)))
    page.get_by_text("Upload an image", exact=True).click()
    wait_idle(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        str(path)
    )
    expect(page.get_by_text("Window center (level)")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(re.compile("MONOCHROME1: shown inverted"))).to_be_visible()
    wait_idle(page)
    shown = page.inner_text("body")
    for value in [*PHI_VALUES, "Doe_Jane"]:
        assert value not in shown, value
