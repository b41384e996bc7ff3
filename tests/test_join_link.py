"""The instructor's join link and QR code (``ui.services.join_link``)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cxr_auditor.ui.services.join_link import app_root, join_link, qr_png


@pytest.mark.parametrize(
    "page_url, root",
    [
        ("http://10.0.0.5:8501/sessions", "http://10.0.0.5:8501"),
        ("https://teach.example.org/cxr/sessions?x=1", "https://teach.example.org/cxr"),
        ("http://10.0.0.5:8501/", "http://10.0.0.5:8501"),
        ("not a url", None),
        (None, None),
    ],
)
def test_the_app_root_is_the_page_address_without_the_page(page_url, root):
    assert app_root(page_url, env={}) == root


def test_the_link_carries_only_the_code_and_flags_a_loopback_address():
    link = join_link("K7QM3P", "http://10.0.0.5:8501/sessions", env={})
    assert link.url == "http://10.0.0.5:8501/join?join=K7QM3P" and link.reachable
    assert not join_link("K7QM3P", "http://localhost:8501/sessions", env={}).reachable
    assert not join_link("K7QM3P", "http://127.0.0.1:8501/sessions", env={}).reachable


def test_the_public_url_setting_wins_over_the_page_address():
    env = {"CXR_PUBLIC_URL": "https://teach.example.org/cxr/"}
    link = join_link("K7QM3P", "http://127.0.0.1:8501/sessions", env=env)
    assert link.url == "https://teach.example.org/cxr/join?join=K7QM3P" and link.reachable


def test_the_qr_code_is_a_png_that_decodes_as_an_image():
    png = qr_png("http://10.0.0.5:8501/join?join=K7QM3P")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.width == image.height >= 200
