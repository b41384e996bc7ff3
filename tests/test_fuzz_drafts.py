"""The rule draft parser under adversarial drafts: the fast CI version of bench/fuzz_drafts.py.

Every family of the generator at short lengths (the bench adds long and 1 MB drafts), 1 MB drafts
refused fast, the two patterns that used to be quadratic (hyphen runs in the tokenizer, blocking
phrases in the mention filter) now linear, and hypothesis text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import best_cpu_seconds

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.parse_draft import MAX_DRAFT_CHARS, _parse, parse_draft
from cxr_auditor.reliability.fuzz_common import case_rng
from cxr_auditor.reliability.fuzz_drafts import FAMILIES, Draft, check, grow, main, run_draft


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_family_parses_within_the_invariants(family: str) -> None:
    failures = []
    for index in range(60):
        rng = case_rng(5, index, family)
        draft = Draft(
            index, family, "test", FAMILIES[family](rng, rng.choice((0, 1, 40, 300, 2000)))
        )
        outcome = run_draft(draft)
        if outcome.problems or outcome.status == "crash":
            failures.append((index, outcome.problems[:2]))
    assert not failures, failures[:3]


@pytest.mark.parametrize(
    "unit",
    [
        "no no no ",
        "XXXX ",
        "(((",
        "x-",
        "breast carcinoma, ",
        "\u200b",
        "Small left pleural effusion. ",
    ],
)
def test_a_1mb_draft_is_refused_at_once_in_one_line(unit: str) -> None:
    text = grow(unit, 1_000_000)
    with pytest.raises(InputError, match="200,000") as refused:
        parse_draft(text)
    assert "\n" not in str(refused.value)

    def refuse() -> None:
        with pytest.raises(InputError):
            parse_draft(text)

    # "At once": refusing 1 MB costs less CPU than parsing one ordinary 2,000-character draft.
    ordinary = grow("Small left pleural effusion. ", 2_000)
    assert best_cpu_seconds(refuse) < best_cpu_seconds(lambda: parse_draft(ordinary))


def _best(text: str) -> float:
    """CPU seconds of this process (other jobs on the machine do not count), best of 5."""
    return best_cpu_seconds(lambda: _parse(text))


@pytest.mark.parametrize(
    "case, unit",
    [
        ("hyphen runs (tokenizer used to delete hyphens one by one)", "x-"),
        ("blocking phrases (unmention filter used to compare all pairs)", "breast carcinoma, "),
        ("negation runs", "no no no pneumothorax "),
    ],
)
def test_time_grows_linearly_not_quadratically(case: str, unit: str) -> None:
    small, large = _best(grow(unit, MAX_DRAFT_CHARS // 4)), _best(grow(unit, MAX_DRAFT_CHARS))
    # 4x the text: linear is about 4x the time (5-7x measured, caches), quadratic 16x; the patterns
    # took 40-60x for 8x the text before their fixes. The small run is 50,000 characters so that
    # its time (tens of ms) is not lost in timer noise when the machine is busy.
    assert large / max(small, 1e-3) < 11, f"{case}: {small:.3f} s -> {large:.3f} s"


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    mentions, account = parse_draft(text)
    assert check(text, mentions, account) == []


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "no",
                "effusion",
                "pneumothorax",
                "left",
                "possible",
                ",",
                ".",
                "heart",
                "normal",
                "lungs",
                "clear",
                "XXXX",
                "-",
                "or",
                "cannot",
                "exclude",
                "mass",
                "(",
                ")",
                "\n",
                "without",
            ]
        ),
        max_size=60,
    )
)
def test_arbitrary_word_soup(words: list[str]) -> None:
    text = " ".join(words)
    mentions, account = parse_draft(text)
    assert check(text, mentions, account) == []


def test_the_bench_script_passes_on_a_small_run(capsys: pytest.CaptureFixture[str]) -> None:
    # Times are for the benchmark (bench/fuzz_drafts.py); the test judges crashes and invariants.
    assert main(["--n", "300", "--seed", "2", "--no-scaling", "--no-time-limits"]) == 0
    assert "PASS: 0 crashes, 0 invariant failures" in capsys.readouterr().out
