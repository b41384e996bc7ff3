"""Read and set the few ``config.pbtxt`` fields the GPU settings touch, keeping everything else.

Only the shapes ``serving/repository.py`` writes are handled: one ``parameters { key: "k" value:
{ string_value: "v" } }`` per line and a top-level ``max_batch_size: N``. Not a protobuf parser.
"""

from __future__ import annotations

import re

from cxr_auditor.build_engines.errors import BuildError

_PARAM = re.compile(
    r'parameters\s*\{\s*key:\s*"(?P<key>[^"]+)"\s*,?\s*value:\s*\{\s*'
    r'string_value:\s*"(?P<value>[^"]*)"\s*\}\s*\}'
)
_BATCH = re.compile(r"^max_batch_size:\s*\d+\s*$", re.MULTILINE)
_SAFE = re.compile(r'^[^"\\\n\r]*$')


def parameters_of(text: str) -> dict[str, str]:
    """Every ``parameters`` entry, in order; BuildError if a key repeats (Triton keeps one)."""
    found: dict[str, str] = {}
    for match in _PARAM.finditer(text):
        if match["key"] in found:
            raise BuildError(f"config.pbtxt sets parameter {match['key']!r} twice")
        found[match["key"]] = match["value"]
    return found


def _line(key: str, value: str) -> str:
    if not (_SAFE.match(key) and _SAFE.match(value)):
        raise BuildError(
            f"parameter {key!r} = {value!r} may not contain quotes, backslashes or line breaks"
        )
    return f'parameters {{ key: "{key}", value: {{ string_value: "{value}" }} }}'


def set_parameter(text: str, key: str, value: str) -> str:
    """Replace ``key``'s value, or append a new ``parameters`` line."""
    line = _line(key, value)
    matches = [m for m in _PARAM.finditer(text) if m["key"] == key]
    if matches:
        match = matches[0]
        return text[: match.start()] + line + text[match.end() :]
    return text.rstrip("\n") + "\n" + line + "\n"


def set_max_batch_size(text: str, size: int) -> str:
    if not _BATCH.search(text):
        raise BuildError("config.pbtxt has no top-level max_batch_size line to set")
    return _BATCH.sub(f"max_batch_size: {size}", text, count=1)


def add_header(text: str, lines: list[str]) -> str:
    return "".join(f"# {line}\n" for line in lines) + text
