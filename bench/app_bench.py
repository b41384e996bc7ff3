"""Time from the "Audit" click to the flags rendered in a real browser, on the embedded default.

Starts the app exactly as the README does (``cxr-auditor app``) on a free loopback port, drives
Debian's Chromium with Playwright, and for each run picks the next NIH library case, types a draft
that omits its finding ("No acute cardiopulmonary abnormality."), clicks Audit and waits for the
first MISSING flag. The time is taken inside the page (``performance.now()`` at the click and when a
MutationObserver first sees the flag), so Playwright's polling does not inflate it. Also printed:
the server-side audit time the page reports, and the first page load.

    python bench/app_bench.py --runs 20

Needs the ``app`` extra, ``playwright`` (PyPI) and a Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cxr_auditor.core.case_format import load_library

ROOT = Path(__file__).resolve().parents[1]

DRAFT = "No acute cardiopulmonary abnormality."
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WATCH = """() => {
  window.__flagAt = null;
  const seen = () => [...document.querySelectorAll('span, strong')]
      .some(node => /^\\d+ · MISSING$/.test(node.textContent.trim()));
  const observer = new MutationObserver(() => {
    if (window.__flagAt === null && seen()) {
      window.__flagAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  const button = [...document.querySelectorAll('button')]
      .find(b => b.innerText.trim().endsWith('Audit'));
  window.__clickAt = performance.now();
  button.click();
}"""


def serve(port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "CXR_TRITON_URL"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cxr_auditor.cli",
            "app",
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/_stcore/health"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=1).read() == b"ok":
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the app did not start within 60 s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--chromium",
        default=os.environ.get("CXR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium",
    )
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    cases = [c.case for c in load_library().cases if c.case.source.key == "nih"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = serve(port)
    click_to_flags, server_side = [], []
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=args.chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            draft = page.get_by_role("textbox", name="Draft impression")
            expect(draft).to_be_visible(timeout=60_000)
            first_load = time.perf_counter() - started
            idle = page.locator("[data-testid='stApp']")
            for run in range(args.runs):
                case = cases[run % len(cases)]
                page.get_by_label("Case", exact=True).click()
                page.keyboard.type(case.title.split()[-1])
                page.get_by_role("option", name=case.title).click()
                page.wait_for_timeout(200)
                expect(idle).to_have_attribute(
                    "data-test-script-state", "notRunning", timeout=20_000
                )
                draft.fill(DRAFT)
                draft.press("Control+Enter")
                page.wait_for_timeout(200)
                expect(idle).to_have_attribute(
                    "data-test-script-state", "notRunning", timeout=20_000
                )
                page.evaluate(WATCH)
                page.wait_for_function("window.__flagAt !== null", timeout=20_000)
                click_to_flags.append(page.evaluate("window.__flagAt - window.__clickAt"))
                label = page.get_by_text(re.compile(r"^Audit complete: .* in \d+ ms$")).inner_text()
                server_side.append(float(re.search(r"in (\d+) ms", label).group(1)))
            version = browser.version
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    import streamlit

    print(
        f"CXR Draft Auditor app benchmark: click 'Audit' -> first MISSING flag rendered "
        f"(embedded default, {args.runs} runs over {len(cases)} NIH cases)"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, Chromium {version}"
    )
    print(f"first page load (goto -> draft box visible): {first_load * 1000:.0f} ms")
    for name, values in (
        ("click -> flags rendered (browser)", click_to_flags),
        ("audit on the server (status label)", server_side),
    ):
        print(
            f"{name}: median {statistics.median(values):.0f} ms, "
            f"p90 {percentile(values, 0.9):.0f} ms, "
            f"min {min(values):.0f} ms, max {max(values):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
