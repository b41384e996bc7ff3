"""Secrets come only from configuration: none in the tracked files, none in the Streamlit settings.

Every file git tracks is searched for key-like strings (private keys, cloud and Hub tokens,
passwords in database URLs and assignments). Outside ``tests/`` a secret-looking value may only be
a placeholder or an environment interpolation; inside ``tests/`` values are made up for the tests,
but real-token shapes are refused there too. The values of the secrets configured in this
environment (instructor key, Hub token, database password), when set, appear in no tracked file.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN_SHAPES = {
    "private key": r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    "AWS access key": r"\bAKIA[0-9A-Z]{16}\b",
    "GitHub token": r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})",
    "Hugging Face token": r"\bhf_[A-Za-z0-9]{30,}",
    "OpenAI/Anthropic key": r"\bsk-(ant-)?[A-Za-z0-9_-]{20,}",
    "Slack token": r"\bxox[abposr]-[A-Za-z0-9-]{10,}",
    "Google API key": r"\bAIza[0-9A-Za-z_-]{35}\b",
    "NGC API key": r"\bnvapi-[A-Za-z0-9_-]{20,}",
}
ASSIGNMENT = re.compile(
    r"(?<![{\w])((?:[A-Z]+_)*(?:INSTRUCTOR_KEY|API_KEY|ACCESS_KEY|PASSWORD|SECRET"
    r"|SECRET_KEY|HF_TOKEN|GH_TOKEN|GITHUB_TOKEN|AUTH_TOKEN|ACCESS_TOKEN))\b"
    r"\s*[=:]\s*['\"]?([^\s'\"]*)"
)  # NAME=value, not ${NAME:...}
URL_PASSWORD = re.compile(
    r"\b(?:postgres(?:ql)?(?:\+\w+)?|mysql|redis|amqp)://[^:/@\s]+:([^@\s]+)@"
)
PLACEHOLDERS = {"", "change-me", "pw", "password", "<a", "a", "<your-key>"}
CONFIGURED = ("CXR_INSTRUCTOR_KEY", "HF_TOKEN", "POSTGRES_PASSWORD", "NGC_API_KEY")


def tracked_texts() -> list[tuple[str, str]]:
    try:
        names = (
            subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
            .stdout.decode()
            .split("\0")
        )
    except (OSError, subprocess.CalledProcessError) as error:
        # Reported by each test that needs the file list; the tests of the search itself still run.
        pytest.skip(f"not a git checkout, so there is no list of tracked files ({error})")
    texts = []
    for name in filter(None, names):
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the working tree
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary (images)
        texts.append((name, data.decode("utf-8", "replace")))
    return texts


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    """Every tracked text file, read once per module (skips the test outside a git checkout)."""
    return tracked_texts()


def is_placeholder(value: str) -> bool:
    return (
        value in PLACEHOLDERS
        or value.startswith(("${", "<", "$", "os.environ", "{"))
        or (
            value.isidentifier()
            and value.lower() == value
            and len(value) < 30
            and not any(ch.isdigit() for ch in value)
        )
    )


def test_the_search_sees_the_repository(texts: list[tuple[str, str]]) -> None:
    names = {name for name, _ in texts}
    assert {"README.md", "pyproject.toml", ".streamlit/config.toml"} <= names
    assert len(texts) > 100


@pytest.mark.parametrize("kind", list(TOKEN_SHAPES))
def test_no_token_shaped_string_is_tracked(kind: str, texts: list[tuple[str, str]]) -> None:
    pattern = re.compile(TOKEN_SHAPES[kind])
    found = [
        f"{name}:{text[: m.start()].count(chr(10)) + 1}"
        for name, text in texts
        for m in pattern.finditer(text)
    ]
    assert found == [], f"{kind} in {found}"


def test_secret_values_outside_the_tests_are_placeholders_or_from_the_environment(
    texts: list[tuple[str, str]],
) -> None:
    found = []
    for name, text in texts:
        if name.startswith("tests/"):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for match in ASSIGNMENT.finditer(line):
                if not is_placeholder(match.group(2)):
                    found.append(f"{name}:{number}: {match.group(1)}={match.group(2)[:4]}…")
            for match in URL_PASSWORD.finditer(line):
                if not is_placeholder(match.group(1)):
                    found.append(f"{name}:{number}: a password in a database URL")
    assert found == []


@pytest.mark.parametrize(
    "line, secret",
    [
        ("export CXR_INSTRUCTOR_KEY='s3cr3t-Teach-2026'", True),
        ("CXR_DATABASE_URL=postgresql://cxr:Xk29fj3@db:5432/t", True),
        (
            "HF_TOKEN=hf_" + "abcdefghijklmnopqrstuvwxyzABCDEF",
            True,
        ),  # split: this file is scanned too
        ("POSTGRES_PASSWORD=change-me", False),
        ("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}", False),
        ("export CXR_INSTRUCTOR_KEY='a long passphrase'", False),
    ],
)
def test_the_search_tells_a_secret_from_a_placeholder(line: str, secret: bool) -> None:
    hits = [m.group(2) for m in ASSIGNMENT.finditer(line) if not is_placeholder(m.group(2))]
    hits += [m.group(1) for m in URL_PASSWORD.finditer(line) if not is_placeholder(m.group(1))]
    hits += [m.group() for p in TOKEN_SHAPES.values() for m in re.finditer(p, line)]
    assert bool(hits) is secret, hits


def test_configured_secret_values_appear_in_no_tracked_file(texts: list[tuple[str, str]]) -> None:
    values = {key: os.environ.get(key, "") for key in CONFIGURED}
    values = {key: value for key, value in values.items() if len(value) >= 8}
    leaks = [
        f"{key} in {name}" for key, value in values.items() for name, text in texts if value in text
    ]
    assert leaks == []


def test_local_secret_files_are_ignored_by_git_and_docker(texts: list[tuple[str, str]]) -> None:
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    dockerignore = ROOT / ".dockerignore"
    if dockerignore.is_file():
        assert ".env" in dockerignore.read_text().split()
    assert not [name for name, _ in texts if Path(name).name == ".env"]
