"""Where evaluation cases come from: reference reads (expert boxes), each with its image if any.

Sources, one function each, all returning a ``CaseSource``:

- ``load_case_folder(DIR)``: a folder of case folders, each with a ``case.json`` in the app's case
  library format (``core/case_format.py``). Only what an evaluation needs is
  read: ``id``, ``reference`` (the grounder's schema: a list of ``{"label", "box_2d"}``, loaded
  strictly by ``core.reference``), and when present ``reference_complete`` (default true),
  ``image`` (a file beside ``case.json``), ``other_labels`` and ``original.file`` (the dataset
  image the case was made from, so training can hold it out). Other keys (title, source, teaching
  points) are ignored, so a minimal ``{"id": ..., "reference": [...]}`` is a valid evaluation
  case. ``DIR`` may also be one case folder itself.
- ``load_library()``: the app's bundled library (or ``$CXR_CASE_LIBRARY``), read as above.
- ``load_chestx_det(JSON, images=None)``: every ChestX-Det annotation as a reference read (3,578
  reads in the two shipped files), through ``core.datasets.read_chestx_det``.
- ``load_nih_bbox(CSV, images=None)``: NIH ``BBox_List_2017.csv`` reads (incomplete: one box per
  named finding), through ``core.datasets.read_nih``.

Nothing is dropped silently: a case folder or annotation that cannot be used goes to ``problems``
with its reason, and an evaluation reports those. This module does not run readers or score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cxr_auditor.core.case_format import (
    CASE_FILE,
    ReferenceCase,
    library_root,
    load_reference_case,
)
from cxr_auditor.core.datasets import NormalizedImage, read_chestx_det, read_nih
from cxr_auditor.core.errors import AuditorError, InputError


@dataclass
class CaseSource:
    """The usable cases of one source, and every entry that could not be used, with why."""

    name: str
    cases: list[ReferenceCase] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        with_image = sum(1 for case in self.cases if case.image_path is not None)
        return (
            f"{self.name}: {len(self.cases)} cases ({with_image} with an image), "
            f"{len(self.problems)} unusable"
        )


# --------------------------------------------------------------------------- case folders


def load_case_folder(root: Path) -> CaseSource:
    """Every ``<root>/<case>/case.json`` (sorted by folder), or ``root`` itself if it is a case."""
    root = Path(root)
    source = CaseSource(name=str(root))
    if not root.is_dir():
        raise InputError(
            f"--cases {root}: not a folder; expected a folder of case folders, "
            f"each holding a {CASE_FILE}"
        )
    folders = (
        [root]
        if (root / CASE_FILE).is_file()
        else sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    )
    seen: dict[str, Path] = {}
    for folder in folders:
        if not (folder / CASE_FILE).is_file():
            source.problems.append(f"{folder}: no {CASE_FILE}")
            continue
        try:
            case = load_reference_case(folder)
        except AuditorError as error:
            source.problems.append(str(error))
            continue
        if case.case_id in seen:
            source.problems.append(
                f"{folder}: case id {case.case_id!r} is already used by {seen[case.case_id]}"
            )
            continue
        seen[case.case_id] = folder
        source.cases.append(case)
    if not source.cases and not source.problems:
        raise InputError(
            f"--cases {root}: no case folders found (each case is a folder with a {CASE_FILE})"
        )
    return source


def load_library() -> CaseSource:
    source = load_case_folder(library_root())
    source.name = f"case library {source.name}"
    return source


# --------------------------------------------------------------------------- datasets


def _image_file(images: Path | None, name: str) -> Path | None:
    if images is None:
        return None
    path = images / name
    return path if path.is_file() else None


def _from_dataset(
    name: str, images: list[NormalizedImage], rejected: list[str], image_dir: Path | None
) -> CaseSource:
    if image_dir is not None and not Path(image_dir).is_dir():
        raise InputError(f"--images {image_dir}: not a folder")
    source = CaseSource(name=name, problems=list(rejected))
    seen: set[str] = set()
    for image in images:
        if image.image_id in seen:
            source.problems.append(
                f"{name}: image {image.image_id!r} appears twice; kept the first"
            )
            continue
        seen.add(image.image_id)
        source.cases.append(
            ReferenceCase(
                case_id=image.image_id,
                findings=list(image.findings),
                complete=image.reference_complete,
                image_path=_image_file(Path(image_dir) if image_dir else None, image.image_id),
                other_labels=tuple(image.other_labels),
            )
        )
    return source


def load_chestx_det(path: Path, images: Path | None = None) -> CaseSource:
    """ChestX-Det annotations (complete within its 13 categories) as reference reads."""
    read, report = read_chestx_det(path)
    rejected = [f"{row.where}: {row.reason}" for row in report.rejected]
    return _from_dataset(f"ChestX-Det {path}", read, rejected, images)


def load_nih_bbox(path: Path, images: Path | None = None) -> CaseSource:
    """NIH BBox_List_2017 reads; incomplete (a missing box does not mean a missing finding)."""
    read, report = read_nih(path)
    rejected = [f"{row.where}: {row.reason}" for row in report.rejected]
    return _from_dataset(f"NIH BBox {path}", read, rejected, images)


def combine(sources: list[CaseSource]) -> CaseSource:
    """One source from several (e.g. ChestX-Det train and test); a repeated id is a problem."""
    if len(sources) == 1:
        return sources[0]
    out = CaseSource(name=" + ".join(s.name for s in sources))
    seen: set[str] = set()
    for source in sources:
        out.problems += source.problems
        for case in source.cases:
            if case.case_id in seen:
                out.problems.append(
                    f"{source.name}: case id {case.case_id!r} already read from "
                    "an earlier file; kept the first"
                )
                continue
            seen.add(case.case_id)
            out.cases.append(case)
    return out
