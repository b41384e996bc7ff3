"""Reading a dataset CSV with line numbers, so every rejected row can say where it was.

Only opening and splitting; what the columns mean is each normalizer's business.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from cxr_auditor.core.errors import DatasetError


def read_text(path: str | Path) -> str:
    """The file's text (UTF-8, a leading BOM removed); DatasetError when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path}: cannot read ({error})") from error


def csv_rows(path: str | Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The stripped header and an iterator of ``(line, fields)`` for the non-blank rows.

    ``line`` is the file line where the row ends (a quoted field may span lines).
    """
    lines = read_text(path).splitlines(keepends=True)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetError(f"{path}:1: empty file; expected a header row") from None
    except csv.Error as error:
        raise DatasetError(f"{path}:1: {error}") from error

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise DatasetError(f"{path}:{reader.line_num}: {error}") from error
            if any(value.strip() for value in values):
                yield reader.line_num, values

    return [name.strip() for name in header], rows()


def require_columns(
    path: str | Path, header: list[str], required: tuple[str, ...]
) -> dict[str, int]:
    """Index of each required column; DatasetError naming the missing ones and the header found."""
    missing = [name for name in required if name not in header]
    if missing:
        raise DatasetError(
            f"{path}:1: missing column(s) {', '.join(missing)}; required: {', '.join(required)}; "
            f"found: {', '.join(header)}"
        )
    return {name: header.index(name) for name in required}


def parse_float(text: str) -> float:
    """A finite float from a CSV field; ValueError otherwise."""
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text!r} is not a finite number")
    return value
