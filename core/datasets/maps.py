"""Mapping tables: how a dataset's own labels become canonical labels, loaded from CSV data files.

A table lives in ``core/datasets/maps/<dataset>.csv`` with the columns

- ``source_label``: the dataset's label (a class name, a CheXpert column, a MeSH term);
- ``canonical``: the strict-scheme mapping: a label id from ``core.labels.LABELS``, several ids
  joined with ``+`` (one source label that is two findings, e.g. hydropneumothorax), or ``drop``;
- ``canonical_broad`` (optional): the same for the broad, CheXpert-like scheme; defaults to
  ``canonical``;
- ``rationale``: why (required, never empty);
- ``qualifier`` (only in tables that allow it, i.e. IU MeSH): empty for the term's default row, or a
  condition on the term's qualifiers: ``first:<q>`` (the first qualifier is q), ``has:<q>`` (any
  qualifier is q) or ``only:<q>`` (q is the one qualifier). Conditional rows are tried in file order
  before the default row.

Every value is checked on load; a bad table raises ``DataFileError`` naming ``file:line`` and the
allowed values. Lookups ignore case and runs of whitespace. This module does not read datasets; the
normalizers beside it do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from cxr_auditor.core.errors import DataFileError, InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING

Scheme = Literal["strict", "broad"]
SCHEMES: tuple[Scheme, ...] = ("strict", "broad")
DROP = "drop"
UNLABELED = "unlabeled"
PACKAGED_TABLES = ("nih", "chestx_det", "vindr", "iu_mesh", "chexpert")

REQUIRED_COLUMNS = ("source_label", "canonical", "rationale")
OPTIONAL_COLUMNS = ("canonical_broad",)
QUALIFIER_COLUMN = "qualifier"
QUALIFIER_OPS = ("first", "has", "only")


def fold(text: str) -> str:
    """Lookup key: case-folded, inner whitespace collapsed to one space, ends stripped."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class MapRow:
    """One validated row. ``strict``/``broad`` are label ids; ``()`` means drop."""

    source_label: str
    qualifier: str
    strict: tuple[str, ...]
    broad: tuple[str, ...]
    rationale: str
    line: int

    def labels(self, scheme: Scheme) -> tuple[str, ...]:
        return self.strict if scheme == "strict" else self.broad

    def matches(self, qualifiers: Sequence[str]) -> bool:
        """Whether this row's qualifier condition holds for ``qualifiers`` (folded)."""
        if not self.qualifier:
            return True
        op, _, value = self.qualifier.partition(":")
        if op == "first":
            return bool(qualifiers) and qualifiers[0] == value
        if op == "has":
            return value in qualifiers
        return list(qualifiers) == [value]  # "only"


@dataclass
class MapTable:
    """A loaded mapping table; ``where`` is the file it came from, for messages."""

    where: str
    rows: list[MapRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_label: dict[str, list[MapRow]] = {}
        for row in self.rows:
            self._by_label.setdefault(fold(row.source_label), []).append(row)

    def row_for(self, source_label: str, qualifiers: Iterable[str] = ()) -> MapRow | None:
        """The row that applies to a label (with qualifiers), or None when the label is unmapped."""
        candidates = self._by_label.get(fold(source_label))
        if not candidates:
            return None
        folded = [fold(q) for q in qualifiers]
        conditional = [row for row in candidates if row.qualifier and row.matches(folded)]
        if conditional:
            return conditional[0]
        default = [row for row in candidates if not row.qualifier]
        return default[0] if default else None

    def lookup(
        self, source_label: str, scheme: Scheme = "strict", qualifiers: Iterable[str] = ()
    ) -> tuple[str, ...] | None:
        """Canonical ids for a source label: a tuple (empty = drop), or None when unmapped."""
        row = self.row_for(source_label, qualifiers)
        return None if row is None else row.labels(scheme)

    def source_labels(self) -> list[str]:
        return [row.source_label for row in self.rows]


def _parse_canonical(
    value: str, where: str, column: str, extra: tuple[str, ...]
) -> tuple[str, ...]:
    allowed = (*LABELS, DROP, *extra)
    text = value.strip()
    if text == DROP:
        return ()
    parts = tuple(part.strip() for part in text.split("+"))
    problem = ""
    unknown = [part for part in parts if part not in LABELS and part not in extra]
    if len(parts) > 1 and DROP in parts:
        problem = f"{column} value {text!r} joins '{DROP}' with labels"
    elif unknown:
        problem = f"{column} value {unknown[0]!r} is not allowed"
    elif len(set(parts)) != len(parts):
        problem = f"{column} value {text!r} repeats a label"
    elif len(parts) > 1 and any(part == NO_FINDING or part in extra for part in parts):
        problem = f"{column} value {text!r} joins {'/'.join((NO_FINDING, *extra))} with labels"
    if problem:
        raise DataFileError(
            f"{where}: {problem}; allowed: {', '.join(allowed)} (join label ids with '+')"
        )
    return parts


def _parse_qualifier(value: str, where: str) -> str:
    text = fold(value)
    if not text:
        return ""
    op, sep, qualifier = text.partition(":")
    if not sep or op not in QUALIFIER_OPS or not qualifier.strip():
        forms = ", ".join(f"{op}:<qualifier>" for op in QUALIFIER_OPS)
        raise DataFileError(f"{where}: qualifier {value!r} is not allowed; allowed: empty, {forms}")
    return f"{op}:{qualifier.strip()}"


def parse_map(
    text: str, where: str, *, allow_qualifier: bool = False, extra_values: tuple[str, ...] = ()
) -> MapTable:
    """Validate the CSV ``text`` of a mapping table; ``where`` names it in errors."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise DataFileError(
            f"{where}:1: empty mapping table; expected a header with {REQUIRED_COLUMNS}"
        )
    header = [name.strip() for name in header]
    allowed_columns = (
        REQUIRED_COLUMNS + OPTIONAL_COLUMNS + ((QUALIFIER_COLUMN,) if allow_qualifier else ())
    )
    for name in header:
        if name not in allowed_columns:
            raise DataFileError(
                f"{where}:1: unknown column {name!r}; allowed: {', '.join(allowed_columns)}"
            )
    for name in REQUIRED_COLUMNS:
        if name not in header:
            raise DataFileError(
                f"{where}:1: missing column {name!r}; required: {', '.join(REQUIRED_COLUMNS)}"
            )
    if len(set(header)) != len(header):
        raise DataFileError(f"{where}:1: a column is repeated in {header}")
    rows: list[MapRow] = []
    seen: dict[tuple[str, str], int] = {}
    for values in reader:
        line = reader.line_num
        at = f"{where}:{line}"
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            raise DataFileError(
                f"{at}: expected {len(header)} fields ({', '.join(header)}), got {len(values)}"
            )
        record = dict(zip(header, values, strict=True))
        source = " ".join(record["source_label"].split())
        if not source:
            raise DataFileError(f"{at}: empty source_label")
        if not record["rationale"].strip():
            raise DataFileError(f"{at}: empty rationale for {source!r}; every mapping says why")
        qualifier = _parse_qualifier(record.get(QUALIFIER_COLUMN, ""), at)
        strict = _parse_canonical(record["canonical"], at, "canonical", extra_values)
        broad_text = record.get("canonical_broad", "").strip() or record["canonical"]
        broad = _parse_canonical(broad_text, at, "canonical_broad", extra_values)
        key = (fold(source), qualifier)
        if key in seen:
            shown = f"{source!r}" + (f" with qualifier {qualifier!r}" if qualifier else "")
            raise DataFileError(
                f"{at}: duplicate source label {shown}; first defined at line {seen[key]}"
            )
        seen[key] = line
        rows.append(MapRow(source, qualifier, strict, broad, record["rationale"].strip(), line))
    return MapTable(where=where, rows=rows)


def load_map_file(
    path: str | Path, *, allow_qualifier: bool = False, extra_values: tuple[str, ...] = ()
) -> MapTable:
    """Load and validate a mapping table from a file path."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataFileError(f"{path}: cannot read mapping table ({error})") from error
    return parse_map(text, str(path), allow_qualifier=allow_qualifier, extra_values=extra_values)


@cache
def packaged_map(name: str) -> MapTable:
    """The packaged table ``core/datasets/maps/<name>.csv`` (validated once, then cached)."""
    if name not in PACKAGED_TABLES:
        raise DataFileError(
            f"no packaged mapping table {name!r}; allowed: {', '.join(PACKAGED_TABLES)}"
        )
    resource = resources.files("cxr_auditor.core.datasets") / "maps" / f"{name}.csv"
    text, where = resource.read_text(encoding="utf-8"), f"core/datasets/maps/{name}.csv"
    if name == "iu_mesh":  # MeSH terms carry qualifiers; "No Indexing" marks an uncoded report
        return parse_map(text, where, allow_qualifier=True, extra_values=(UNLABELED,))
    return parse_map(text, where)


def check_scheme(scheme: str) -> Scheme:
    """Return ``scheme`` if it is a known scheme, else raise naming the allowed ones."""
    if scheme not in SCHEMES:
        raise InputError(f"scheme {scheme!r} is not allowed; allowed: {', '.join(SCHEMES)}")
    return scheme
