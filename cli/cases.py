"""``cxr-auditor cases import|list|model-reads``: build library cases from a dataset, list a
library, store the model grounder's read of each case.

``import`` reads NIH ``BBox_List_2017.csv``, ChestX-Det JSON or VinDr-CXR CSV (with its size table)
through the dataset normalizers, then writes one case folder per image found in ``--images`` (one
folder or several) and numbers the titles of every case in the output folder. Each
source's license and attribution come from ``core/cases/sources.toml``; a source that may not be
redistributed is refused for the packaged library unless ``--out`` points elsewhere.

``model-reads`` (``cli/model_reads.py``) asks a Triton server's grounder to read each case image
once and stores the reads in the teaching database, for the room review and the feedback pages.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cxr_auditor.authoring.build import DEFAULT_MAX_SIDE, DEFAULT_QUALITY, import_cases
from cxr_auditor.cli import CliError, model_reads
from cxr_auditor.core.case_format import load_library, packaged_library
from cxr_auditor.core.case_sources import SOURCE_KEYS, load_sources
from cxr_auditor.core.datasets import (
    NormalizedImage,
    consensus,
    read_chestx_det,
    read_nih,
    read_vindr,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cases",
        help="build and list teaching cases",
        description="Build and list the app's teaching cases.",
    )
    actions = parser.add_subparsers(dest="action", required=True)

    build = actions.add_parser(
        "import",
        help="build cases from dataset annotations plus an image folder",
        description="Build library cases from NIH BBox CSV, ChestX-Det JSON or VinDr-CXR CSV "
        "plus a folder of the images. Images are resized for the web.",
    )
    build.add_argument(
        "--source",
        required=True,
        choices=SOURCE_KEYS,
        help="nih: BBox_List_2017.csv; chestx_det: ChestX_Det_*.json; "
        "vindr: annotations CSV (needs --sizes)",
    )
    build.add_argument(
        "--annotations",
        required=True,
        type=Path,
        nargs="+",
        help="the annotation file(s), e.g. both ChestX-Det JSON files",
    )
    build.add_argument(
        "--images",
        required=True,
        type=Path,
        nargs="+",
        help="folder(s) holding the images, searched in order",
    )
    build.add_argument("--sizes", type=Path, help="VinDr only: image size CSV image_id,dim0,dim1")
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        help="library folder to write (default: the packaged library)",
    )
    build.add_argument(
        "--max-side",
        type=int,
        default=DEFAULT_MAX_SIDE,
        help=f"long side of the web image in pixels (default {DEFAULT_MAX_SIDE})",
    )
    build.add_argument(
        "--quality",
        type=int,
        default=DEFAULT_QUALITY,
        help=f"JPEG quality 1-95 (default {DEFAULT_QUALITY})",
    )
    build.set_defaults(func=run_import)

    listing = actions.add_parser(
        "list", help="list the cases of a library", description="List the cases of a case library."
    )
    listing.add_argument(
        "--library",
        type=Path,
        default=None,
        help="library folder (default: $CXR_CASE_LIBRARY or the packaged library)",
    )
    listing.add_argument("--json", action="store_true", help="print the cases as JSON")
    listing.set_defaults(func=run_list)

    model_reads.register(actions)


def _reads(source: str, path: Path, sizes: Path | None) -> tuple[list[NormalizedImage], str]:
    """One annotation file's normalized reads and the normalizer's summary."""
    if not path.is_file():
        raise CliError(f"annotations file {path} does not exist")
    if source == "nih":
        images, report = read_nih(path)
    elif source == "chestx_det":
        images, report = read_chestx_det(path)
    else:
        if sizes is None:
            raise CliError("--source vindr needs --sizes (a CSV image_id,dim0,dim1)")
        per_reader, report = read_vindr(path, sizes)
        images = [consensus(image) for image in per_reader]
    return images, report.summary()


def run_import(args: argparse.Namespace) -> int:
    for folder in args.images:
        if not folder.is_dir():
            raise CliError(f"image folder {folder} does not exist")
    if not 64 <= args.max_side <= 4096:
        raise CliError(f"--max-side must be 64..4096 pixels, got {args.max_side}")
    if not 1 <= args.quality <= 95:
        raise CliError(f"--quality must be 1..95, got {args.quality}")
    source = load_sources()[args.source]
    out = args.out or packaged_library()
    if not source.redistributable and out.resolve() == packaged_library().resolve():
        raise CliError(
            f"{source.name} may not be redistributed ({source.license}); "
            "write its cases to a local folder with --out and point the app at it "
            "with CXR_CASE_LIBRARY"
        )
    images: list[NormalizedImage] = []
    for path in args.annotations:
        reads, summary = _reads(args.source, path, args.sizes)
        print(summary)
        images += reads
    report = import_cases(
        images, source, args.images, out, max_side=args.max_side, quality=args.quality
    )
    print("\n".join(report.lines()))
    print(f"library: {out}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    library = load_library(args.library)
    if args.json:
        rows = [
            {
                "id": c.case.id,
                "title": c.case.title,
                "source": c.case.source.key,
                "labels": c.case.labels(),
                "reference_complete": c.case.reference_complete,
                "other_labels": c.case.other_labels,
                "license": c.case.source.license,
                "folder": str(c.folder),
            }
            for c in library.cases
        ]
        print(
            json.dumps(
                {"library": str(library.root), "cases": rows, "problems": library.problems},
                indent=2,
            )
        )
    else:
        print(f"{len(library.cases)} cases in {library.root}")
        for loaded in library.cases:
            case = loaded.case
            complete = "complete" if case.reference_complete else "may be incomplete"
            others = f"; also: {', '.join(case.other_labels)}" if case.other_labels else ""
            print(f"  {case.id:<26} {', '.join(case.labels()):<45} reference {complete}{others}")
        for problem in library.problems:
            print(f"  problem: {problem}")
    if not library.cases:
        raise CliError(f"no usable cases in {library.root}")
    return 0
