"""``cxr-auditor eval``: the measurements that decide what ships.

- ``eval synthetic``: corrupted drafts from reference reads, through the real parser and comparator,
  scored against the decisions each corruption requires.
- ``eval parser``: the draft parser on real reports against human labels (and NIH's gold standard).
- ``eval grounding``: an image read against expert boxes, presence and per-image box metrics.
- ``eval reports``: the full audit on real reports against their own labels, clean and corrupted
  (prints its tables; ``--json`` writes every case).

Each writes ``summary.json``, ``report.md`` and its plots into ``--out`` and prints a table. Every
item that could not be used or evaluated is counted and listed, never dropped. Orchestration lives
in ``evaluation/``; this module only parses arguments and prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cxr_auditor.core.errors import InputError
from cxr_auditor.evaluation.backends import GROUNDERS, PARSERS, make_grounder, make_parser
from cxr_auditor.evaluation.sources import (
    CaseSource,
    combine,
    load_case_folder,
    load_chestx_det,
    load_library,
    load_nih_bbox,
)


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--cases",
        type=Path,
        metavar="DIR",
        help="folder of case folders, each with a case.json (the app's case format:"
        ' at least "id" and "reference": [{"label", "box_2d"}])',
    )
    group.add_argument(
        "--library",
        action="store_true",
        help="the app's bundled case library (or $CXR_CASE_LIBRARY)",
    )
    group.add_argument(
        "--chestx-det",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="ChestX-Det annotation file(s): every annotated image is a reference "
        "read (3,578 in train + test)",
    )
    group.add_argument(
        "--nih-bbox",
        type=Path,
        metavar="CSV",
        help="NIH BBox_List_2017.csv (incomplete reads: one box per named finding)",
    )
    parser.add_argument(
        "--images",
        type=Path,
        metavar="DIR",
        help="with --chestx-det/--nih-bbox: folder holding the images by file name",
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder for summary.json, report.md and the plots",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def register(subparsers: argparse._SubParsersAction) -> None:
    top = subparsers.add_parser(
        "eval",
        help="evaluate the parser, the grounder and the audit",
        description=__doc__.split("\n\n")[0],
    )
    kinds = top.add_subparsers(dest="eval_kind", required=True)

    synthetic = kinds.add_parser(
        "synthetic",
        help="corrupted drafts from reference reads, audited and scored",
        description="Write a faithful draft and one corrupted draft per kind for every reference "
        "read, audit each with the real parser and comparator, and score the flags "
        "against the decisions each corruption requires.",
    )
    add_source_arguments(synthetic)
    synthetic.add_argument("--parser", choices=PARSERS, default="rules")
    synthetic.add_argument(
        "--grounder",
        choices=GROUNDERS,
        default="reference",
        help="image read: the reference read (default) or the Triton grounder",
    )
    synthetic.add_argument(
        "--n",
        type=int,
        metavar="N",
        help="at most N cases, balanced over draft kinds (default: all)",
    )
    synthetic.add_argument("--seed", type=int, default=0)
    _add_common(synthetic)
    synthetic.set_defaults(func=run_synthetic)

    parser = kinds.add_parser(
        "parser",
        help="draft-parser accuracy on real reports with human labels",
        description="Parse every report and score it against report-level labels: per-label "
        "P/R/F1 and macro-F1, uncertain counted both ways, with bootstrap intervals; "
        "optionally against NIH's 14-label gold standard mapped to the six labels.",
    )
    texts = parser.add_mutually_exclusive_group(required=True)
    texts.add_argument(
        "--reports",
        type=Path,
        metavar="CSV",
        help="reports CSV with uid, findings, impression (IU / Open-i layout)",
    )
    texts.add_argument(
        "--predictions",
        type=Path,
        metavar="JSONL",
        help="score this predictions file instead of running a parser",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        required=True,
        metavar="CSV",
        help="canonical labels CSV (uid, no_indexing, the six labels: 1/0/-1)",
    )
    parser.add_argument(
        "--nih-labels",
        type=Path,
        metavar="CSV",
        help="NIH openi_gld_std14 CSV for the same reports",
    )
    parser.add_argument("--parser", choices=PARSERS, default="rules")
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples for 95%% intervals (0 = off)",
    )
    parser.add_argument("--seed", type=int, default=0)
    _add_common(parser)
    parser.set_defaults(func=run_parser)

    grounding = kinds.add_parser(
        "grounding",
        help="an image read against expert boxes",
        description="Read every case image with the grounder and score presence per label and "
        "boxes per image against the expert read. Failed or unparseable outputs are "
        "counted, listed and scored as empty reads.",
    )
    add_source_arguments(grounding)
    grounding.add_argument(
        "--grounder",
        choices=GROUNDERS,
        default="reference",
        help="reference (a sanity check of the harness) or triton (the model)",
    )
    _add_common(grounding)
    grounding.set_defaults(func=run_grounding)

    reports = kinds.add_parser(
        "reports",
        help="the full audit on real reports, clean and corrupted, against their own labels",
        description="Audit every real report as a draft against an image read made from its own "
        "labels (spurious MISSING/UNSUPPORTED per label), then corrupt reports (drop, negate, "
        "side swap, hedge the asserting sentence) and score the flags the audit raises.",
    )
    reports.add_argument(
        "--reports",
        type=Path,
        action="append",
        required=True,
        metavar="CSV",
        help="reports CSV (uid, findings, impression); repeat, paired in order with --labels",
    )
    reports.add_argument(
        "--labels",
        type=Path,
        action="append",
        required=True,
        metavar="CSV",
        help="canonical labels CSV for the reports file at the same position",
    )
    reports.add_argument(
        "--text",
        choices=("findings+impression", "impression"),
        default="findings+impression",
        help="the draft: findings and impression (default: the labels were coded from the "
        "whole report, so the impression alone omits findings the labels hold) or the "
        "impression only",
    )
    reports.add_argument("--json", type=Path, metavar="OUT", help="write every count and case")
    reports.add_argument(
        "--examples", type=int, default=3, metavar="N", help="corrupted examples per kind"
    )
    reports.add_argument("--seed", type=int, default=0)
    reports.add_argument("--quiet", action="store_true", help="no progress bar")
    reports.set_defaults(func=run_reports)


def load_source(args: argparse.Namespace) -> CaseSource:
    if args.cases is not None:
        return load_case_folder(args.cases)
    if args.library:
        return load_library()
    if args.chestx_det:
        return combine([load_chestx_det(path, args.images) for path in args.chestx_det])
    return load_nih_bbox(args.nih_bbox, args.images)


def _wrote(paths: dict[str, Path]) -> None:
    print("\nwrote " + ", ".join(str(path) for path in paths.values()))


def run_synthetic(args: argparse.Namespace) -> int:
    from cxr_auditor.evaluation import synthetic_report
    from cxr_auditor.evaluation.synthetic import evaluate_synthetic

    if args.n is not None and args.n < 1:
        raise InputError(f"--n {args.n}: must be at least 1")
    source = load_source(args)
    run = evaluate_synthetic(
        source,
        make_parser(args.parser),
        make_grounder(args.grounder),
        parser_name=args.parser,
        seed=args.seed,
        limit=args.n,
        progress=not args.quiet,
    )
    print(synthetic_report.table(run))
    _wrote(synthetic_report.write(run, args.out))
    return 0


def run_parser(args: argparse.Namespace) -> int:
    from cxr_auditor.evaluation import parser_report
    from cxr_auditor.evaluation.parser import evaluate_parser

    if args.bootstrap < 0:
        raise InputError(f"--bootstrap {args.bootstrap}: must be 0 or more")
    reader = make_parser(args.parser) if args.reports is not None else None
    run = evaluate_parser(
        args.labels,
        reader=reader,
        parser_name=args.parser,
        reports=args.reports,
        predictions=args.predictions,
        nih_labels=args.nih_labels,
        n_boot=args.bootstrap,
        seed=args.seed,
        progress=not args.quiet,
    )
    print(parser_report.table(run))
    _wrote(parser_report.write(run, args.out))
    return 0


def run_grounding(args: argparse.Namespace) -> int:
    from cxr_auditor.evaluation import grounding_report
    from cxr_auditor.evaluation.grounding import evaluate_grounding

    run = evaluate_grounding(
        load_source(args), make_grounder(args.grounder), progress=not args.quiet
    )
    print(grounding_report.table(run))
    _wrote(grounding_report.write(run, args.out))
    return 0


def run_reports(args: argparse.Namespace) -> int:
    from cxr_auditor.evaluation import reports_report
    from cxr_auditor.evaluation.reports import evaluate_reports, summary

    if len(args.reports) != len(args.labels):
        raise InputError(
            f"{len(args.reports)} --reports and {len(args.labels)} --labels: give one labels file "
            "per reports file, in the same order"
        )
    if args.examples < 0:
        raise InputError(f"--examples {args.examples}: must be 0 or more")
    run = evaluate_reports(
        list(zip(args.reports, args.labels)),
        text_part=args.text,
        seed=args.seed,
        progress=not args.quiet,
    )
    data = summary(run)
    print(reports_report.table(data, args.examples))
    if args.json is not None:
        print(f"\nwrote {reports_report.write_json(data, args.json)}")
    return 0
