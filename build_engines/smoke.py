"""``smoke``: one image and one draft through the running Triton; PASS or FAIL (exit 1).

PASS means both models were reached and both answers parsed (the audit's flags are printed); a
server that is down, a model that is not ready, a transport error or an unparseable answer is a
FAIL with its reason. It checks the serving path, not the quality of the read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cxr_auditor.build_engines.cli import add_client_arguments
from cxr_auditor.build_engines.errors import BuildError
from cxr_auditor.build_engines.paths import case_image
from cxr_auditor.build_engines.traffic import DEFAULT_DRAFT, flag_lines, triton_audit


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "smoke", help="one audit through Triton: PASS or FAIL", description=__doc__.split("\n\n")[0]
    )
    add_client_arguments(parser)
    parser.add_argument("--image", type=Path, help="PNG/JPEG (default: a bundled library case)")
    parser.add_argument("--draft", default=DEFAULT_DRAFT, help="draft impression to audit")
    parser.set_defaults(func=run)


def read_image(path: Path | None) -> tuple[Path, bytes]:
    path = path or case_image()
    try:
        return path, path.read_bytes()
    except OSError as error:
        raise BuildError(f"cannot read the image {path}: {error.strerror or error}") from None


def run(args: argparse.Namespace) -> int:
    path, image = read_image(args.image)
    if not args.draft.strip():
        raise BuildError("--draft is empty")
    if args.dry_run:
        print(
            f"DRY RUN: would check that grounder and draft_parser are ready on Triton at "
            f"{args.url} ({args.protocol}), then audit {path} with the draft {args.draft!r}, "
            "print the flags and PASS/FAIL"
        )
        return 0
    from cxr_auditor.serving.client import TritonBackend

    with TritonBackend(args.url, args.protocol, timeout_s=args.timeout, retries=1) as backend:
        ok, reason = backend.ready()
        print(reason)
        if not ok:
            print("FAIL")
            return 1
        outcome = triton_audit(backend, image, args.draft)
    if outcome.result is not None:
        result = outcome.result
        print(
            f"grounder      {result.grounder.name} {result.grounder.version}  "
            f"status {result.grounder_account.status}  findings {len(result.findings)}"
        )
        print(
            f"draft_parser  {result.parser.name} {result.parser.version}  "
            f"status {result.parser_account.status}  mentions {len(result.mentions)}"
        )
        print(f"audit of {path.name} in {outcome.seconds:.2f} s; flags:")
        print("\n".join(flag_lines(result)))
    if outcome.served and outcome.parsed:
        print("PASS")
        return 0
    print(f"FAIL: {outcome.error or 'unusable answer'}")
    return 1
