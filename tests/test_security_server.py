"""The running app's server, probed: no file served from data folders, XSRF on, upload limits.

``cxr-auditor app`` is started as the README starts it. Plain HTTP requests ask it for data and
configuration paths (the case library, the Streamlit config, the tests, the database folder,
traversal attempts): it must never send such a file back (Streamlit answers its own page for any
unknown path). An upload without the XSRF token is refused. In a real browser, a file over the
50 MB limit and a file of a type the uploader does not take are refused before the app sees them,
and a non-image renamed ``.png`` is refused by the app's own check.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import LOOPBACK, launched_chromium, running_app

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "core" / "cases" / "library" / "nih-00005140_001"
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app's URL and its data folder (which holds a database file to ask for)."""
    folder = tmp_path_factory.mktemp("security_server")
    (folder / "cxr_auditor.sqlite3").write_bytes(b"SQLite format 3\x00 probe")
    with running_app(folder / "app.log", {"CXR_DATA_DIR": str(folder)}) as url:
        yield url, folder


@pytest.fixture(scope="module")
def app_url(app: tuple[str, Path]) -> str:
    return app[0]


def fetch(url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def probes(data_dir: str) -> list[tuple[str, bytes]]:
    """(path, bytes that would prove the file was served)."""
    return [
        ("app/static/case.json", b'"reference"'),
        (f"core/cases/library/{CASE.name}/case.json", b'"reference"'),
        (f"core/cases/library/{CASE.name}/image.jpg", b"\xff\xd8\xff"),
        ("static/../core/cases/library/" + CASE.name + "/case.json", b'"reference"'),
        ("app/static/../../.streamlit/config.toml", b"enableXsrfProtection"),
        (".streamlit/config.toml", b"enableXsrfProtection"),
        ("tests/conftest.py", b"import pytest"),
        ("ui/app.py", b"st.navigation"),
        ("media/../../../../etc/passwd", b"root:"),
        ("app/static/" + "../" * 8 + "etc/passwd", b"root:"),
        (data_dir.lstrip("/") + "/cxr_auditor.sqlite3", b"SQLite format 3"),
        ("app/static/" + data_dir.lstrip("/") + "/cxr_auditor.sqlite3", b"SQLite format 3"),
    ]


def test_no_data_or_configuration_file_is_ever_served(app: tuple[str, Path]) -> None:
    app_url, data_dir = app[0], str(app[1])
    page_status, page = fetch(app_url)
    assert page_status == 200 and b"<html" in page.lower()
    for path, proof in probes(data_dir):
        status, body = fetch(app_url + path)
        assert proof not in body, f"{path} was served ({status})"
        assert status in (200, 301, 302, 400, 403, 404), (path, status)
        if status == 200:
            assert body == page, f"{path}: something other than the app's own page came back"


def test_an_upload_without_the_xsrf_token_is_refused(app_url: str) -> None:
    boundary = "----cxrboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\n'
            f"Content-Type: image/png\r\n\r\n"
        ).encode()
        + b"\x89PNG\r\n\x1a\n"
        + (f"\r\n--{boundary}--\r\n").encode()
    )
    request = urllib.request.Request(
        app_url + "_stcore/upload_file/session/file",
        data=body,
        method="PUT",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert b"XSRF" in refused.value.read()


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as launched:
        yield launched


def upload(page, path: Path) -> None:
    page.get_by_text("Upload an image", exact=True).click()
    page.wait_for_timeout(300)
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        str(path)
    )


@pytest.mark.parametrize(
    "case, name, size, message",
    [
        ("over the 50 MB limit", "big.png", 51 * 1024 * 1024, r"File must be 50\.0MB or smaller"),
        (
            "a type the uploader does not take",
            "scan.gif",
            2_000,
            r"(gif|image/gif) files are not allowed",
        ),
        ("text renamed .png", "notes.png", 2_000, r"This file cannot be used: .*not PNG or JPEG"),
    ],
)
def test_uploads_are_refused_with_a_message(
    browser, app_url: str, tmp_path: Path, case: str, name: str, size: int, message: str
) -> None:
    path = tmp_path / name
    head = (
        b"\x89PNG\r\n\x1a\n" if name == "big.png" else b"GIF89a" if name.endswith(".gif") else b""
    )
    with path.open("wb") as out:
        out.write(head + b"Impression: normal. " * (size // 20))
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(app_url)
    expect(page.get_by_role("textbox", name="Draft impression")).to_be_visible(timeout=30_000)
    upload(page, path)
    expect(page.get_by_text(re.compile(message)).first).to_be_visible(timeout=20_000)
    if name != "notes.png":  # refused in the browser: the app never decoded it
        expect(page.get_by_text(re.compile("This file cannot be used"))).to_have_count(0)
    context.close()
    assert [u for u in requests if not LOOPBACK.match(u)] == []
