"""Synthetic drafts: from a reference read, a faithful draft and drafts with one corruption each.

Kinds: ``faithful``; ``omission`` (a present finding is not mentioned); ``false_finding`` (a
finding the image does not show is asserted); ``false_negation`` (a present finding is denied);
``side_swap`` (a one-sided finding is asserted on the other side); ``hedge`` (a present finding is
hedged).
Sentences come from ``core/text/synthetic_templates.toml`` (several per label and form: present,
negated, hedged; normal-study sentences), validated on load. Every choice - the corrupted label, the
templates, the severity words, optional denials of absent labels, sentence order - is drawn from a
``random.Random`` seeded per (seed, kind), so the same seed gives the same cases.

The expected decisions are written down per kind from the corruption applied (the comparator
rules in the README are the spec); nothing here calls or mirrors a comparator. Each case also lists
its sentences with exact spans into the draft (``draft[span[0]:span[1]] == text``) so the parser
can be scored too. Side words follow the radiological convention through ``core.boxes.sides_of``
and are used only for a finding whose boxes lie on one side (never for cardiomegaly; a bilateral
finding is written without a side, so "bilateral" never has to be judged). This module does not
parse drafts, compare reads or score anything.
"""

from __future__ import annotations

import random
import string
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from cxr_auditor.core.boxes import sides_of
from cxr_auditor.core.errors import DataFileError, InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING, POSITIVE_LABELS, URGENCY, Label
from cxr_auditor.core.schemas import Finding, FlagKind, MentionStatus, MissingReason

CaseKind = Literal["faithful", "omission", "false_finding", "false_negation", "side_swap", "hedge"]
CASE_KINDS: tuple[CaseKind, ...] = get_args(CaseKind)
ExpectedKind = FlagKind | Literal["HEDGE_SUPPORTED", "HEDGE_NOT_SUPPORTED"]
EXPECTED_KINDS: tuple[str, ...] = (
    "MISSING",
    "UNSUPPORTED",
    "URGENT",
    "LATERALITY",
    "HEDGE_SUPPORTED",
    "HEDGE_NOT_SUPPORTED",
)
Form = Literal["present", "negated", "hedged"]
FORMS: tuple[Form, ...] = get_args(Form)
PatientSide = Literal["left", "right"]

TEMPLATE_FILE = "synthetic_templates.toml"
SECTIONS = ("normal", "severity", *FORMS)
PLACEHOLDERS = ("side", "Side", "severity", "Severity")
SIDE_SLOTS = frozenset({"side", "Side"})
UNSIDED_LABELS: frozenset[str] = frozenset({"cardiomegaly"})
MIN_TEMPLATES = {"normal": 4, "present": 4, "negated": 3, "hedged": 3}
OPPOSITE: dict[str, PatientSide] = {"left": "right", "right": "left"}
MAX_DENIALS = 2  # neutral denials of absent labels added to vary a draft
_STATUS_OF_FORM: dict[str, MentionStatus] = {
    "present": "present",
    "negated": "absent",
    "hedged": "uncertain",
}


# --------------------------------------------------------------------------- templates (data file)


@dataclass(frozen=True)
class Templates:
    """Validated sentence templates: ``forms[form][label]`` plus normal-study sentences."""

    normal: tuple[str, ...]
    severity: tuple[str, ...]
    forms: dict[str, dict[str, tuple[str, ...]]]


def _fields(template: str) -> set[str] | None:
    """Placeholder names in a template; None when its braces are malformed or use a format spec."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    names = set()
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            return None
        names.add(name)
    return names


def is_sided(template: str) -> bool:
    """Whether a template has a side slot."""
    return bool((_fields(template) or set()) & SIDE_SLOTS)


class _Checker:
    """Validation helpers that name file, line (where it can be found) and key in every error."""

    def __init__(self, text: str, where: str) -> None:
        self.lines = text.splitlines()
        self.where = where

    def fail(self, key: str, problem: str, needle: str | None = None) -> DataFileError:
        line, start = None, 0
        section = key.split(".", 1)[0]
        if section in FORMS and "." in key:  # search inside the label's own table
            header = f"[{section}]"
            start = next((i for i, row in enumerate(self.lines) if row.strip() == header), 0)
        if needle:
            line = next(
                (i for i, row in enumerate(self.lines[start:], start + 1) if needle in row), None
            )
        at = f"{self.where}:{line}" if line else self.where
        return DataFileError(f"{at}: {key}: {problem}")

    def strings(self, value: object, key: str, minimum: int) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings", key.rsplit(".", 1)[-1] + " =")
        if len(value) < minimum:
            raise self.fail(
                key,
                f"has {len(value)} entries; at least {minimum} required",
                key.rsplit(".", 1)[-1] + " =",
            )
        return tuple(value)

    def sentence(self, template: str, key: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        shown = ", ".join("{" + name + "}" for name in allowed) or "none"
        if not template.strip():
            raise self.fail(key, "empty template; write one sentence", '""')
        names = _fields(template)
        if names is None:
            raise self.fail(
                key, f"malformed braces in {template!r}; placeholders allowed: {shown}", template
            )
        if names - set(allowed):
            bad = ", ".join("{" + name + "}" for name in sorted(names - set(allowed)))
            raise self.fail(key, f"placeholder {bad} not allowed here; allowed: {shown}", template)
        starts_ok = template[0].isupper() or template.startswith(("{Side}", "{Severity}"))
        if template != template.strip() or not starts_ok or not template.endswith("."):
            raise self.fail(
                key,
                f"{template!r} must be one sentence: a capital (or {{Side}}/"
                "{Severity}) first, a period last, no surrounding spaces",
                template,
            )


def parse_templates(text: str, where: str) -> Templates:
    """Validate the text of a template file; ``where`` names it in errors."""
    check = _Checker(text, where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(f"{where}: not valid TOML ({error})") from error
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise check.fail(unknown[0], f"unknown section; allowed: {', '.join(SECTIONS)}", unknown[0])
    missing = [name for name in SECTIONS if name not in data]
    if missing:
        raise check.fail(missing[0], f"section missing; required: {', '.join(SECTIONS)}")

    normal = check.strings(data["normal"], "normal", MIN_TEMPLATES["normal"])
    for i, template in enumerate(normal):
        check.sentence(template, f"normal[{i}]", ())
    severity = check.strings(data["severity"], "severity", 1)
    for i, word in enumerate(severity):
        if not word.isalpha() or not word.islower():
            raise check.fail(f"severity[{i}]", f"{word!r} must be one lowercase word", word)

    forms: dict[str, dict[str, tuple[str, ...]]] = {}
    for form in FORMS:
        table = data[form]
        if not isinstance(table, dict):
            raise check.fail(form, "expected a table keyed by label", f"[{form}]")
        for key in table:
            if key not in POSITIVE_LABELS:
                kind = (
                    "has no templates (a normal study uses `normal`)"
                    if key == NO_FINDING
                    else "is not a canonical label"
                )
                raise check.fail(
                    f"{form}.{key}", f"{kind}; allowed: {', '.join(POSITIVE_LABELS)}", key
                )
        absent = [label for label in POSITIVE_LABELS if label not in table]
        if absent:
            raise check.fail(form, f"labels missing: {', '.join(absent)}", f"[{form}]")
        forms[form] = {}
        for label in POSITIVE_LABELS:
            key = f"{form}.{label}"
            templates = check.strings(table[label], key, MIN_TEMPLATES[form])
            sided_ok = form != "negated" and label not in UNSIDED_LABELS
            allowed = PLACEHOLDERS if sided_ok else ("severity", "Severity")
            for i, template in enumerate(templates):
                check.sentence(template, f"{key}[{i}]", allowed)
            if form != "negated" and all(is_sided(t) for t in templates):
                raise check.fail(
                    key,
                    "needs a template without {side} (for a finding with no side)",
                    label + " =",
                )
            if form == "present" and sided_ok and not any(is_sided(t) for t in templates):
                raise check.fail(
                    key, "needs a template with {side} (for side-swap drafts)", label + " ="
                )
            forms[form][label] = templates
    return Templates(normal=normal, severity=severity, forms=forms)


def load_templates(path: Path | None = None) -> Templates:
    """Load and validate templates: the packaged file, or ``path`` (for tests and experiments)."""
    if path is None:
        resource = resources.files("cxr_auditor.core") / "text" / TEMPLATE_FILE
        return parse_templates(resource.read_text(encoding="utf-8"), f"core/text/{TEMPLATE_FILE}")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(f"{path}: cannot read template file ({error.strerror})") from error
    return parse_templates(text, str(path))


@lru_cache(maxsize=1)
def default_templates() -> Templates:
    return load_templates()


# --------------------------------------------------------------------------- cases


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftStatement(_Model):
    """One sentence of a synthetic draft: what it says about which label, and where it is.

    A normal-study sentence is ``label="no_finding", status="present"``.
    """

    label: Label
    status: MentionStatus
    side: PatientSide | None = None
    span: tuple[int, int]
    text: str


class ExpectedDecision(_Model):
    """A flag or note the comparator must produce for the case (identity: kind, label, reason)."""

    kind: ExpectedKind
    label: Label
    reason: MissingReason | None = None
    in_draft: bool | None = None


class SyntheticCase(_Model):
    case_id: str
    kind: CaseKind
    corrupted_label: Label | None = None
    seed: int
    draft: str
    statements: list[DraftStatement]
    expected: list[ExpectedDecision]


def image_sides(findings: Sequence[Finding]) -> dict[Label, PatientSide | None]:
    """Image-present labels (canonical order) with the side a draft may state for each.

    The side is the one side of all the label's boxes; None for cardiomegaly, for a finding without
    boxes, at the midline or on both sides.
    """
    for i, finding in enumerate(findings):
        if not isinstance(finding, Finding):
            got = type(finding).__name__
            raise InputError(f"reference read item {i}: expected a Finding, got {got}")
    sides: dict[Label, PatientSide | None] = {}
    for label in POSITIVE_LABELS:
        of_label = [f for f in findings if f.label == label]
        if not of_label:
            continue
        side = sides_of(f.box for f in of_label if f.box is not None)
        one_side = side if side == "left" or side == "right" else None  # bilateral: no side
        sides[label] = one_side if label not in UNSIDED_LABELS else None
    return sides


class _Writer:
    """Collects the sentences of one draft, drawing every choice from one seeded RNG."""

    def __init__(self, rng: random.Random, templates: Templates) -> None:
        self.rng, self.templates = rng, templates
        self.items: list[tuple[Label, MentionStatus, PatientSide | None, str]] = []
        self.opening: list[tuple[Label, MentionStatus, PatientSide | None, str]] = []

    def say(
        self, label: Label, form: Form, side: PatientSide | None = None, need_side: bool = False
    ) -> None:
        options = self.templates.forms[form][label]
        if need_side:
            pool = [t for t in options if is_sided(t)]
        elif side is None:
            pool = [t for t in options if not is_sided(t)]
        else:
            pool = list(options)
        template = self.rng.choice(pool)
        word = self.rng.choice(self.templates.severity)
        text = template.format(
            side=side or "",
            Side=(side or "").capitalize(),
            severity=word,
            Severity=word.capitalize(),
        )
        status = _STATUS_OF_FORM[form]
        self.items.append((label, status, side if is_sided(template) else None, text))

    def normal(self) -> None:
        self.opening.append((NO_FINDING, "present", None, self.rng.choice(self.templates.normal)))

    def deny_some(self, pool: Iterable[Label]) -> None:
        pool = sorted(pool, key=LABELS.index)
        count = self.rng.randint(0, min(MAX_DENIALS, len(pool)))
        for label in self.rng.sample(pool, count):
            self.say(label, "negated")

    def render(self) -> tuple[str, list[DraftStatement]]:
        self.rng.shuffle(self.items)
        parts: list[str] = []
        statements: list[DraftStatement] = []
        cursor = 0
        for label, status, side, text in self.opening + self.items:
            if parts:
                cursor += 1
            parts.append(text)
            statements.append(
                DraftStatement(
                    label=label,
                    status=status,
                    side=side,
                    span=(cursor, cursor + len(text)),
                    text=text,
                )
            )
            cursor += len(text)
        return " ".join(parts), statements


def _urgent(image: Iterable[Label], not_in_draft: Label | None = None) -> list[ExpectedDecision]:
    """URGENT for every tiered image label; in the draft unless it is the omitted/denied one."""
    return [
        ExpectedDecision(kind="URGENT", label=label, in_draft=label != not_in_draft)
        for label in image
        if label in URGENCY
    ]


def _sort(expected: list[ExpectedDecision]) -> list[ExpectedDecision]:
    return sorted(expected, key=lambda d: (EXPECTED_KINDS.index(d.kind), LABELS.index(d.label)))


_Plan = tuple[Label | None, list[ExpectedDecision]]


def _write(kind: CaseKind, sides: dict[Label, PatientSide | None], w: _Writer) -> _Plan | str:
    """Write one case's sentences into ``w``; return (corrupted label, expected) or why not."""
    image = list(sides)
    absent = [label for label in POSITIVE_LABELS if label not in sides]

    def faithful_except(target: Label | None) -> None:
        for label in image:
            if label != target:
                w.say(label, "present", sides[label])

    if kind == "faithful":
        faithful_except(None)
        if not image:
            w.normal()
        w.deny_some(absent)
        return None, _urgent(image)
    if kind == "false_finding":
        if not absent:
            return "all_labels_on_image"
        target = w.rng.choice(absent)
        faithful_except(None)
        choices: list[PatientSide | None] = [None, "left", "right"]
        side = None if target in UNSIDED_LABELS else w.rng.choice(choices)
        w.say(target, "present", side)
        w.deny_some(set(absent) - {target})
        return target, [ExpectedDecision(kind="UNSUPPORTED", label=target), *_urgent(image)]
    if kind == "side_swap":
        one_sided = [(label, side) for label in image if (side := sides[label]) is not None]
        if not one_sided:
            return "no_one_sided_finding"
        target, target_side = w.rng.choice(one_sided)
        faithful_except(target)
        w.say(target, "present", OPPOSITE[target_side], need_side=True)
        w.deny_some(absent)
        return target, [ExpectedDecision(kind="LATERALITY", label=target), *_urgent(image)]
    if not image:
        return "no_image_finding"
    target = w.rng.choice(image)
    faithful_except(target)
    if kind == "omission":
        reason: MissingReason = "omitted" if len(image) > 1 else "draft_normal"
        if reason == "draft_normal":
            w.normal()
        w.deny_some(absent)
        missing = ExpectedDecision(kind="MISSING", label=target, reason=reason)
        return target, [missing, *_urgent(image, not_in_draft=target)]
    if kind == "false_negation":
        w.say(target, "negated")
        w.deny_some(absent)
        missing = ExpectedDecision(kind="MISSING", label=target, reason="denied")
        return target, [missing, *_urgent(image, not_in_draft=target)]
    assert kind == "hedge", kind
    w.say(target, "hedged", sides[target])
    w.deny_some(absent)
    return target, [ExpectedDecision(kind="HEDGE_SUPPORTED", label=target), *_urgent(image)]


def make_cases(
    findings: Sequence[Finding],
    seed: int,
    case_id_prefix: str = "",
    templates: Templates | None = None,
) -> tuple[list[SyntheticCase], Counter[str]]:
    """All case kinds possible for one reference read, and a count of the kinds skipped, by reason.

    ``case_id`` is ``case_id_prefix + kind``; skipped keys read like
    ``"side_swap:no_one_sided_finding"``.
    """
    templates = templates or default_templates()
    sides = image_sides(findings)
    cases: list[SyntheticCase] = []
    skipped: Counter[str] = Counter()
    for kind in CASE_KINDS:
        writer = _Writer(random.Random(f"{seed}:{kind}"), templates)
        plan = _write(kind, sides, writer)
        if isinstance(plan, str):
            skipped[f"{kind}:{plan}"] += 1
            continue
        target, expected = plan
        draft, statements = writer.render()
        cases.append(
            SyntheticCase(
                case_id=f"{case_id_prefix}{kind}",
                kind=kind,
                corrupted_label=target,
                seed=seed,
                draft=draft,
                statements=statements,
                expected=_sort(expected),
            )
        )
    return cases, skipped


def make_case_set(
    reads: Iterable[tuple[str, Sequence[Finding]]],
    seed: int,
    limit: int | None = None,
    templates: Templates | None = None,
) -> tuple[list[SyntheticCase], Counter[str]]:
    """Cases over many reads ``(read_id, findings)``; ids read ``"<read_id>:<kind>"``.

    Each read gets its own seed derived from (seed, read_id), so adding a read changes no other
    read's cases. With ``limit``, at most that many cases are kept, balanced over kinds (round robin
    over kinds, each kind's cases in a seeded random order).
    """
    if limit is not None and limit < 0:
        raise InputError(f"limit must be >= 0 or None, got {limit}")
    cases: list[SyntheticCase] = []
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    for read_id, findings in reads:
        if read_id in seen:
            raise InputError(f"read id {read_id!r} appears twice; read ids must be unique")
        seen.add(read_id)
        read_seed = random.Random(f"{seed}:{read_id}").getrandbits(31)
        more, why = make_cases(findings, read_seed, f"{read_id}:", templates)
        cases.extend(more)
        skipped.update(why)
    if limit is None or limit >= len(cases):
        return cases, skipped
    rng = random.Random(f"{seed}:limit")
    by_kind = {kind: [c for c in cases if c.kind == kind] for kind in CASE_KINDS}
    for group in by_kind.values():
        rng.shuffle(group)
    kept: list[SyntheticCase] = []
    while len(kept) < limit:
        for kind in CASE_KINDS:
            if by_kind[kind] and len(kept) < limit:
                kept.append(by_kind[kind].pop())
    return kept, skipped
