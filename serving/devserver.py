"""A local Triton server on throw-away settings, for tests, the benchmark and demos.

``local_server`` fills ``triton_repo/`` into a folder under ``work`` and starts the bundled
server on free loopback ports; leaving the ``with`` block stops it (process group included).
``write_replay`` writes the JSON file of the ``replay`` runtime. Real serving goes through
``cxr-auditor serve`` (``cli/serve.py``) with the same two pieces.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cxr_auditor.serving.launcher import TritonServer, start_server
from cxr_auditor.serving.repository import fill_repository


def write_replay(
    path: Path,
    rules: Sequence[tuple[str, str]] = (),
    default: str = "[]",
    delay_ms: float = 0,
    steps: dict[str, object] | None = None,
) -> Path:
    """A replay file: ``rules`` are (regular expression, raw output) pairs, first match wins;
    ``steps`` imitates a fixed time per decoding step (``serving.runtime_replay``)."""
    data: dict[str, object] = {
        "delay_ms": delay_ms,
        "default": default,
        "rules": [{"match": match, "output": output} for match, output in rules],
    }
    if steps is not None:
        data["steps"] = steps
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@contextmanager
def local_server(
    work: Path,
    *,
    grounder: Path,
    parser: Path,
    runtime: str = "transformers",
    parser_runtime: str | None = None,
    startup_timeout: float = 240.0,
) -> Iterator[TritonServer]:
    """Serve ``grounder`` and ``parser`` (model folders, or replay files) until the block ends."""
    repository = fill_repository(
        {
            "grounder_runtime": runtime,
            "grounder_model": str(Path(grounder).resolve()),
            "parser_runtime": parser_runtime or runtime,
            "parser_model": str(Path(parser).resolve()),
        },
        work / "repository",
    )
    server = start_server(
        repository, log_path=work / "tritonserver.log", startup_timeout=startup_timeout
    )
    try:
        yield server
    finally:
        server.stop()
