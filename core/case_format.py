"""The case library: one folder per case, holding ``case.json`` and a web-sized image.

``case.json`` is validated on load: known keys only, the reference read in the grounder's schema
(``{"label", "box_2d"}`` with normalized boxes, checked by ``core.reference``), the image file
present beside it. A library that holds a broken case still loads the others and reports the broken
one with its reason. The default library ships inside the package (``core/cases/library``);
``CXR_CASE_LIBRARY`` points the app at another folder. Building cases is ``case_import``'s job.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cxr_auditor.core.case_sources import SourceInfo
from cxr_auditor.core.errors import AuditorError, InputError
from cxr_auditor.core.reference import dump_reference, load_reference
from cxr_auditor.core.schemas import Finding

CASE_FILE = "case.json"
CASE_SCHEMA_VERSION = 1
LIBRARY_ENV = "CXR_CASE_LIBRARY"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


class CaseError(InputError):
    """A case folder that cannot be used, with the file and the reason."""


class ReferenceBox(BaseModel):
    """One entry of a case's reference read, in the grounder's schema."""

    model_config = ConfigDict(extra="forbid")

    label: str
    box_2d: list[float] | None = None


class Original(BaseModel):
    """The source image a case was made from (for provenance; never shipped itself)."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    file: str
    width: int | None = None
    height: int | None = None
    sha256: str = ""


class History(BaseModel):
    """What a requesting clinician would tell the reader; every field optional (data may lack it).

    Never identifying: an age in whole years (90 and over stored as 90), a sex, the view, a short
    clinical indication.
    """

    model_config = ConfigDict(extra="forbid")

    age: int | None = Field(default=None, ge=0, le=90)
    sex: Literal["female", "male"] | None = None
    view: str | None = Field(default=None, max_length=40)
    indication: str | None = Field(default=None, max_length=300)

    def line(self) -> str:
        """``"58-year-old woman, PA view. Indication: cough."``; empty when nothing is known."""
        who = ""
        if self.age is not None or self.sex is not None:
            noun = {"female": "woman", "male": "man", None: "patient"}[self.sex]
            who = f"{self.age}-year-old {noun}" if self.age is not None else noun.capitalize()
        parts = [part for part in (who, f"{self.view} view" if self.view else "") if part]
        text = ", ".join(parts)
        text = text[:1].upper() + text[1:] + "." if text else ""
        if self.indication:
            text = f"{text} Indication: {self.indication}".strip()
        return text


class Case(BaseModel):
    """One teaching case: the image, its reference read, where it comes from and what it teaches."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = CASE_SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    image: str
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    original: Original
    reference: list[ReferenceBox]
    reference_complete: bool
    other_labels: list[str] = Field(default_factory=list)
    source: SourceInfo
    teaching_points: list[str] = Field(default_factory=list)
    history: History | None = None

    def findings(self) -> list[Finding]:
        """The reference read as core Findings (validated strictly)."""
        return load_reference(
            json.dumps([r.model_dump() for r in self.reference]), where=f"case {self.id} reference"
        )

    def labels(self) -> list[str]:
        return sorted({r.label for r in self.reference})


@dataclass
class LoadedCase:
    """A validated case and where its image is: a folder (the bundled library) or bytes in memory
    (a case an instructor wrote, stored in the database)."""

    case: Case
    folder: Path | None
    image_data: bytes | None = None

    @property
    def image_path(self) -> Path | None:
        return self.folder / self.case.image if self.folder is not None else None

    def image_bytes(self) -> bytes:
        if self.image_data is not None:
            return self.image_data
        assert self.folder is not None, "a LoadedCase has a folder or image bytes"
        return (self.folder / self.case.image).read_bytes()


@dataclass
class Library:
    """Every usable case (sorted by id) and the folders that could not be used, with why."""

    root: Path
    cases: list[LoadedCase] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def get(self, case_id: str) -> LoadedCase:
        for loaded in self.cases:
            if loaded.case.id == case_id:
                return loaded
        raise CaseError(
            f"no case {case_id!r} in {self.root}; "
            f"{len(self.cases)} cases available (cxr-auditor cases list)"
        )


def packaged_library() -> Path:
    return Path(str(resources.files("cxr_auditor.core") / "cases" / "library"))


def library_root(env: dict[str, str] | os._Environ[str] | None = None) -> Path:
    """``$CXR_CASE_LIBRARY`` when set, else the library shipped in the package."""
    value = (env if env is not None else os.environ).get(LIBRARY_ENV, "").strip()
    return Path(value) if value else packaged_library()


def case_json(case: Case) -> str:
    """``case.json`` text for a case (stable key order, boxes as written)."""
    data = case.model_dump(mode="json")
    if data["history"] is None:  # optional: a case without history keeps the original layout
        del data["history"]
    else:
        data["history"] = {
            key: value for key, value in data["history"].items() if value is not None
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_case(folder: Path) -> LoadedCase:
    """Load and validate ``folder/case.json``; CaseError naming the file and the problem."""
    path = folder / CASE_FILE
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseError(f"{where}: missing (every case folder needs a {CASE_FILE})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CaseError(f"{where}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise CaseError(f"{where}:{error.lineno}: not valid JSON ({error.msg})") from None
    try:
        case = Case.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise CaseError(
            f"{where}: {location}: {first['msg']} ({error.error_count()} problem(s))"
        ) from None
    if case.schema_version != CASE_SCHEMA_VERSION:
        raise CaseError(
            f"{where}: schema_version {case.schema_version} is not supported; "
            f"expected {CASE_SCHEMA_VERSION}"
        )
    try:
        case.findings()
    except AuditorError as error:
        raise CaseError(f"{where}: {error}") from None
    if Path(case.image).name != case.image or not case.image.lower().endswith(IMAGE_SUFFIXES):
        raise CaseError(
            f"{where}: image {case.image!r} must be a file name in the case folder "
            f"ending in {', '.join(IMAGE_SUFFIXES)}"
        )
    if not (folder / case.image).is_file():
        raise CaseError(f"{where}: image file {case.image} is missing beside it")
    return LoadedCase(case, folder)


def load_library(root: Path | None = None) -> Library:
    """Every case folder under ``root`` (default ``library_root()``); broken ones go to problems."""
    root = root if root is not None else library_root()
    library = Library(root=root)
    if not root.is_dir():
        library.problems.append(f"{root}: the case library folder does not exist")
        return library
    seen: dict[str, Path] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            loaded = load_case(folder)
        except CaseError as error:
            library.problems.append(str(error))
            continue
        if loaded.case.id in seen:
            library.problems.append(
                f"{folder}: case id {loaded.case.id!r} is already used by {seen[loaded.case.id]}"
            )
            continue
        seen[loaded.case.id] = folder
        library.cases.append(loaded)
    library.cases.sort(key=lambda loaded: loaded.case.id)
    return library


def reference_boxes(findings: list[Finding]) -> list[ReferenceBox]:
    """Findings in the grounder's schema, as stored in ``case.json``."""
    return [ReferenceBox.model_validate(item) for item in json.loads(dump_reference(findings))]


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


def load_reference_case(folder: Path) -> ReferenceCase:
    """The evaluation view of ``folder/case.json``: ``id`` and ``reference`` required, the rest
    optional.

    Lighter than ``load_case`` (title, source and teaching points are not needed), so a minimal
    ``{"id": ..., "reference": [...]}`` is a valid evaluation case.
    """
    path = folder / CASE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: expected a JSON object with 'id' and 'reference', got {type(data).__name__}"
        )
    case_id = data.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise InputError(f"{path}: 'id' must be a non-empty string, got {case_id!r}")
    if "reference" not in data:
        raise InputError(
            f'{path}: \'reference\' is missing; expected a list of {{"label", "box_2d"}}'
        )
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
    return ReferenceCase(
        case_id.strip(), findings, complete, image_path, tuple(others), original_file
    )
