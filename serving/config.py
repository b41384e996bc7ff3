"""Serving settings from environment variables, validated when read (fail fast, one clear line).

Client side (the app and the CLI talking to Triton):

==============================  ===========================  ==================================
variable                        default                      allowed
==============================  ===========================  ==================================
``CXR_TRITON_URL``              127.0.0.1:8000 (http),       ``host:port``, optionally with
                                127.0.0.1:8001 (grpc)        ``http://``/``https://``/``grpc://``
``CXR_TRITON_PROTOCOL``         http                         http, grpc
``CXR_TRITON_TIMEOUT_S``        30                           0.1 .. 3600 seconds per call,
                                                             retries included
``CXR_TRITON_RETRIES``          1                            0 .. 5
``CXR_TRITON_MAX_CONCURRENCY``  64                           1 .. 1024 requests in flight
                                                             from one app or CLI process
``CXR_TRITON_GROUNDER_MODEL``   grounder                     a Triton model name
``CXR_TRITON_PARSER_MODEL``     draft_parser                 a Triton model name
==============================  ===========================  ==================================

Server side (``cxr-auditor serve`` defaults): ``CXR_GROUNDER_MODEL_DIR`` and
``CXR_PARSER_MODEL_DIR`` (model folders), ``CXR_TRITON_HTTP_PORT`` (8000),
``CXR_TRITON_GRPC_PORT`` (8001), ``CXR_TRITON_METRICS_PORT`` (8002).

Nothing here connects to anything.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cxr_auditor.core.errors import InputError

# Requests one client process keeps in flight. The app shares one client among every session of a
# classroom (40 residents, a grounder then a parser request each), and the engines batch in flight
# (tensorrt_llm max_batch_size 48), so the client must not queue them: at 8 (the old cap) 40
# concurrent audits took 6.5x one audit (bench/scheduling_bench.py).
DEFAULT_MAX_CONCURRENCY = 64

Protocol = Literal["http", "grpc"]
PROTOCOLS: tuple[Protocol, ...] = ("http", "grpc")
DEFAULT_PORTS = {"http": 8000, "grpc": 8001, "metrics": 8002}
SCHEMES = {"http": ("http", "https"), "grpc": ("grpc", "grpcs")}
_MODEL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?P<port>\d{1,5})$")


class ConfigError(InputError):
    """A serving setting (environment variable or argument) with a bad value."""


@dataclass(frozen=True)
class Endpoint:
    address: str  # host:port, as tritonclient wants it
    ssl: bool


def parse_url(url: str, protocol: str, where: str = "CXR_TRITON_URL") -> Endpoint:
    """``host:port`` (scheme optional) for ``protocol``; ConfigError naming ``where`` otherwise."""
    if protocol not in PROTOCOLS:
        raise ConfigError(f"protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}")
    text = url.strip().rstrip("/")
    ssl = False
    if "://" in text:
        scheme, text = text.split("://", 1)
        if scheme not in SCHEMES[protocol]:
            raise ConfigError(
                f"{where} = {url!r}: scheme {scheme!r} does not fit protocol "
                f"{protocol}; allowed: {', '.join(SCHEMES[protocol])} or none"
            )
        ssl = scheme.endswith("s")
    match = _HOST_PORT.match(text)
    if not match or not 1 <= int(match["port"]) <= 65535:
        raise ConfigError(
            f"{where} = {url!r} is not host:port with a port in 1..65535 (e.g. 127.0.0.1:8000)"
        )
    return Endpoint(text, ssl)


def check_model_name(name: str, where: str) -> str:
    if not _MODEL_NAME.match(name):
        raise ConfigError(
            f"{where} = {name!r} is not a Triton model name (letters, digits, '_', '.', '-')"
        )
    return name


def _number(
    env: Mapping[str, str],
    key: str,
    default: str,
    kind: type[int] | type[float],
    low: float,
    high: float,
) -> float:
    text = env.get(key, default).strip()
    value: float | None
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ConfigError(
            f"{key} = {text!r} is invalid; allowed: {kind.__name__} from {low} to {high}"
        )
    return value


@dataclass(frozen=True)
class ClientSettings:
    url: str
    protocol: Protocol
    timeout_s: float
    retries: int
    grounder_model: str
    parser_model: str
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY


def client_settings(env: Mapping[str, str] | None = None) -> ClientSettings:
    """Client settings from the environment; ConfigError names the variable and what is allowed."""
    env = os.environ if env is None else env
    protocol = env.get("CXR_TRITON_PROTOCOL", "http").strip().lower()
    if protocol not in PROTOCOLS:
        raise ConfigError(f"CXR_TRITON_PROTOCOL = {protocol!r}; allowed: {', '.join(PROTOCOLS)}")
    url = env.get("CXR_TRITON_URL", f"127.0.0.1:{DEFAULT_PORTS[protocol]}")
    parse_url(url, protocol)
    return ClientSettings(
        url=url.strip(),
        protocol=protocol,
        timeout_s=float(_number(env, "CXR_TRITON_TIMEOUT_S", "30", float, 0.1, 3600)),
        retries=int(_number(env, "CXR_TRITON_RETRIES", "1", int, 0, 5)),
        grounder_model=check_model_name(
            env.get("CXR_TRITON_GROUNDER_MODEL", "grounder"), "CXR_TRITON_GROUNDER_MODEL"
        ),
        parser_model=check_model_name(
            env.get("CXR_TRITON_PARSER_MODEL", "draft_parser"), "CXR_TRITON_PARSER_MODEL"
        ),
        max_concurrency=int(
            _number(env, "CXR_TRITON_MAX_CONCURRENCY", str(DEFAULT_MAX_CONCURRENCY), int, 1, 1024)
        ),
    )


@dataclass(frozen=True)
class ServeSettings:
    grounder_dir: Path | None
    parser_dir: Path | None
    http_port: int
    grpc_port: int
    metrics_port: int


def check_model_dir(path: Path, what: str) -> Path:
    """A model folder with a config.json, as an absolute path; ConfigError otherwise."""
    if not path.exists():
        raise ConfigError(f"{what} model folder {path} does not exist")
    if not path.is_dir():
        raise ConfigError(f"{what} model folder {path} is not a folder")
    if not (path / "config.json").is_file():
        raise ConfigError(
            f"{what} model folder {path} has no config.json (make one with "
            "'cxr-auditor models make-tiny --out DIR', or download the weights)"
        )
    return path.resolve()


def serve_settings(env: Mapping[str, str] | None = None) -> ServeSettings:
    """Defaults of ``cxr-auditor serve`` from the environment (folders checked when given)."""
    env = os.environ if env is None else env
    dirs = {}
    for key, what in (("CXR_GROUNDER_MODEL_DIR", "grounder"), ("CXR_PARSER_MODEL_DIR", "parser")):
        value = env.get(key, "").strip()
        dirs[what] = check_model_dir(Path(value), f"{key}: {what}") if value else None
    ports = {
        name: int(_number(env, f"CXR_TRITON_{name.upper()}_PORT", str(port), int, 0, 65535))
        for name, port in DEFAULT_PORTS.items()
    }
    return ServeSettings(
        dirs["grounder"], dirs["parser"], ports["http"], ports["grpc"], ports["metrics"]
    )
