"""A local Triton server on throw-away settings, for tests, the benchmark and demos.

``local_server`` fills ``triton_repo/`` into a folder under ``work`` and starts the bundled
server on free loopback ports; leaving the ``with`` block stops it (process group included).
``write_replay`` writes the JSON file of the ``replay`` runtime. Real serving goes through
``cxr-auditor serve`` (``cli/serve.py``) with the same two pieces.

The Python-backend stub runs its interpreter isolated (``sys.flags.isolated``: ``PYTHONPATH`` is
ignored) and imports ``cxr_auditor`` from its site-packages, which may be another checkout than
the one running the test or benchmark (an editable install elsewhere). Each model's version
folder is on the stub's ``sys.path`` after site-packages, so ``local_server`` links the package
it was imported from there (``cxr_auditor`` -> this package): the server runs this code.
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
    count: dict[str, object] | None = None,
) -> Path:
    """A replay file: ``rules`` are (regular expression, raw output) pairs, first match wins;
    ``steps`` imitates a fixed time per decoding step, ``count`` records how many generations
    were in flight at once (``serving.runtime_replay``)."""
    data: dict[str, object] = {
        "delay_ms": delay_ms,
        "default": default,
        "rules": [{"match": match, "output": output} for match, output in rules],
    }
    if steps is not None:
        data["steps"] = steps
    if count is not None:
        data["count"] = count
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
    package = Path(__file__).parents[1]  # the cxr_auditor package this module belongs to
    for version in repository.glob("*/1"):
        (version / "cxr_auditor").symlink_to(package, target_is_directory=True)
    server = start_server(
        repository, log_path=work / "tritonserver.log", startup_timeout=startup_timeout
    )
    try:
        yield server
    finally:
        server.stop()
