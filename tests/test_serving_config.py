"""Serving settings fail fast: environment variables, config.pbtxt parameters, repository
filling."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxr_auditor.core.errors import InputError
from cxr_auditor.serving.config import (
    ConfigError,
    check_model_dir,
    client_settings,
    parse_url,
    serve_settings,
)
from cxr_auditor.serving.model_settings import SettingsError, read_settings
from cxr_auditor.serving.repository import PLACEHOLDERS, default_repository, fill_repository


# ------------------------------------------------------------------ client environment
@pytest.mark.parametrize(
    "env,url,protocol,timeout,retries",
    [
        ({}, "127.0.0.1:8000", "http", 30.0, 1),
        ({"CXR_TRITON_PROTOCOL": "grpc"}, "127.0.0.1:8001", "grpc", 30.0, 1),
        (
            {"CXR_TRITON_URL": "http://triton:8000/", "CXR_TRITON_TIMEOUT_S": "2.5"},
            "http://triton:8000/",
            "http",
            2.5,
            1,
        ),
        (
            {
                "CXR_TRITON_PROTOCOL": "GRPC",
                "CXR_TRITON_URL": "triton:8001",
                "CXR_TRITON_RETRIES": "0",
            },
            "triton:8001",
            "grpc",
            30.0,
            0,
        ),
    ],
)
def test_client_settings_read(
    env: dict[str, str], url: str, protocol: str, timeout: float, retries: int
) -> None:
    settings = client_settings(env)
    assert (settings.url, settings.protocol, settings.timeout_s, settings.retries) == (
        url,
        protocol,
        timeout,
        retries,
    )


def test_client_in_flight_cap_is_wide_enough_for_a_classroom() -> None:
    """The app shares one client among all sessions: 40 audits must not queue behind 8 slots."""
    assert client_settings({}).max_concurrency >= 40
    assert client_settings({"CXR_TRITON_MAX_CONCURRENCY": "12"}).max_concurrency == 12


@pytest.mark.parametrize(
    "env,named",
    [
        ({"CXR_TRITON_PROTOCOL": "websocket"}, "CXR_TRITON_PROTOCOL"),
        ({"CXR_TRITON_URL": "localhost"}, "CXR_TRITON_URL"),
        ({"CXR_TRITON_URL": "localhost:99999"}, "CXR_TRITON_URL"),
        ({"CXR_TRITON_URL": "grpc://localhost:8001"}, "scheme"),
        ({"CXR_TRITON_TIMEOUT_S": "soon"}, "CXR_TRITON_TIMEOUT_S"),
        ({"CXR_TRITON_TIMEOUT_S": "0"}, "CXR_TRITON_TIMEOUT_S"),
        ({"CXR_TRITON_RETRIES": "9"}, "CXR_TRITON_RETRIES"),
        ({"CXR_TRITON_MAX_CONCURRENCY": "0"}, "CXR_TRITON_MAX_CONCURRENCY"),
        ({"CXR_TRITON_MAX_CONCURRENCY": "many"}, "CXR_TRITON_MAX_CONCURRENCY"),
        ({"CXR_TRITON_GROUNDER_MODEL": "my model"}, "CXR_TRITON_GROUNDER_MODEL"),
    ],
)
def test_client_settings_fail_fast(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        client_settings(env)


@pytest.mark.parametrize(
    "url,protocol,address,ssl",
    [
        ("127.0.0.1:8000", "http", "127.0.0.1:8000", False),
        ("https://triton.example:443", "http", "triton.example:443", True),
        ("grpc://[::1]:8001", "grpc", "[::1]:8001", False),
    ],
)
def test_parse_url(url: str, protocol: str, address: str, ssl: bool) -> None:
    endpoint = parse_url(url, protocol)
    assert (endpoint.address, endpoint.ssl) == (address, ssl)


# ------------------------------------------------------------------ serve environment
def test_serve_settings_defaults_and_folders(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    settings = serve_settings(
        {"CXR_GROUNDER_MODEL_DIR": str(tmp_path), "CXR_TRITON_HTTP_PORT": "9000"}
    )
    assert (settings.grounder_dir, settings.parser_dir) == (tmp_path.resolve(), None)
    assert (settings.http_port, settings.grpc_port, settings.metrics_port) == (9000, 8001, 8002)


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda p: p / "missing", "does not exist"),
        (lambda p: (p / "file").write_text("x") and p / "file", "is not a folder"),
        (lambda p: p, "has no config.json"),
    ],
)
def test_model_folder_is_checked(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_model_dir(make(tmp_path), "grounder")


# ------------------------------------------------------------------ config.pbtxt parameters
def test_parameters_read_with_defaults(tmp_path: Path) -> None:
    settings = read_settings(
        "draft_parser",
        {
            "runtime": {"string_value": "transformers"},
            "model": {"string_value": str(tmp_path)},
            "enable_thinking": {"string_value": "TRUE"},
        },
    )
    assert settings["enable_thinking"] is True
    assert settings["max_new_tokens"] == 512 and settings["torch_threads"] == 1
    assert settings.display_name == tmp_path.name


@pytest.mark.parametrize(
    "role,params,message",
    [
        ("grounder", {"model": "/"}, "'runtime' is required"),
        ("grounder", {"runtime": "onnx", "model": "/"}, "allowed: transformers"),
        ("grounder", {"runtime": "replay", "model": "relative/dir"}, "absolute folder"),
        ("grounder", {"runtime": "replay", "model": "/does/not/exist"}, "does not exist"),
        ("grounder", {"runtime": "replay", "model": "${grounder_model}"}, "placeholder"),
        (
            "grounder",
            {"runtime": "replay", "model": "/", "enable_thinking": "true"},
            "unknown parameter 'enable_thinking'",
        ),
        (
            "grounder",
            {"runtime": "replay", "model": "/", "max_new_tokens": "many"},
            "'max_new_tokens' = 'many' is invalid",
        ),
        ("draft_parser", {"runtime": "replay", "model": "/", "temperature": "3"}, "0.0 to 2.0"),
        (
            "draft_parser",
            {"runtime": "replay", "model": "/", "retry_unparseable": "yes"},
            "true, false",
        ),
        ("reader", {"runtime": "replay", "model": "/"}, "role 'reader'"),
    ],
)
def test_bad_parameters_refuse_the_load(role: str, params: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        read_settings(role, params)


def test_pinned_hub_id_is_accepted_and_named() -> None:
    settings = read_settings(
        "draft_parser",
        {"runtime": "tensorrt_llm", "model": "nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16@" + "d" * 40},
    )
    assert settings.display_name == "nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16"


def test_unpinned_hub_id_is_refused() -> None:
    with pytest.raises(SettingsError, match="pinned Hub id"):
        read_settings(
            "draft_parser",
            {"runtime": "tensorrt_llm", "model": "nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16"},
        )


# ------------------------------------------------------------------ repository filling
REQUIRED = {
    "grounder_runtime": "replay",
    "grounder_model": "/g",
    "parser_runtime": "replay",
    "parser_model": "/p",
}


def test_fill_repository_leaves_no_placeholder(tmp_path: Path) -> None:
    out = fill_repository({**REQUIRED, "torch_threads": "2"}, tmp_path / "repo")
    configs = {p.parent.name: p.read_text() for p in out.glob("*/config.pbtxt")}
    assert set(configs) == {"grounder", "draft_parser"}
    assert all("${" not in text for text in configs.values())
    assert 'string_value: "/g"' in configs["grounder"]
    assert 'key: "torch_threads", value: { string_value: "2" }' in configs["draft_parser"]
    assert (out / "grounder" / "1" / "model.py").is_file()


@pytest.mark.parametrize(
    "values,message",
    [
        ({**REQUIRED, "gpu": "yes"}, "unknown repository setting"),
        ({k: v for k, v in REQUIRED.items() if k != "parser_model"}, "'parser_model' is required"),
        ({**REQUIRED, "grounder_model": '/g" } parameters { key: "x'}, "may not contain quotes"),
    ],
)
def test_fill_repository_rejects(tmp_path: Path, values: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        fill_repository(values, tmp_path / "repo")


def test_unknown_placeholder_in_a_template_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "src" / "m"
    src.mkdir(parents=True)
    (src / "config.pbtxt").write_text(
        'name: "m"\nparameters { key: "x" value: { string_value: "${gpu_count}" } }\n'
    )
    with pytest.raises(InputError, match=r"unknown placeholder \$\{gpu_count\}"):
        fill_repository(REQUIRED, tmp_path / "out", tmp_path / "src")
    assert not (tmp_path / "out").exists()


def test_committed_templates_use_only_known_placeholders() -> None:
    import re

    used = {
        m
        for p in default_repository().glob("*/config.pbtxt")
        for m in re.findall(r"\$\{([^}]*)\}", p.read_text())
    }
    assert used and used <= set(PLACEHOLDERS)
