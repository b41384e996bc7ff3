"""Lexicon files: the package lexicon loads; one malformed file per row fails with file:line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from cxr_auditor.core.errors import DataFileError
from cxr_auditor.core.labels import LABELS
from cxr_auditor.core.lexicon import CUE_TYPES, GAP, load_lexicon, load_lexicon_from

PACKAGE_LEXICON = Path(str(resources.files("cxr_auditor.core") / "lexicon"))


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    root = tmp_path / "lexicon"
    shutil.copytree(PACKAGE_LEXICON, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_package_lexicon_loads_once_and_covers_every_label_and_cue_type() -> None:
    lexicon = load_lexicon()
    assert load_lexicon() is lexicon
    labels = {p.value for p in lexicon.of_kind("mention")}
    assert labels == set(LABELS)
    assert {p.value for p in lexicon.of_kind("cue")} == set(CUE_TYPES)
    assert {p.value for p in lexicon.of_kind("laterality")} == {"left", "right", "bilateral"}
    assert len(lexicon.of_kind("other")) >= 100
    assert (
        "vs" in lexicon.abbreviations and "is" in lexicon.gap_words and "on" in lexicon.link_words
    )


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("left-sided effusion", ("left", "sided", "effusion")),
        ("heart * enlarged fluid", ("heart", GAP, "enlarged", "fluid")),
        ("Loculated Effusions", ("loculated", "effusion")),
        ("fluid: none", ("fluid", ":", "none")),
    ],
)
def test_phrases_are_tokenized_like_drafts(
    lexicon_copy: Path, text: str, tokens: tuple[str, ...]
) -> None:
    _append(EFFUSION, text + "\n")(lexicon_copy)
    found = [p for p in load_lexicon_from(lexicon_copy).phrases if p.text == text]
    assert [p.tokens for p in found] == [tokens]
    assert found[0].source == f"{EFFUSION}:{_line_count(EFFUSION) + 1}"


def test_severity_variants_fold_to_canonical_words() -> None:
    severity = {p.text: p.value for p in load_lexicon().of_kind("severity")}
    assert severity["mildly"] == "mild" and severity["small"] == "small"
    assert severity["small to moderate"] == "small to moderate"


def _append(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(text)

    return edit


def _write(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    return edit


def _remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


def _line_count(rel: str) -> int:
    return len((PACKAGE_LEXICON / rel).read_text(encoding="utf-8").splitlines())


EFFUSION = "mention/pleural_effusion.txt"
NEG = "cues/negation_pre.txt"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            _write("mention/pleural_efusion.txt", "effusion\n"),
            "mention/pleural_efusion.txt: unexpected file; allowed: pleural_effusion.txt",
        ),
        (_write("mention/other.txt", "granuloma\n"), "mention/other.txt: unexpected file"),
        (_remove("mention/pneumothorax.txt"), "mention/: missing pneumothorax.txt"),
        (
            _write("laterality/center.txt", "midline\n"),
            "laterality/center.txt: unexpected file; allowed: left.txt",
        ),
        (_write("denial/no_finding.txt", "normal\n"), "denial/no_finding.txt: unexpected file"),
        (_write("cues/hedges.txt", '# e.g. "maybe"\nmaybe\n'), "cues/hedges.txt: unexpected file"),
        (_remove("cues/termination.txt"), "cues/: missing termination.txt"),
        (_write("extra.txt", "x\n"), "lexicon/extra.txt: unexpected entry"),
        (_write("misc/a.txt", "x\n"), "lexicon/misc: unexpected entry"),
        (
            _append(EFFUSION, "pleural effusion\n"),
            f"{EFFUSION}:{_line_count(EFFUSION) + 1}: 'pleural effusion' repeats line",
        ),
        (_append(EFFUSION, "pleural effusions\n"), "repeats line"),
        (_append(EFFUSION, "* effusion\n"), "'*' must appear once, between two words"),
        (_append(EFFUSION, "heart * big * heart\n"), "'*' must appear once"),
        (_append(EFFUSION, "fluid # comment\n"), "comments must be on their own line"),
        (_append(EFFUSION, "fluid @ base\n"), "has the character '@'"),
        (
            _append(NEG, "never\n"),
            f"{NEG}:{_line_count(NEG) + 1}: cue 'never' needs an example comment",
        ),
        (
            _append(NEG, '# e.g. "No effusion."\nnever\n'),
            "the example above cue 'never' does not contain it",
        ),
        (
            _append(NEG, '# e.g. "heart * seen"\nheart * seen\n'),
            "uses '*', allowed only in mention",
        ),
        (_append(NEG, '# e.g. "a b c d e f g h i"\na b c d e f g h i\n'), "has 9 words; at most 8"),
        (
            _append("unmention/pleural_effusion.txt", "pleural effusion\n"),
            "is also a mention (mention/pleural_effusion.txt:",
        ),
        (
            _append("severity.txt", "huge = very large\n"),
            "canonical severity 'very large' must be one word",
        ),
        (_append("grammar/gap.txt", "quite so\n"), "grammar/gap.txt:"),
        (_append("grammar/explain.txt", "due to\n"), "grammar/explain.txt:"),
        (_append("grammar/explain.txt", "likely\n"), "'likely' repeats line"),
        (_remove("grammar/explain.txt"), "grammar/: missing explain.txt"),
        (_append("cues/mimic_post.txt", "nipple shadow\n"), "cues/mimic_post.txt:"),
        (_append(NEG, '# e.g. "NUMBER cm"\nNUMBER cm\n'), "uses NUMBER, allowed only where '*' is"),
        (_append(EFFUSION, "NUMBER\n"), "NUMBER needs at least one word beside it"),
        (_append("abbreviations.txt", "dr\n"), "'dr' repeats line"),
        (
            _write("other_abnormalities.txt", b"granuloma\n\xff\xfe\n"),
            "other_abnormalities.txt: not UTF-8",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_malformed_lexicon_is_refused_with_location(
    lexicon_copy: Path, edit: Callable[[Path], None], message: str
) -> None:
    edit(lexicon_copy)
    with pytest.raises(DataFileError, match=None) as info:
        load_lexicon_from(lexicon_copy)
    assert message in str(info.value)


def test_explain_words_are_loaded_folded() -> None:
    explain = load_lexicon().explain_words
    assert {
        "represent",
        "likely",
        "due",
        "secondary",
    } <= explain  # "represents" folds to "represent"
    assert not explain & {"is", "are", "and", "with"}  # too weak to attribute a finding to a cause


def test_copied_lexicon_loads_like_the_package_one(lexicon_copy: Path) -> None:
    assert load_lexicon_from(lexicon_copy).phrases == load_lexicon().phrases


def test_only_txt_files_are_lexicon_data() -> None:
    files = [p for p in PACKAGE_LEXICON.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert files and all(p.suffix == ".txt" for p in files)
