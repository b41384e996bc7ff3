"""``cxr-auditor train``: the grounder fine-tuning pipeline, one subcommand per stage.

    records  reference reads -> SFT records (the grounder's exact output schema)
    curate   merge duplicate boxes, resolve cross-label overlaps, balance normals, split
    sft      QLoRA (GPU) or LoRA (CPU) SFT with an answer-only loss -> adapter
    merge    adapter + clean base -> merged checkpoint, then the merge check
    verify   the merge check alone (exit 2 when it fails)

The work is in ``train/``; heavy libraries (torch, transformers, trl, peft) load only for ``sft``,
``merge`` and ``verify`` (the ``[train]`` extra).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from cxr_auditor.cli.eval import add_source_arguments, load_source
from cxr_auditor.core.errors import InputError

if TYPE_CHECKING:
    from cxr_auditor.train.verify import MergeCheck


def register(subparsers: argparse._SubParsersAction) -> None:
    top = subparsers.add_parser(
        "train",
        help="grounder fine-tuning: records, curate, sft, merge",
        description=__doc__.split("\n\n")[0],
    )
    stages = top.add_subparsers(dest="train_stage", required=True)

    records = stages.add_parser("records", help="reference reads -> SFT records (JSONL)")
    add_source_arguments(records)
    records.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="also use incomplete references (NIH boxes); off by default",
    )
    holdout = records.add_mutually_exclusive_group()
    holdout.add_argument(
        "--holdout",
        type=Path,
        metavar="DIR",
        help="case folder whose images (and NIH patients) are never trained on "
        "(default: the app's case library, which the evaluations use)",
    )
    holdout.add_argument(
        "--no-holdout",
        action="store_true",
        help="hold nothing out (only when no evaluation uses these images)",
    )
    records.add_argument("--out", type=Path, required=True, metavar="JSONL")
    records.set_defaults(func=run_records)

    curate = stages.add_parser("curate", help="curate, balance and split SFT records")
    curate.add_argument("--in", dest="inp", type=Path, required=True, metavar="JSONL")
    curate.add_argument(
        "--out-dir",
        type=Path,
        required=True,
        metavar="DIR",
        help="writes train.jsonl, val.jsonl and curation.json",
    )
    curate.add_argument("--merge-iou", type=float, default=0.5)
    curate.add_argument("--cross-iou", type=float, default=0.6)
    curate.add_argument(
        "--normal-ratio",
        type=float,
        default=1.0,
        help="normal records kept per positive record (default 1.0)",
    )
    curate.add_argument("--val-fraction", type=float, default=0.1)
    curate.add_argument("--seed", type=int, default=0)
    curate.set_defaults(func=run_curate)

    sft = stages.add_parser("sft", help="fine-tune with an answer-only loss -> LoRA adapter")
    sft.add_argument("--base", required=True, help="base model folder or hub id")
    sft.add_argument("--train", type=Path, required=True, metavar="JSONL")
    sft.add_argument("--val", type=Path, metavar="JSONL")
    sft.add_argument("--out", type=Path, required=True, metavar="DIR")
    sft.add_argument("--recipe", choices=("gpu-qlora", "cpu-lora"), default="gpu-qlora")
    sft.add_argument(
        "--image-root",
        type=Path,
        metavar="DIR",
        help="folder that relative image paths in the records are under",
    )
    sft.add_argument("--epochs", type=float)
    sft.add_argument("--max-steps", type=int, help="stop after N optimizer steps (smoke runs)")
    sft.add_argument("--lr", type=float)
    sft.add_argument("--seed", type=int)
    sft.set_defaults(func=run_sft_stage)

    merge = stages.add_parser("merge", help="merge an adapter into a clean base, then check it")
    merge.add_argument("--base", required=True)
    merge.add_argument("--adapter", type=Path, required=True)
    merge.add_argument("--out", type=Path, required=True)
    merge.set_defaults(func=run_merge)

    verify = stages.add_parser("verify", help="the merge check alone")
    verify.add_argument("--base", required=True)
    verify.add_argument("--adapter", type=Path, required=True)
    verify.add_argument("--merged", type=Path, required=True)
    verify.set_defaults(func=run_verify)


def run_records(args: argparse.Namespace) -> int:
    from cxr_auditor.evaluation.sources import load_case_folder, load_library
    from cxr_auditor.train.records import build_records, holdout_keys, write_records

    source = load_source(args)
    holdout: set[str] = set()
    held = None
    if args.holdout:
        held = load_case_folder(args.holdout)
    elif not args.no_holdout:
        try:
            held = load_library()
        except InputError as error:
            print(f"nothing held out: {error}")
    if held is not None:
        holdout = holdout_keys(held.cases)
        print(f"holding out {len(held.cases)} evaluation cases ({held.name})")
    records, report = build_records(
        source.cases, source.name, allow_incomplete=args.allow_incomplete, holdout=holdout
    )
    write_records(records, args.out)
    print(f"{report.n_records} records from {report.n_reads} reads -> {args.out}")
    print("labels: " + ", ".join(f"{k} {v}" for k, v in report.labels.most_common()))
    for reason, ids in sorted(report.excluded.items()):
        print(f"left out ({reason}): {len(ids)}, e.g. {', '.join(ids[:5])}")
    for problem in source.problems[:10]:
        print(f"unusable: {problem}")
    return 0


def run_curate(args: argparse.Namespace) -> int:
    from cxr_auditor.train.curate import curate_records
    from cxr_auditor.train.records import read_records, write_records
    from cxr_auditor.train.split import select

    records = read_records(args.inp)
    curated, curation = curate_records(records, args.merge_iou, args.cross_iou)
    train, val, selection = select(curated, args.normal_ratio, args.val_fraction, args.seed)
    out = args.out_dir
    write_records(train, out / "train.jsonl")
    write_records(val, out / "val.jsonl")
    report = {
        "input": str(args.inp),
        "settings": {
            k: getattr(args, k)
            for k in ("merge_iou", "cross_iou", "normal_ratio", "val_fraction", "seed")
        },
        "curation": {
            "n_records": curation.n_records,
            "n_changed": curation.n_changed,
            "events": dict(curation.events),
            "log": curation.log,
        },
        "selection": vars(selection),
    }
    (out / "curation.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"curated {curation.n_records} records ({curation.n_changed} changed: "
        f"{dict(curation.events) or 'no change'})"
    )
    print(f"before {selection.before}\nafter  {selection.after}")
    print(f"train {selection.train}\nval    {selection.val}")
    print(f"wrote {out / 'train.jsonl'}, {out / 'val.jsonl'}, {out / 'curation.json'}")
    return 0


def run_sft_stage(args: argparse.Namespace) -> int:
    from cxr_auditor.train.records import read_records
    from cxr_auditor.train.settings import recipe
    from cxr_auditor.train.sft import run_sft

    changes = {
        name: value
        for name, value in (
            ("num_train_epochs", args.epochs),
            ("max_steps", args.max_steps),
            ("learning_rate", args.lr),
            ("seed", args.seed),
        )
        if value is not None
    }
    settings = recipe(args.recipe, args.base).with_changes(**changes)
    train = read_records(args.train)
    val = read_records(args.val) if args.val else []
    result = run_sft(settings, train, val, args.out, args.image_root)
    print(f"adapter -> {result.adapter_dir}; metrics {result.metrics}")
    return 0


def _print_check(check: MergeCheck) -> None:
    summary = check.summary()
    print(
        f"merge check: {'PASS' if summary['ok'] else 'FAIL'}: "
        f"{summary['n_lora_weights']} LoRA weights = base + B@A*scaling "
        f"(max error {summary['max_lora_error']:.3g}, {summary['n_lora_changed']} changed), "
        f"{summary['n_untouched']} others bit-identical; logits change "
        f"{summary['logits_change']:.3g}, distance to base+adapter "
        f"{summary['logits_agreement']:.3g}"
    )
    for problem in summary["problems"][:10]:
        print(f"  {problem}")


def run_merge(args: argparse.Namespace) -> int:
    from cxr_auditor.train.merge import merge_and_check

    check = merge_and_check(args.base, args.adapter, args.out)
    _print_check(check)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from cxr_auditor.train.verify import verify_merge

    check = verify_merge(args.base, args.adapter, args.merged)
    _print_check(check)
    if not check.ok:
        raise InputError(f"merge check failed: {check.problems[0]}")
    return 0
