"""The app in a real browser: Debian's Chromium driven by Playwright against ``cxr-auditor app``.

The server is started by the fixture on a free loopback port (exactly as the README starts it) and
always stopped. These tests skip only where no Chromium is installed; with ``CXR_REQUIRE_BROWSER=1``
(set by CI) a missing browser is a failure, so they can never be skipped silently there.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from core.labels import display_name
from ui.services.cases import load_library

playwright = pytest.importorskip("playwright.sync_api")
expect, sync_playwright = playwright.expect, playwright.sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CASE_ID = "nih-00005140_001"
OMITTING_DRAFT = "No acute cardiopulmonary abnormality."
pytestmark = pytest.mark.slow


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CXR_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("CXR_TRITON_URL", "CXR_CASE_LIBRARY")}
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "app", "--port", str(port), "--address", "127.0.0.1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(url + "_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read().decode(errors="replace") if server.stdout else ""
                    pytest.fail(f"the app did not start: {output[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CXR_REQUIRE_BROWSER"):
            pytest.fail(
                "CXR_REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)"
            )
        pytest.skip("no Chromium installed (apt-get install chromium)")
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    opened = context.new_page()
    requests: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(app_url)
    expect(opened.get_by_role("textbox", name="Draft impression")).to_be_visible(timeout=30_000)
    yield opened
    outside = [
        u for u in requests if not re.match(r"^(https?|wss?)://127\.0\.0\.1:\d+/|^data:|^blob:", u)
    ]
    context.close()
    assert outside == [], "the page reached outside the machine"


def wait_idle(page) -> None:
    page.wait_for_timeout(200)
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=20_000
    )


def pick_case(page, case_title: str) -> None:
    page.get_by_label("Case", exact=True).click()
    page.keyboard.type(case_title.split()[-1])
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
