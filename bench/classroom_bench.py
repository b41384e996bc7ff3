"""A classroom on one app process: N learners press Submit at the same moment; submit -> feedback.

Starts the app as the README does (``cxr-auditor app``, one process, a fresh SQLite database unless
``--database-url`` is given), creates a one-case session, and for each class size opens N Chromium
contexts (one per learner) that join through the join link with a name and a PIN and write a draft
(autosaved). Then every page clicks Submit at the same agreed instant (a timer set to one shared
wall-clock time), and each page measures, with ``performance.now()``, the time from its click to the
moment the "Feedback: case 1 of 1" heading appears (a MutationObserver, so Playwright's polling does
not inflate it). Printed: p50/p90/max per class size, with the CPU count and versions, and a check
that every answer was stored exactly once.

    python bench/classroom_bench.py --learners 20 40

The browsers run on the same machine as the server and share its CPUs: on a small machine the
figures include the browsers' own work, so they are an upper bound for a real room, where each
learner's browser runs on their own device. Needs the ``app`` extra, ``playwright`` and Chromium.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app_bench import ARGS, percentile, serve

from cxr_auditor.db import open_database
from cxr_auditor.db.attempt_store import count_attempts
from cxr_auditor.ui.services import sessions

CASE_ID = "nih-00005140_001"
DRAFT = "Right apical pneumothorax."
BROWSER_ARGS = [*ARGS, "--disable-background-timer-throttling", "--disable-renderer-backgrounding"]
ARM = """(at) => {
  window.__doneAt = null;
  const done = () => [...document.querySelectorAll('h1, h2, h3')]
      .some(node => node.textContent.trim().startsWith('Feedback: case 1 of 1'));
  const observer = new MutationObserver(() => {
    if (window.__doneAt === null && done()) {
      window.__doneAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  setTimeout(() => {
    const button = [...document.querySelectorAll('button')]
        .find(b => b.innerText.trim().endsWith('Submit'));
    window.__clickAt = performance.now();
    button.click();
  }, Math.max(0, at - Date.now()));
}"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``; 0 where unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle(page, expect) -> None:
    page.wait_for_timeout(150)
    expect(page.locator("[data-testid='stApp']")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=120_000
    )


def one_class(
    browser, expect, base: str, engine, size: int, server_pid: int
) -> tuple[list[float], float]:
    """Seat ``size`` learners in a new session, then submit all at once: per-page ms, and the
    server's CPU seconds from the shared click to the last feedback."""
    info = sessions.create_session(
        engine, title=f"Bench {size}", case_ids=[CASE_ID], known_case_ids={CASE_ID}
    )
    link = f"{base}join?join={info.code}"
    contexts, pages = [], []
    for k in range(size):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(link)
        page.get_by_label("Your name").fill(f"Learner {k}")
        page.get_by_label("PIN", exact=False).fill(f"{1000 + k}")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_text("Case 1 of 1")).to_be_visible(timeout=120_000)
        idle(page, expect)
        area = page.get_by_role("textbox", name="Draft impression")
        area.fill(DRAFT)
        area.press("Control+Enter")
        idle(page, expect)
        contexts.append(context)
        pages.append(page)
    at = page.evaluate("Date.now()") + 1500
    for page in pages:
        page.evaluate(ARM, at)
    page.wait_for_timeout(max(0, at - page.evaluate("Date.now()")))
    cpu_before = cpu_seconds(server_pid)
    times = []
    for page in pages:
        page.wait_for_function("window.__doneAt !== null", timeout=300_000)
        times.append(page.evaluate("window.__doneAt - window.__clickAt"))
    server_cpu = cpu_seconds(server_pid) - cpu_before
    for context in contexts:
        context.close()
    stored = [done for _, done in sessions.roster(engine, info.id)]
    if stored != [1] * size:
        raise SystemExit(f"answers lost or duplicated: {stored}")
    return times, server_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[20, 40])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp folder")
    parser.add_argument(
        "--chromium",
        default=os.environ.get("CXR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium",
    )
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="classroom_bench_"))
    url = args.database_url or f"sqlite:///{folder / 'teaching.sqlite3'}"
    os.environ["CXR_DATABASE_URL"] = url  # the server inherits it
    engine = open_database(url)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = serve(port)
    results: dict[int, tuple[list[float], float]] = {}
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=args.chromium, args=BROWSER_ARGS)
            for size in args.learners:
                started = time.perf_counter()
                results[size] = one_class(
                    browser, expect, f"http://127.0.0.1:{port}/", engine, size, server.pid
                )
                seconds = time.perf_counter() - started
                print(f"  {size} learners seated and submitted in {seconds:.0f} s", file=sys.stderr)
            version = browser.version
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    import streamlit

    print(
        "CXR Draft Auditor classroom benchmark: N learners press Submit at the same instant on one "
        "app process; submit -> feedback heading rendered, measured in each learner's page"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs (server "
        f"and all browsers share them); Python {platform.python_version()}, Streamlit "
        f"{streamlit.__version__}, Chromium {version}; database {engine.dialect.name}"
    )
    for size, (values, server_cpu) in results.items():
        print(
            f"{size} learners: p50 {statistics.median(values):.0f} ms, "
            f"p90 {percentile(values, 0.9):.0f} ms, max {max(values):.0f} ms; app server CPU "
            f"during the burst {server_cpu:.1f} s ({server_cpu / size * 1000:.0f} ms a submit)"
        )
    print(f"answers stored, each once: {count_attempts(engine)}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
