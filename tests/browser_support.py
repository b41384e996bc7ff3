"""Real-browser test support: the app on a free loopback port and Debian's Chromium via Playwright.

Import as ``from browser_support import ...`` (tests/ is on sys.path). Browser tests skip only where
no Chromium is installed; with ``CXR_REQUIRE_BROWSER=1`` (CI) a missing browser is a failure.
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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Flags measured on this machine: without the background-networking ones Chromium keeps trying
# (and failing) to reach the internet.
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
LOOPBACK = re.compile(r"^(https?|wss?)://127\.0\.0\.1:\d+/|^data:|^blob:")


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


@contextmanager
def running_app(log: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``cxr-auditor app`` on a free loopback port, output to ``log``; yields its URL, always stops.

    The server gets this process's environment without any Triton URL or custom case library,
    plus ``env``.
    """
    full = {k: v for k, v in os.environ.items() if k not in ("CXR_TRITON_URL", "CXR_CASE_LIBRARY")}
    full |= dict(env or {})
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
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
            cwd=REPO,
            env=full,
            stdout=output,
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
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def launched_chromium() -> Iterator[object]:
    """A headless Chromium browser (Playwright); skips, or fails in CI, when none is installed."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        if os.environ.get("CXR_REQUIRE_BROWSER"):
            pytest.fail(
                "CXR_REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)"
            )
        pytest.skip("no Chromium installed (apt-get install chromium)")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
