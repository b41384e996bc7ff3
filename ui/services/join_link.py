"""The join link and QR code an instructor shows the room: ``<app>/join?join=<code>``.

The code in the link only fills in the join form; taking a seat still needs a name and a PIN, so
the link can be projected. The app's public address is ``CXR_PUBLIC_URL`` when set (behind a proxy,
or when the instructor opened the app as localhost), else the address the instructor's browser
used. A loopback address is flagged: phones in the room cannot reach it. Nothing here renders.
"""

from __future__ import annotations

import io
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

PUBLIC_URL_ENV = "CXR_PUBLIC_URL"
JOIN_PAGE = "join"
JOIN_PARAM = "join"


@dataclass(frozen=True)
class JoinLink:
    url: str
    reachable: bool  # False: a loopback address that learners' devices cannot open


def _is_loopback(host: str | None) -> bool:
    if not host or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.endswith(".localhost")


def app_root(page_url: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The app's root address (no page, no query), from the setting or the page's own address."""
    configured = (env if env is not None else os.environ).get(PUBLIC_URL_ENV, "").strip()
    chosen = configured or (page_url or "")
    parts = urlsplit(chosen)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path
    if not configured:  # the page's address: drop the page itself
        path = path.rsplit("/", 1)[0] if "/" in path.strip("/") else ""
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def join_link(code: str, page_url: str | None, env: Mapping[str, str] | None = None) -> JoinLink:
    """The link that opens the join page with ``code`` filled in."""
    root = app_root(page_url, env) or "http://localhost:8501"
    url = f"{root}/{JOIN_PAGE}?{urlencode({JOIN_PARAM: code})}"
    return JoinLink(url, not _is_loopback(urlsplit(url).hostname))


def qr_png(url: str, scale: int = 8) -> bytes:
    """A QR code of ``url`` as PNG bytes (error correction M, a quiet border)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
