"""``cxr-auditor cases import|list|export-bundle|import-bundle|model-reads``: build library cases
from a dataset, list a library, share a case as a bundle, store the model grounder's read of each
case.

``import`` reads NIH ``BBox_List_2017.csv``, ChestX-Det JSON or VinDr-CXR CSV (with its size table)
through the dataset normalizers, then writes one case folder per image found in ``--images`` (one
folder or several) and numbers the titles of every case in the output folder. Each
source's license and attribution come from ``core/cases/sources.toml``; a source that may not be
redistributed is refused for the packaged library unless ``--out`` points elsewhere.

``model-reads`` (``cli/model_reads.py``) asks a Triton server's grounder to read each case image
once and stores the reads in the teaching database, for the room review and the feedback pages.
``export-bundle`` writes one case (an instructor's, from the teaching database, or a library case)
as a zip of ``case.json`` and its image; ``import-bundle`` checks a bundle completely
(``authoring.bundles``) and stores it in the teaching database as an instructor's case, refusing an
id already there unless ``--new-id``. The database is ``--database-url``, else the app's
(``CXR_DATABASE_URL`` or the SQLite file in the data folder, see ``db.config``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sqlalchemy.engine import Engine

from cxr_auditor.authoring.build import DEFAULT_MAX_SIDE, DEFAULT_QUALITY, import_cases
from cxr_auditor.authoring.bundles import MAX_BUNDLE_BYTES, export_bundle, read_bundle
from cxr_auditor.cli import CliError, model_reads
from cxr_auditor.core.authored import is_local_id, missing_for_use
from cxr_auditor.core.case_format import LoadedCase, load_library, packaged_library
from cxr_auditor.core.case_sources import SOURCE_KEYS, load_sources
from cxr_auditor.core.datasets import (
    NormalizedImage,
    consensus,
    read_chestx_det,
    read_nih,
    read_vindr,
)
from cxr_auditor.db import case_store, open_database
from cxr_auditor.db.config import database_url, display_url, normalize_url


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

    database_help = "teaching database URL (default: CXR_DATABASE_URL or the app's SQLite file)"
    export = actions.add_parser(
        "export-bundle",
        help="write a case as a bundle (zip of case.json and its image)",
        description="Write one case, an instructor's (from the teaching database) or a library "
        "case, as a zip holding case.json and its image.",
    )
    export.add_argument("case_id", help="the case's id (cases list, or the case editor)")
    export.add_argument("out", type=Path, help="the zip file to write")
    export.add_argument("--database-url", help=database_help)
    export.set_defaults(func=run_export_bundle)

    bring = actions.add_parser(
        "import-bundle",
        help="store a bundle's case in the teaching database",
        description="Check a bundle completely and store its case in the teaching database as "
        "an instructor's case. Nothing is stored from a bundle that fails a check.",
    )
    bring.add_argument("bundle", type=Path, help="the zip file to read")
    bring.add_argument("--database-url", help=database_help)
    bring.add_argument(
        "--new-id",
        action="store_true",
        help="store the case under a new id when its id is already in the database "
        "(default: refuse)",
    )
    bring.add_argument("--author", default=None, help="who imported it (shown in the editor)")
    bring.set_defaults(func=run_import_bundle)


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


def _database(raw: str | None) -> Engine:
    url = normalize_url(raw) if raw else database_url()
    print(f"teaching database: {display_url(url)}")
    return open_database(url)


def _find_case(case_id: str, raw_url: str | None) -> LoadedCase:
    if is_local_id(case_id):
        return case_store.load_case(_database(raw_url), case_id)
    return load_library().get(case_id)


def run_export_bundle(args: argparse.Namespace) -> int:
    loaded = _find_case(args.case_id, args.database_url)
    data = export_bundle(loaded.case, loaded.image_bytes())
    partial = args.out.with_name(args.out.name + ".partial")
    partial.write_bytes(data)  # then renamed: a failed write leaves no half-written bundle
    partial.replace(args.out)
    print(f"{loaded.case.id}: bundle written to {args.out} ({len(data) / 1024:.0f} kB)")
    return 0


def run_import_bundle(args: argparse.Namespace) -> int:
    if not args.bundle.is_file():
        raise CliError(f"bundle {args.bundle} does not exist")
    size = args.bundle.stat().st_size
    if size > MAX_BUNDLE_BYTES:
        raise CliError(
            f"{args.bundle}: {size / 2**20:.1f} MB is over the "
            f"{MAX_BUNDLE_BYTES / 2**20:.0f} MB limit for a bundle"
        )
    bundle = read_bundle(args.bundle.read_bytes(), args.bundle.name)
    engine = _database(args.database_url)
    if not args.new_id and case_store.case_exists(engine, bundle.case.id):
        raise CliError(
            f"case id {bundle.case.id!r} is already in the database; nothing was imported "
            "(--new-id stores it under a new id)"
        )
    stored = case_store.save_imported(
        engine,
        bundle.case,
        bundle.image,
        on_duplicate="new-id" if args.new_id else "refuse",
        author=args.author,
    )
    renamed = f" (its id was {bundle.case.id})" if stored.case.id != bundle.case.id else ""
    print(f"imported {stored.case.id}{renamed}: {stored.case.title}")
    missing = missing_for_use(stored.case)
    if missing:
        print(f"not usable in sessions until it has: {', '.join(missing)} (case editor)")
    return 0
