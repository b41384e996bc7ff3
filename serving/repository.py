"""Fill the model repository's ``${placeholders}`` into a ready-to-serve copy.

``triton_repo/`` is committed with machine-specific values as placeholders (which runtime, where
the weights are). ``fill_repository`` copies it and substitutes them, refusing unknown keys,
missing required values, values that would break the ``config.pbtxt`` string, and placeholders
the table does not know. ``cxr-auditor serve`` calls it; on a GPU host run::

    python -m cxr_auditor.serving.repository --out /models \\
        --set grounder_runtime=tensorrt_llm --set grounder_model=/weights/medgemma \\
        --set parser_runtime=tensorrt_llm --set parser_model=/weights/nemotron --set device=cuda

It does not start a server or check that the weights load (the model's ``initialize`` does).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from cxr_auditor.core.errors import InputError

# name -> default (None: required)
PLACEHOLDERS: dict[str, str | None] = {
    "grounder_runtime": None,
    "grounder_model": None,
    "grounder_name": "",
    "parser_runtime": None,
    "parser_model": None,
    "parser_name": "",
    "device": "auto",
    "torch_threads": "1",
}
_FIELD = re.compile(r"\$\{([^}]*)\}")
_UNSAFE = re.compile(r'["\\\n\r]')


def default_repository() -> Path:
    """``triton_repo/`` of the source checkout this package runs from."""
    return Path(__file__).resolve().parents[1] / "triton_repo"


def fill_text(text: str, values: Mapping[str, str], where: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise InputError(
                f"{where}: unknown placeholder ${{{key}}}; known: {', '.join(PLACEHOLDERS)}"
            )
        return values[key]

    return _FIELD.sub(substitute, text)


def fill_repository(values: Mapping[str, str], dst: Path, src: Path | None = None) -> Path:
    """Copy ``src`` (default: the checkout's triton_repo) to ``dst`` with placeholders filled."""
    src = src or default_repository()
    if not (src.is_dir() and any(src.glob("*/config.pbtxt"))):
        raise InputError(f"model repository not found at {src} (no */config.pbtxt)")
    unknown = sorted(set(values) - set(PLACEHOLDERS))
    if unknown:
        raise InputError(
            f"unknown repository setting(s) {', '.join(unknown)}; allowed: "
            f"{', '.join(PLACEHOLDERS)}"
        )
    filled: dict[str, str] = {}
    for key, default in PLACEHOLDERS.items():
        value = values.get(key, default)
        if value is None:
            raise InputError(f"repository setting {key!r} is required")
        if _UNSAFE.search(value):
            raise InputError(
                f"repository setting {key!r} = {value!r} may not contain quotes, "
                "backslashes or line breaks"
            )
        filled[key] = value
    if dst.exists() and any(dst.iterdir()):
        raise InputError(f"{dst} is not empty; fill the repository into a new folder")
    configs = {
        path.relative_to(src): fill_text(path.read_text(), filled, str(path))
        for path in sorted(src.glob("*/config.pbtxt"))
    }
    shutil.copytree(
        src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    for relative, text in configs.items():
        (dst / relative).write_text(text)
    return dst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill triton_repo's placeholders into a copy.")
    parser.add_argument("--out", required=True, type=Path, help="new folder to write")
    parser.add_argument("--src", type=Path, help="repository to copy (default: triton_repo/)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"placeholder value; keys: {', '.join(PLACEHOLDERS)}",
    )
    args = parser.parse_args(argv)
    try:
        pairs = dict(item.split("=", 1) for item in args.set)
    except ValueError:
        print("error: --set takes KEY=VALUE", file=sys.stderr)
        return 2
    try:
        print(fill_repository(pairs, args.out, args.src))
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
