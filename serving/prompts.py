"""The prompts of both models, loaded from ``core/prompts/*.txt``, and the chat messages built
from them.

Words live in the text files; this module only loads and checks them and puts them in
chat-message form (the Hugging Face ``messages`` format every runtime renders with the model's own
chat template). Retry placement is decided here:

- grounder: the corrective instruction is appended after the grounding prompt, as its own
  paragraph (Gemma's template joins text items without a separator, so it is one text item);
- draft parser: the corrective instruction goes BEFORE the draft, never after it, so that it can
  never be read as part of the draft.

It does not call a model or parse any output.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from string import Template

from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS

Messages = list[dict[str, object]]

FILES = {
    "grounder": "grounder.txt",
    "grounder_retry": "grounder_retry.txt",
    "parser_system": "draft_parser_system.txt",
    "parser_user": "draft_parser_user.txt",
    "parser_retry": "draft_parser_retry.txt",
}
USER_PLACEHOLDER = "draft"


@dataclass(frozen=True)
class Prompts:
    grounder: str
    grounder_retry: str
    parser_system: str
    parser_user: Template
    parser_retry: str


def _read(name: str) -> str:
    path = importlib.resources.files("cxr_auditor.core") / "prompts" / name
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise DataFileError(f"core/prompts/{name}: prompt file is missing") from None
    if not text:
        raise DataFileError(f"core/prompts/{name}:1: prompt file is empty")
    return text


def _check_labels(name: str, text: str) -> None:
    missing = [label for label in LABELS if label not in text]
    if missing:
        raise DataFileError(
            f"core/prompts/{name}: does not name the label(s) {', '.join(missing)}; "
            f"every prompt must list all of: {', '.join(LABELS)}"
        )


@lru_cache(maxsize=1)
def load_prompts() -> Prompts:
    """Read and check every prompt file (cached); raise DataFileError naming the file."""
    texts = {key: _read(name) for key, name in FILES.items()}
    _check_labels(FILES["grounder"], texts["grounder"])
    _check_labels(FILES["parser_system"], texts["parser_system"])
    user = Template(texts["parser_user"])
    names = user.get_identifiers()
    if names != [USER_PLACEHOLDER] or not user.is_valid():
        raise DataFileError(
            f"core/prompts/{FILES['parser_user']}: must hold exactly one placeholder "
            f"${USER_PLACEHOLDER}, found {names or 'none'}"
        )
    if not texts["parser_user"].rstrip().endswith(f"${USER_PLACEHOLDER}"):
        raise DataFileError(
            f"core/prompts/{FILES['parser_user']}: ${USER_PLACEHOLDER} must come "
            "last (nothing may follow the draft)"
        )
    return Prompts(
        texts["grounder"],
        texts["grounder_retry"],
        texts["parser_system"],
        user,
        texts["parser_retry"],
    )


def grounder_messages(prompts: Prompts, retry: bool = False) -> Messages:
    """One user turn: the image, then the grounding prompt (plus the corrective paragraph)."""
    text = prompts.grounder + (f"\n\n{prompts.grounder_retry}" if retry else "")
    return [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": text}]}]


def parser_messages(prompts: Prompts, draft: str, retry: bool = False) -> Messages:
    """System prompt, then one user turn ending with the draft (a retry instruction comes first)."""
    user = prompts.parser_user.substitute({USER_PLACEHOLDER: draft})
    if retry:
        user = f"{prompts.parser_retry}\n\n{user}"
    return [{"role": "system", "content": prompts.parser_system}, {"role": "user", "content": user}]
