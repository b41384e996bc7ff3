"""Settings of one served model, read once from its ``config.pbtxt`` ``parameters``.

One table maps each parameter name to its type, default and the roles it applies to; a missing
required value, an unknown name, a value of the wrong type or an unfilled ``${placeholder}``
refuses the load with a message that names the parameter, the value and what was allowed. Values
are strings in ``config.pbtxt``; this module turns them into Python values. It does not load a
model.

``model`` is where the weights are: an absolute folder, or a pinned Hub id ``org/name@<40-hex
revision>`` for machines that can reach the Hub (never used in tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cxr_auditor.core.errors import InputError

ROLES = ("grounder", "draft_parser")
RUNTIMES = ("transformers", "tensorrt_llm", "replay")
DTYPES = ("bfloat16", "float16", "float32")
DEVICES = ("auto", "cpu", "cuda")
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+@[0-9a-f]{40}$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


class SettingsError(InputError):
    """A config.pbtxt parameter that is missing, unknown or invalid: the model refuses to load."""


def _choice(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"allowed: {', '.join(allowed)}")
        return value

    return parse


def _int(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"allowed: an integer from {low} to {high}")
        return number

    return parse


def _float(low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = float(value)
        if not low <= number <= high:
            raise ValueError(f"allowed: a number from {low} to {high}")
        return number

    return parse


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError("allowed: true, false")
    return lowered == "true"


def _text(value: str) -> str:
    return value.strip()


def _model(value: str) -> str:
    value = value.strip()
    if HUB_ID.match(value):
        return value
    path = Path(value)
    if not path.is_absolute():
        raise ValueError(
            "allowed: an absolute folder path or a pinned Hub id org/name@<40-hex revision>"
        )
    if not path.exists():
        raise ValueError("the model folder does not exist")
    return value


@dataclass(frozen=True)
class Param:
    parse: Callable[[str], object]
    default: str | None  # None: required
    roles: tuple[str, ...] = ROLES
    help: str = ""


MiB = 1024 * 1024
TABLE: dict[str, Param] = {
    "runtime": Param(_choice(RUNTIMES), None, help="which runtime generates the text"),
    "model": Param(_model, None, help="weights folder, pinned Hub id, or replay file"),
    "model_name": Param(_text, "", help="name reported in the reader identity"),
    "model_version": Param(_text, "", help="version reported in the reader identity"),
    "max_new_tokens": Param(_int(1, 8192), "512", help="default generation budget"),
    "max_new_tokens_limit": Param(_int(1, 32768), "2048", help="largest budget a request may ask"),
    "temperature": Param(_float(0.0, 2.0), "0.0", help="0 = greedy"),
    "retry_unparseable": Param(_bool, "true", help="retry once with the corrective prompt"),
    "trust_remote_code": Param(_bool, "false", help="run the checkpoint's own model code"),
    "dtype": Param(_choice(DTYPES), "bfloat16"),
    "device": Param(_choice(DEVICES), "auto"),
    "torch_threads": Param(_int(1, 256), "1", help="CPU threads per model instance"),
    "max_image_bytes": Param(_int(1, 1024 * MiB), str(32 * MiB), ("grounder",)),
    "max_draft_chars": Param(_int(1, 1_000_000), "20000", ("draft_parser",)),
    "enable_thinking": Param(
        _bool, "false", ("draft_parser",), help="default reasoning switch of the chat template"
    ),
    "free_gpu_memory_fraction": Param(
        _float(0.05, 0.95), "0.35", help="tensorrt_llm: KV-cache share of free GPU memory"
    ),
    "max_seq_len": Param(_int(256, 262144), "4096", help="tensorrt_llm: longest sequence"),
    "max_batch_size": Param(
        _int(1, 1024), "48", help="tensorrt_llm: requests in flight per step (40 audits fit)"
    ),
    "max_num_tokens": Param(
        _int(256, 1_048_576), "16384", help="tensorrt_llm: tokens per engine step (prefill budget)"
    ),
}


@dataclass(frozen=True)
class ModelSettings:
    role: str
    values: Mapping[str, object]

    def __getitem__(self, name: str) -> object:
        return self.values[name]

    def integer(self, name: str) -> int:
        """An integer parameter (``TABLE`` parses it); TypeError when ``name`` holds another
        type."""
        value = self.values[name]
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"parameter {name!r} is not an integer: {value!r}")
        return value

    def number(self, name: str) -> float:
        """A numeric parameter (``TABLE`` parses it); TypeError when ``name`` holds another
        type."""
        value = self.values[name]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeError(f"parameter {name!r} is not a number: {value!r}")
        return float(value)

    @property
    def runtime(self) -> str:
        return str(self.values["runtime"])

    @property
    def model(self) -> str:
        return str(self.values["model"])

    @property
    def display_name(self) -> str:
        name = str(self.values["model_name"])
        if name:
            return name
        return self.model.split("@")[0] if HUB_ID.match(self.model) else Path(self.model).name


def read_settings(
    role: str, parameters: Mapping[str, object], where: str = "config.pbtxt"
) -> ModelSettings:
    """Settings from config.pbtxt ``parameters`` (as Triton passes them: ``{key: {string_value}}``
    or plain strings); raise SettingsError on any bad, unknown, unfilled or missing parameter."""
    if role not in ROLES:
        raise SettingsError(f"{where}: role {role!r} is not one of {', '.join(ROLES)}")
    allowed = sorted(k for k, p in TABLE.items() if role in p.roles)
    raw: dict[str, str] = {}
    for key, value in parameters.items():
        if key not in allowed:
            raise SettingsError(
                f"{where}: unknown parameter {key!r} for {role}; allowed: {', '.join(allowed)}"
            )
        text = value.get("string_value") if isinstance(value, Mapping) else value
        if not isinstance(text, str):
            raise SettingsError(f"{where}: parameter {key!r} must be a string_value, got {value!r}")
        if _PLACEHOLDER.search(text):
            raise SettingsError(
                f"{where}: parameter {key!r} is still the placeholder {text!r}; "
                "fill the repository first (serving.repository.fill_repository)"
            )
        raw[key] = text
    values: dict[str, object] = {}
    for key in allowed:
        param = TABLE[key]
        text = raw.get(key, param.default)
        if text is None:
            raise SettingsError(f"{where}: parameter {key!r} is required for {role} ({param.help})")
        try:
            values[key] = param.parse(text)
        except ValueError as error:
            raise SettingsError(
                f"{where}: parameter {key!r} = {text!r} is invalid ({error})"
            ) from None
    return ModelSettings(role, values)
