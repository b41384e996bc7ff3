"""``cxr-auditor parse``: a CSV of draft impressions in, one JSON object per row out, in input
order.

Every input row is written: a row that cannot be parsed (empty text, too long, a parser failure)
gets ``"status": "unparseable"`` and its ``"error"``, never a silent skip. ``--parser rules`` (the
default) is the embedded deterministic parser; ``--parser triton`` uses the model server named by
``--triton-url`` or ``$CXR_TRITON_URL``. A progress bar goes to stderr; a one-line summary ends
the run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

from cxr_auditor.cli import CliError
from cxr_auditor.core.audit import DraftReader, rule_reader
from cxr_auditor.core.errors import AuditorError
from cxr_auditor.evaluation.progress import Progress


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "parse",
        help="parse draft impressions (CSV) into mentions (JSONL)",
        description="Parse each draft of a CSV into mentions: label, status (present, absent, "
        "uncertain), exact span, deciding cue, side and severity. Writes one JSON object "
        "per input row, in input order; failed rows carry their error.",
    )
    parser.add_argument(
        "--in", dest="input", required=True, type=Path, help="CSV with a header row"
    )
    parser.add_argument("--out", required=True, type=Path, help="JSONL file to write")
    parser.add_argument("--id-col", default="id", help="column with the row id (default: id)")
    parser.add_argument(
        "--text-col", default="text", help="column with the draft text (default: text)"
    )
    parser.add_argument(
        "--parser",
        choices=("rules", "triton"),
        default="rules",
        help="rules: the embedded rule parser (default); triton: the model server",
    )
    parser.add_argument(
        "--triton-url", default=None, help="model server URL (default: $CXR_TRITON_URL)"
    )
    parser.add_argument(
        "--drop-other",
        action="store_true",
        help="leave out mentions labeled 'other' (for scorers that accept only the six labels)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    parser.set_defaults(func=run)


def _reader(args: argparse.Namespace) -> DraftReader:
    if args.parser == "rules":
        return rule_reader()
    from cxr_auditor.serving.readers import make_readers, server_status, triton_url

    url = args.triton_url or triton_url()
    if not url:
        raise CliError("--parser triton needs --triton-url or $CXR_TRITON_URL")
    readers = make_readers(url)
    if readers.mode != "triton":
        raise CliError(f"model server at {url} is not usable: {readers.problem}")
    ready, reason = server_status(readers)
    if not ready:
        raise CliError(f"model server at {url} is not ready: {reason}")
    return readers.draft_reader()


def _read_rows(path: Path, id_col: str, text_col: str) -> list[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)  # a long draft is refused by the parser, with its row kept
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        try:
            columns = reader.fieldnames or []
            missing = [c for c in (id_col, text_col) if c not in columns]
            if missing:
                raise CliError(
                    f"{path}: no column {', '.join(map(repr, missing))}; columns are "
                    f"{', '.join(map(repr, columns)) or '(none)'} (see --id-col, --text-col)"
                )
            return list(reader)
        except (csv.Error, UnicodeDecodeError) as error:
            raise CliError(
                f"{path}: line {reader.line_num}: not a readable UTF-8 CSV ({error})"
            ) from None


def _record(reader: DraftReader, row_id: str, text: str, drop_other: bool) -> tuple[dict, bool]:
    """The output object for one row, and whether the parser itself failed (a bug, not bad
    input)."""
    try:
        read = reader.read(text)
    except AuditorError as error:
        return {"id": row_id, "status": "unparseable", "error": str(error), "mentions": []}, False
    except Exception as error:
        return {
            "id": row_id,
            "status": "unparseable",
            "error": f"internal error: {type(error).__name__}: {error}",
            "mentions": [],
        }, True
    mentions = [
        m.model_dump(mode="json") for m in read.mentions if not (drop_other and m.label == "other")
    ]
    account = read.account.model_dump(mode="json")
    return {
        "id": row_id,
        "status": account["status"],
        "error": account["error"],
        "mentions": mentions,
        "parser": read.identity.model_dump(mode="json"),
        "account": account,
    }, False


def run(args: argparse.Namespace) -> int:
    if args.input.resolve() == args.out.resolve():
        raise CliError("--out must differ from --in")
    rows = _read_rows(args.input, args.id_col, args.text_col)
    reader = _reader(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    progress = Progress(len(rows), "parse", enabled=not args.no_progress)
    counts = {"ok": 0, "repaired": 0, "unparseable": 0}
    internal = 0
    tmp = args.out.with_name(args.out.name + ".partial")
    with tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            record, failed = _record(
                reader, row.get(args.id_col) or "", row.get(args.text_col) or "", args.drop_other
            )
            internal += failed
            counts[record["status"]] = counts.get(record["status"], 0) + 1
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            progress.update()
    os.replace(tmp, args.out)
    progress.close()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    print(
        f"cxr-auditor parse: {len(rows)} rows ({summary or 'none'}) -> {args.out}", file=sys.stderr
    )
    if internal:
        print(
            f"cxr-auditor parse: {internal} rows failed inside the parser; see their 'error'",
            file=sys.stderr,
        )
        return 1
    return 0
