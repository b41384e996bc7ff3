"""The Streamlit server's settings, reviewed, and the upload limits the app enforces itself.

``.streamlit/config.toml`` is what ``cxr-auditor app`` passes to ``streamlit run`` (and
``FALLBACK_SETTINGS`` what an installed package without the file uses). The review: XSRF
protection and CORS protection on, no static file serving, a 50 MB upload limit that matches the
app's own check, no usage statistics, no cookie secret in the file (Streamlit then makes a random
one per start), and the app listening on localhost unless told otherwise. The running server is
probed in ``test_security_server.py``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cxr_auditor.cli.app import CONFIG_FILE, FALLBACK_SETTINGS, settings
from cxr_auditor.serving.image_files import MAX_BYTES, ImageError
from cxr_auditor.serving.images import open_picture
from cxr_auditor.serving.upload import UPLOAD_TYPES, decode_upload

ROOT = Path(__file__).resolve().parents[1]
REVIEWED = {
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.enableStaticServing": False,
    "server.maxUploadSize": 50,
    "server.headless": True,
    "server.runOnSave": False,
    "browser.gatherUsageStats": False,
}


@pytest.mark.parametrize("key, value", list(REVIEWED.items()))
def test_the_config_file_and_the_fallback_hold_the_reviewed_value(key: str, value: object) -> None:
    section, name = key.split(".")
    assert tomllib.loads(CONFIG_FILE.read_text())[section][name] == value
    assert FALLBACK_SETTINGS[key] == value and settings()[key] == value


@pytest.mark.parametrize(
    "key",
    [
        "server.cookieSecret",
        "server.sslKeyFile",
        "server.sslCertFile",
        "server.address",
        "global.developmentMode",
    ],
)
def test_no_secret_and_no_public_address_in_the_config_file(key: str) -> None:
    assert key not in settings()


def test_the_app_listens_on_localhost_unless_told_otherwise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cxr_auditor.cli import main

    assert main(["app", "--print-command"]) == 0
    command = capsys.readouterr().out
    assert "--server.address localhost" in command
    for key, value in REVIEWED.items():
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        assert f"--{key} {shown}" in command


def test_the_upload_limit_is_the_same_in_streamlit_and_in_the_app() -> None:
    assert REVIEWED["server.maxUploadSize"] * 1024 * 1024 == MAX_BYTES
    page = (ROOT / "ui" / "views" / "audit.py").read_text()
    assert "up to 50 MB" in page and "type=list(UPLOAD_TYPES)" in page


@pytest.mark.parametrize("size, refused", [(MAX_BYTES, False), (MAX_BYTES + 1, True)])
def test_the_app_refuses_a_file_over_the_limit_itself(size: int, refused: bool) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(size - 8)
    with pytest.raises(ImageError) as error:
        decode_upload(data, "big.png")
    assert ("over the 50 MB limit" in str(error.value)) is refused


def test_only_image_and_dicom_types_are_taken() -> None:
    assert UPLOAD_TYPES == ("png", "jpg", "jpeg", "dcm", "dicom")


@pytest.mark.parametrize(
    "name, data",
    [
        ("svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("html", b"<!doctype html><script>alert(1)</script>"),
        ("pdf", b"%PDF-1.7\n"),
        ("zip", b"PK\x03\x04" + bytes(40)),
        ("elf", b"\x7fELF" + bytes(40)),
    ],
)
def test_content_decides_not_the_name(name: str, data: bytes) -> None:
    with pytest.raises(ImageError, match="not PNG or JPEG"):
        decode_upload(data, "renamed.png")
    with pytest.raises(ValueError, match="not PNG or JPEG"):
        open_picture(data, 2**25)
