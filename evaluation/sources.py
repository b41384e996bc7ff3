"""Where evaluation cases come from: reference reads (expert boxes), each with its image if any.

Sources, one function each, all returning a ``CaseSource``:

- ``load_case_folder(DIR)``: a folder of case folders, each with a ``case.json`` in the app's case
  library format (``ui/cases/library/<case_id>/case.json``). Only what an evaluation needs is
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

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from core.datasets import NormalizedImage, read_chestx_det, read_nih
from core.errors import AuditorError, InputError
from core.reference import load_reference
from core.schemas import Finding

CASE_FILE = "case.json"
LIBRARY_ENV = "CXR_CASE_LIBRARY"


@dataclass(frozen=True)
class ReferenceCase:
    """One reference read: the expert findings, whether they are complete, and the image file."""

    case_id: str
    findings: list[Finding]
    complete: bool = True
    image_path: Path | None = None
    other_labels: tuple[str, ...] = ()
    original_file: str | None = None  # the dataset file a library case was made from

    def image_bytes(self) -> bytes | None:
        """The image file's bytes, or None when the case has no readable image."""
        if self.image_path is None:
            return None
        try:
            return self.image_path.read_bytes()
        except OSError:
            return None


@dataclass
class CaseSource:
    """The usable cases of one source, and every entry that could not be used, with why."""

    name: str
    cases: list[ReferenceCase] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        with_image = sum(1 for case in self.cases if case.image_path is not None)
        return (f"{self.name}: {len(self.cases)} cases ({with_image} with an image), "
                f"{len(self.problems)} unusable")


# --------------------------------------------------------------------------- case folders


def _case_from_json(folder: Path) -> ReferenceCase:
    path = folder / CASE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object with 'id' and 'reference', "
                         f"got {type(data).__name__}")
    case_id = data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise InputError(f"{path}: 'id' must be a non-empty string, got {case_id!r}")
    if "reference" not in data:
        raise InputError(f'{path}: \'reference\' is missing; expected a list of '
                         '{"label", "box_2d"}')
    findings = load_reference(json.dumps(data["reference"]), where=f"{path} reference")
    complete = data.get("reference_complete", True)
    if not isinstance(complete, bool):
        raise InputError(f"{path}: 'reference_complete' must be true or false, got {complete!r}")
    image_path = None
    image = data.get("image")
    if image is not None:
        if not isinstance(image, str) or Path(image).name != image:
            raise InputError(f"{path}: 'image' must be a file name beside case.json, got {image!r}")
        image_path = folder / image if (folder / image).is_file() else None
    others = data.get("other_labels", [])
    if not isinstance(others, list) or not all(isinstance(x, str) for x in others):
        raise InputError(f"{path}: 'other_labels' must be a list of strings, got {others!r}")
    original = data.get("original")
    original_file = original.get("file") if isinstance(original, dict) else None
    if original_file is not None and not isinstance(original_file, str):
        raise InputError(f"{path}: 'original.file' must be a string, got {original_file!r}")
    return ReferenceCase(case_id.strip(), findings, complete, image_path, tuple(others),
                         original_file)


def load_case_folder(root: Path) -> CaseSource:
    """Every ``<root>/<case>/case.json`` (sorted by folder), or ``root`` itself if it is a case."""
    root = Path(root)
    source = CaseSource(name=str(root))
    if not root.is_dir():
        raise InputError(f"--cases {root}: not a folder; expected a folder of case folders, "
                         f"each holding a {CASE_FILE}")
    folders = [root] if (root / CASE_FILE).is_file() else sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    seen: dict[str, Path] = {}
    for folder in folders:
        if not (folder / CASE_FILE).is_file():
            source.problems.append(f"{folder}: no {CASE_FILE}")
            continue
        try:
            case = _case_from_json(folder)
        except AuditorError as error:
            source.problems.append(str(error))
            continue
        if case.case_id in seen:
            source.problems.append(f"{folder}: case id {case.case_id!r} is already used by "
                                   f"{seen[case.case_id]}")
            continue
        seen[case.case_id] = folder
        source.cases.append(case)
    if not source.cases and not source.problems:
        raise InputError(f"--cases {root}: no case folders found (each case is a folder with a "
                         f"{CASE_FILE})")
    return source


def library_root() -> Path:
    """The app's case library: ``$CXR_CASE_LIBRARY`` if set, else the one shipped in ``ui/``."""
    value = os.environ.get(LIBRARY_ENV, "").strip()
    if value:
        return Path(value)
    try:
        from ui.services.cases import library_root as app_library_root
    except ImportError:
        return Path(__file__).resolve().parents[1] / "ui" / "cases" / "library"
    return app_library_root()


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


def _from_dataset(name: str, images: list[NormalizedImage], rejected: list[str],
                  image_dir: Path | None) -> CaseSource:
    if image_dir is not None and not Path(image_dir).is_dir():
        raise InputError(f"--images {image_dir}: not a folder")
    source = CaseSource(name=name, problems=list(rejected))
    seen: set[str] = set()
    for image in images:
        if image.image_id in seen:
            source.problems.append(f"{name}: image {image.image_id!r} appears twice; "
                                   "kept the first")
            continue
        seen.add(image.image_id)
        source.cases.append(ReferenceCase(
            case_id=image.image_id, findings=list(image.findings),
            complete=image.reference_complete,
            image_path=_image_file(Path(image_dir) if image_dir else None, image.image_id),
            other_labels=tuple(image.other_labels)))
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
                out.problems.append(f"{source.name}: case id {case.case_id!r} already read from "
                                    "an earlier file; kept the first")
                continue
            seen.add(case.case_id)
            out.cases.append(case)
    return out
