"""``cxr-auditor cases model-reads``: the model grounder reads each library case once; reads stored.

For each case (all of the library and the instructors' usable cases in the teaching database, or
``--cases``), the grounder on the Triton server at
``--triton-url`` reads the case image, through the same client the app uses
(``serving.client.TritonBackend``, image reads that never raise); a usable read is stored in the
teaching database (``db.model_reads``) with the model's name and version as the server reports
them (its model metadata and config), the time and the server's URL. Every case is accounted for
in the closing count: read (stored), failed (one line each, with the reason: the server's
refusal, an unparseable answer, a timeout), skipped (a read by the same model and version is
stored already; ``--again`` reads it anew). Exit 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from cxr_auditor.cli import CliError
from cxr_auditor.core.case_format import Library, LoadedCase, load_library
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.core.schemas import ReaderIdentity
from cxr_auditor.db import open_database
from cxr_auditor.db.case_store import usable_cases
from cxr_auditor.db.config import database_url, display_url
from cxr_auditor.db.model_reads import latest_reads, save_read
from cxr_auditor.evaluation.progress import Progress
from cxr_auditor.serving.client import TritonBackend, TritonCallError
from cxr_auditor.serving.config import PROTOCOLS, client_settings
from cxr_auditor.serving.readers import TRITON_ENV


def register(actions: argparse._SubParsersAction) -> None:
    reads = actions.add_parser(
        "model-reads",
        help="store the model grounder's read of each library case",
        description="Ask the grounder on a Triton server to read each library case once and "
        "store the reads in the teaching database (shown in the room review and the feedback "
        "beside the reference). Prints how many were read, failed (with reasons) and skipped.",
    )
    reads.add_argument("--triton-url", required=True, help="the Triton server, host:port")
    reads.add_argument(
        "--protocol",
        choices=PROTOCOLS,
        default=None,
        help="http or grpc (default: $CXR_TRITON_PROTOCOL or http)",
    )
    reads.add_argument(
        "--database-url",
        default=None,
        help="teaching database (default: $CXR_DATABASE_URL or the local SQLite file)",
    )
    reads.add_argument(
        "--cases", nargs="+", metavar="ID", default=None, help="only these case ids (default: all)"
    )
    reads.add_argument(
        "--library",
        type=Path,
        default=None,
        help="library folder (default: $CXR_CASE_LIBRARY or the packaged library)",
    )
    reads.add_argument(
        "--again",
        action="store_true",
        help="read cases that already have a read by this model and version",
    )
    reads.add_argument(
        "--max-new-tokens", type=int, default=None, help="cap on the model's answer (tokens)"
    )
    reads.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    reads.set_defaults(func=run)


def _chosen(library: Library, wanted: list[str] | None) -> list[LoadedCase]:
    if wanted is None:
        return list(library.cases)
    known = {loaded.case.id: loaded for loaded in library.cases}
    unknown = [case_id for case_id in dict.fromkeys(wanted) if case_id not in known]
    if unknown:
        raise CliError(
            f"no case {', '.join(map(repr, unknown))} in {library.root} "
            "(see cxr-auditor cases list)"
        )
    return [known[case_id] for case_id in dict.fromkeys(wanted)]


def _backend(args: argparse.Namespace) -> TritonBackend:
    env = {**os.environ, TRITON_ENV: args.triton_url}
    if args.protocol:
        env["CXR_TRITON_PROTOCOL"] = args.protocol
    settings = client_settings(env)
    return TritonBackend.from_settings(settings, max_new_tokens=args.max_new_tokens)


def _identity(backend: TritonBackend) -> ReaderIdentity:
    ready, reason = backend.ready([backend.grounder_model])
    if not ready:
        raise CliError(f"the model server is not ready: {reason}")
    try:
        return backend.served_identity()
    except TritonCallError as error:
        raise CliError(error.reason) from None


def _image(loaded: LoadedCase) -> bytes | str:
    """The case image's bytes, or why they cannot be read."""
    try:
        return loaded.image_bytes()
    except (OSError, AuditorError) as error:
        return f"image not readable: {error}"


def _read_and_store(
    engine: Engine, backend: TritonBackend, loaded: LoadedCase, identity: ReaderIdentity
) -> str | None:
    """Read one case and store the read; None when stored, else why not (one line)."""
    image = _image(loaded)
    if isinstance(image, str):
        return image
    answer = backend.image_read(image)
    if answer.error is not None:
        return answer.error
    try:
        save_read(
            engine,
            case_id=loaded.case.id,
            findings=answer.findings,
            model_name=identity.name,
            model_version=identity.version,
            server_url=backend.url,
        )
    except SQLAlchemyError as error:
        return f"read, but not stored: {str(getattr(error, 'orig', None) or error).splitlines()[0]}"
    return None


def _database(url: str | None) -> Engine:
    try:
        return open_database(url or database_url())
    except SQLAlchemyError as error:
        first = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise CliError(f"the teaching database cannot be opened ({first})") from None


def _with_authored(library: Library, engine: Engine) -> Library:
    """The library plus the instructors' usable cases from the teaching database (as the app's
    catalogue); a stored case that cannot be read is printed and counted, never dropped silently."""
    authored, problems = usable_cases(engine)
    for problem in problems:
        print(f"  not readable, left out: {problem}")
    if problems:
        print(f"{len(problems)} stored case(s) left out (see above)")
    return Library(library.root, [*library.cases, *authored], library.problems)


def run(args: argparse.Namespace) -> int:
    engine = _database(args.database_url)
    library = _with_authored(load_library(args.library), engine)
    cases = _chosen(library, args.cases)
    if not cases:
        raise CliError(f"no usable cases in {library.root} or the teaching database")
    failed: list[str] = []
    read = skipped = 0
    with _backend(args) as backend:
        identity = _identity(backend)
        model = f"{identity.name} (version {identity.version})"
        print(f"model: {model} at {backend.url}; database: {display_url(engine.url)}")
        stored = latest_reads(engine, [loaded.case.id for loaded in cases])
        progress = Progress(len(cases), "model reads", enabled=not args.no_progress)
        for loaded in cases:
            case_id = loaded.case.id
            before = stored.get(case_id)
            same_model = before is not None and (before.model_name, before.model_version) == (
                identity.name,
                identity.version,
            )
            if same_model and not args.again:
                skipped += 1
            else:
                problem = _read_and_store(engine, backend, loaded, identity)
                if problem is None:
                    read += 1
                else:
                    failed.append(f"{case_id}: {' '.join(problem.split())[:400]}")
            progress.update()
        progress.close()
    for line in failed:
        print(f"  failed: {line}")
    why = f" (already read by {model}; --again reads them anew)" if skipped else ""
    print(
        f"cxr-auditor cases model-reads: {len(cases)} case(s): {read} read and stored, "
        f"{len(failed)} failed, {skipped} skipped{why}"
    )
    return 1 if failed else 0
