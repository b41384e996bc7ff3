"""Fuzz the rule draft parser: 10,000 adversarial drafts up to 1 MB, zero crashes, bounded time.

Drafts come from ``FAMILIES`` (clinical sentences, runs of cue words, "no no no ...", runs of
finding words, IU-style ``XXXX`` runs, nested brackets, unicode tricks, punctuation and whitespace
runs, long words, abbreviation runs, one endless sentence, random lexicon words, random
characters, mutated sentences), each grown or cut to a length drawn from a size class: under 1k,
1k-10k, 10k-100k, 100k to the 200,000-character limit, and over the limit up to 1 MB (several
exactly 1,000,000 characters). Every draft goes through ``core.parse_draft.parse_draft`` and must
come back as mentions (``ok``), ``unparseable`` (empty) or a one-line ``InputError`` (``refused``,
only over the limit); any other exception is a crash. Mentions must point at the draft's own
characters, carry labels among the six or ``other``, and ``no_finding`` never stands beside an
asserted or hedged abnormality.

Then a scaling table: the worst patterns timed without the size limit (``_parse``) at 25k, 50k,
100k, 200k and 1M characters, with the growth exponent (1.0 = linear; catastrophic regex
backtracking would show as 2 or more). The script prints p50/p99/max per size class and exits 1
on a crash, an invariant broken, a 1 MB draft not refused within 50 ms, or a draft within the
limit taking more than ``MAX_PARSE_S``::

    python bench/fuzz_drafts.py                  # 10,000 drafts, seed 0
    python bench/fuzz_drafts.py --n 500 --no-scaling
"""

from __future__ import annotations

import argparse
import importlib.resources
import math
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.labels import LABELS, NO_FINDING, OTHER
from cxr_auditor.core.parse_draft import MAX_DRAFT_CHARS, _parse, parse_draft
from cxr_auditor.core.schemas import Mention, ParseAccount
from cxr_auditor.reliability.fuzz_common import case_rng, machine, percentile, table

MAX_PARSE_S = (
    2.0  # a draft at the 200,000-character limit, worst pattern, on a shared 2-CPU machine
)
MAX_REFUSE_S = 0.05
MB = 1_000_000
SIZE_CLASSES: dict[str, tuple[int, int, float]] = {  # name -> (min, max, weight)
    "<1k": (0, 999, 0.90),
    "1k-10k": (1_000, 9_999, 0.07),
    "10k-100k": (10_000, 99_999, 0.02),
    "100k-200k": (100_000, MAX_DRAFT_CHARS, 0.004),
    ">200k (refused)": (MAX_DRAFT_CHARS + 1, MB, 0.006),
}
SENTENCES = [
    "Small left pleural effusion.",
    "No pneumothorax.",
    "Cardiomegaly.",
    "Lungs are clear.",
    "Possible right lower lobe consolidation.",
    "No acute cardiopulmonary process.",
    "8 mm nodule in the right upper lobe.",
    "Heart size is normal.",
    "Resolved left pneumothorax.",
    "Cannot exclude a small apical pneumothorax on the left.",
    "Bibasilar atelectasis.",
    "No focal consolidation, effusion or mass.",
    "IMPRESSION: No acute disease.",
    "The XXXX are clear. XXXX XXXX is normal.",
    "Pneumothorax: none.",
    "Stable appearance of the chest compared to XXXX.",
]
UNICODE = [
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u202e",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\u3000",
    "\x00",
    "\U0001f600",
    "\u0301",
    "\ufb01",
    "\u0435",
    "\uff45\uff46\uff46\uff55\uff53\uff49\uff4f\uff4e",
    "\u4e2d\u6587",
    "\u0645\u0631\u062d\u0628\u0627",
    "\u0130",
    "\u00df",
    "\U0010fffd",
    "\r\n",
]


def lexicon_words() -> list[str]:
    """Every phrase and cue of the parser's own lexicon (the words most likely to interact)."""
    root = importlib.resources.files("cxr_auditor.core") / "lexicon"
    words: list[str] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith(".txt"):
                for line in entry.read_text(encoding="utf-8").splitlines():
                    line = line.split("#", 1)[0].split(" = ", 1)[0].strip()
                    if line:
                        words.append(line.replace("*", "").strip() or line)
    return sorted(set(words))


WORDS = lexicon_words()
CUES = [w for w in WORDS if len(w.split()) <= 3][:400]


@dataclass(frozen=True)
class Draft:
    index: int
    family: str
    size_class: str
    text: str


def grow(unit: str, size: int) -> str:
    """``unit`` repeated and cut to exactly ``size`` characters."""
    if not unit:
        unit = " "
    return (unit * (size // len(unit) + 1))[:size]


def fam_clinical(rng: Random, size: int) -> str:
    return grow(" ".join(rng.sample(SENTENCES, rng.randint(1, 6))) + " ", size)


def fam_cue_runs(rng: Random, size: int) -> str:
    cue = rng.choice(
        [
            "no ",
            "no no no ",
            "cannot exclude ",
            "without ",
            "possible ",
            "negative for ",
            "resolved ",
            "no evidence of ",
            "not ",
            "may represent ",
            *[c + " " for c in CUES[:60]],
        ]
    )
    tail = rng.choice(["pneumothorax", "effusion.", "", "cardiomegaly or mass", "."])
    return grow(cue, max(0, size - len(tail))) + tail


def fam_finding_runs(rng: Random, size: int) -> str:
    unit = rng.choice(
        [
            "effusion ",
            "pleural effusion pneumothorax cardiomegaly ",
            "nodule, ",
            "left right bilateral effusion ",
            "opacity opacity. ",
            "mass mass mass\n",
            "no effusion possible effusion ",
            "heart size is normal ",
        ]
    )
    return grow(unit, size)


def fam_xxxx(rng: Random, size: int) -> str:
    return grow(
        rng.choice(
            [
                "XXXX ",
                "XXXX",
                "XXXX. ",
                "XXXX-XXXX ",
                "XXXX XXXX is normal. ",
                "no XXXX ",
                "(XXXX) ",
            ]
        ),
        size,
    )


def fam_brackets(rng: Random, size: int) -> str:
    depth = max(1, min(size // 3, rng.choice((1, 10, 1000, size))))
    opener, closer = rng.choice([("(", ")"), ("[", "]"), ("{", "}"), ("((", "]]"), ("<", ">")])
    core = rng.choice(["effusion", "no pneumothorax", "", "possible mass"])
    return grow(opener * depth + core + closer * depth, size)


def fam_unicode(rng: Random, size: int) -> str:
    text = fam_clinical(rng, max(size, 1))
    chars = list(text)
    for _ in range(rng.randint(1, max(1, min(len(chars), 200)))):
        spot = rng.randrange(len(chars)) if chars else 0
        chars.insert(spot, rng.choice(UNICODE))
    return "".join(chars)[:size] if size else ""


def fam_punctuation(rng: Random, size: int) -> str:
    return grow(
        rng.choice(
            [
                ".",
                ". ",
                "...",
                ",",
                ";",
                ":",
                "- ",
                "\n",
                " ",
                "\t",
                "?!",
                "/",
                "\\",
                "'",
                '"',
                "*",
                "—",
            ]
        ),
        size,
    )


def fam_long_word(rng: Random, size: int) -> str:
    return grow(rng.choice(["a", "effusion", "pneumothoraxpneumothorax", "1", "x-", "no-"]), size)


def fam_abbreviations(rng: Random, size: int) -> str:
    return grow(
        rng.choice(["Dr. St. e.g. i.e. vs. approx. ", "e.g. effusion. ", "No. 5 ", "p.a. "]), size
    )


def fam_endless_sentence(rng: Random, size: int) -> str:
    words = [rng.choice(WORDS) for _ in range(60)]
    return grow(" ".join(words) + " ", size)


def fam_lexicon_soup(rng: Random, size: int) -> str:
    separators = [" ", ", ", ". ", "; ", " and ", " or ", "\n", ": ", " - "]
    parts: list[str] = []
    length = 0
    while length < min(size, 4000):
        parts.append(rng.choice(WORDS) + rng.choice(separators))
        length += len(parts[-1])
    return grow("".join(parts), size)


def fam_random_chars(rng: Random, size: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz .,;:-()XNn\n"
    unit = "".join(rng.choice(alphabet) for _ in range(min(size, 2000)))
    return grow(unit, size)


def fam_mutation(rng: Random, size: int) -> str:
    chars = list(fam_clinical(rng, max(size, 1)))
    for _ in range(rng.randint(1, 30)):
        if not chars:
            break
        spot = rng.randrange(len(chars))
        kind = rng.randrange(3)
        if kind == 0:
            del chars[spot]
        elif kind == 1:
            chars.insert(spot, rng.choice(" .,;:no-()X\n"))
        else:
            chars[spot] = rng.choice("abcdefghijklmnopqrstuvwxyz .")
    return "".join(chars)[:size]


FAMILIES: dict[str, Callable[[Random, int], str]] = {
    "clinical": fam_clinical,
    "cue_runs": fam_cue_runs,
    "finding_runs": fam_finding_runs,
    "xxxx_runs": fam_xxxx,
    "brackets": fam_brackets,
    "unicode": fam_unicode,
    "punctuation": fam_punctuation,
    "long_word": fam_long_word,
    "abbreviations": fam_abbreviations,
    "endless_sentence": fam_endless_sentence,
    "lexicon_soup": fam_lexicon_soup,
    "random_chars": fam_random_chars,
    "mutation": fam_mutation,
}


def make_draft(seed: int, index: int) -> Draft:
    rng = case_rng(seed, index, "drafts")
    names = list(SIZE_CLASSES)
    size_class = rng.choices(names, weights=[SIZE_CLASSES[n][2] for n in names])[0]
    low, high, _ = SIZE_CLASSES[size_class]
    size = MB if size_class.startswith(">") and rng.random() < 0.3 else rng.randint(low, high)
    family = rng.choice(list(FAMILIES))
    return Draft(index, family, size_class, FAMILIES[family](rng, size))


def check(text: str, mentions: list[Mention], account: ParseAccount) -> list[str]:
    problems = []
    if account.status not in ("ok", "unparseable"):
        problems.append(f"status {account.status!r}")
    if account.status == "unparseable" and (mentions or text.strip()):
        problems.append("unparseable although the draft has text")
    asserted = False
    for n, mention in enumerate(mentions, 1):
        if mention.id != f"m{n}" or mention.label not in (*LABELS, OTHER):
            problems.append(f"mention {n}: id {mention.id!r} or label {mention.label!r}")
        start, end = mention.span or (0, 0)
        if not 0 <= start < end <= len(text) or text[start:end] != mention.text:
            problems.append(f"mention {n}: span {mention.span} does not point at its text")
        if mention.label != NO_FINDING and mention.status != "absent":
            asserted = True
    if asserted and any(m.label == NO_FINDING and m.status == "present" for m in mentions):
        problems.append("no_finding present beside an asserted or hedged abnormality")
    try:
        account.model_dump_json()
        [m.model_dump_json() for m in mentions]
    except ValueError as error:
        problems.append(f"does not serialize: {error}"[:120])
    return problems


@dataclass
class Outcome:
    draft: Draft
    status: str
    seconds: float
    problems: list[str] = field(default_factory=list)


def run_draft(draft: Draft) -> Outcome:
    started = time.perf_counter()
    try:
        mentions, account = parse_draft(draft.text)
    except InputError as error:
        seconds = time.perf_counter() - started
        problems = (
            []
            if len(draft.text) > MAX_DRAFT_CHARS and "\n" not in str(error)
            else [f"refused within the limit or over more than one line: {error}"[:200]]
        )
        return Outcome(draft, "refused", seconds, problems)
    except Exception as error:
        return Outcome(
            draft,
            "crash",
            time.perf_counter() - started,
            [f"{type(error).__name__}: {error}"[:200] + "\n" + traceback.format_exc(limit=-3)],
        )
    seconds = time.perf_counter() - started
    problems = check(draft.text, mentions, account)
    if len(draft.text) > MAX_DRAFT_CHARS:
        problems.append("a draft over the limit was parsed instead of refused")
    return Outcome(draft, account.status, seconds, problems)


SCALING_PATTERNS = {
    "no no no ... pneumothorax": "no no no pneumothorax ",
    "endless sentence of findings and cues": (
        "effusion without pneumothorax possible consolidation no nodule "
    ),
    "effusion, effusion, ...": "effusion, ",
    "(((effusion))) ...": "(((effusion))) ",
    "clinical sentences": "Small left pleural effusion. No pneumothorax. ",
    "Pneumothorax: none ...": "Pneumothorax: none ",
    "XXXX. XXXX. ...": "XXXX. ",
}
SCALING_SIZES = (25_000, 50_000, 100_000, 200_000, MB)


def scaling() -> tuple[str, float]:
    """Time per pattern and size without the limit; the worst growth exponent."""
    rows, worst = [], 0.0
    for name, unit in SCALING_PATTERNS.items():
        times = []
        for size in SCALING_SIZES:
            text = grow(unit, size)
            best = math.inf
            for _ in range(2 if size < MB else 1):
                started = time.perf_counter()
                _parse(text)
                best = min(best, time.perf_counter() - started)
            times.append(best)
        exponent = math.log(times[-1] / times[0]) / math.log(SCALING_SIZES[-1] / SCALING_SIZES[0])
        worst = max(worst, exponent)
        rows.append([name, *(t * 1000 for t in times), round(exponent, 2)])
    header = [
        "pattern (parsed without the limit)",
        *(f"{s // 1000}k ms" for s in SCALING_SIZES),
        "growth exponent",
    ]
    return table(header, rows), worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling table")
    parser.add_argument(
        "--no-time-limits",
        action="store_true",
        help="print the times but judge only crashes and invariants (for tests on a busy machine)",
    )
    args = parser.parse_args(argv)
    parse_draft("No pneumothorax.")  # load the lexicon outside the timings
    started = time.perf_counter()
    outcomes = [run_draft(make_draft(args.seed, i)) for i in range(args.n)]
    elapsed = time.perf_counter() - started
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_class[outcome.draft.size_class].append(outcome)
    rows = []
    for name in SIZE_CLASSES:
        group = by_class.get(name, [])
        if not group:
            continue
        counts = Counter(o.status for o in group)
        ms = [o.seconds * 1000 for o in group]
        rows.append(
            [
                name,
                len(group),
                counts["ok"],
                counts["unparseable"],
                counts["refused"],
                counts["crash"],
                sum(bool(o.problems) for o in group),
                max(len(o.draft.text) for o in group),
                percentile(ms, 50),
                percentile(ms, 99),
                max(ms),
            ]
        )
    totals = Counter(o.status for o in outcomes)
    all_ms = [o.seconds * 1000 for o in outcomes]
    rows.append(
        [
            "total",
            len(outcomes),
            totals["ok"],
            totals["unparseable"],
            totals["refused"],
            totals["crash"],
            sum(bool(o.problems) for o in outcomes),
            max(len(o.draft.text) for o in outcomes),
            percentile(all_ms, 50),
            percentile(all_ms, 99),
            max(all_ms),
        ]
    )
    print(
        f"Draft-parser fuzzing: {len(outcomes):,} adversarial drafts (seed {args.seed}, "
        f"{len(FAMILIES)} families), limit {MAX_DRAFT_CHARS:,} characters; {machine()}, "
        f"{elapsed:.0f} s"
    )
    print(
        table(
            [
                "size class",
                "drafts",
                "ok",
                "unparseable",
                "refused",
                "crashes",
                "invariant broken",
                "max chars",
                "p50 ms",
                "p99 ms",
                "max ms",
            ],
            rows,
        )
    )
    family_counts = Counter(o.draft.family for o in outcomes)
    print("families: " + ", ".join(f"{name} {family_counts[name]}" for name in FAMILIES))
    megabytes = [o for o in outcomes if len(o.draft.text) == MB]
    refuse_max = max((o.seconds for o in megabytes), default=0.0)
    print(
        f"1,000,000-character drafts: {len(megabytes)}, all refused: "
        f"{all(o.status == 'refused' for o in megabytes)}, "
        f"slowest refusal {refuse_max * 1000:.2f} ms"
    )
    within = [o for o in outcomes if len(o.draft.text) <= MAX_DRAFT_CHARS]
    slowest = max(within, key=lambda o: o.seconds)
    print(
        f"slowest draft within the limit: {slowest.seconds * 1000:.0f} ms "
        f"({len(slowest.draft.text):,} chars, {slowest.draft.family}, draft {slowest.draft.index})"
    )
    failures = [o for o in outcomes if o.problems]
    if slowest.seconds > MAX_PARSE_S and not args.no_time_limits:
        failures.append(Outcome(slowest.draft, "slow", slowest.seconds, [f"over {MAX_PARSE_S} s"]))
    if (refuse_max > MAX_REFUSE_S and not args.no_time_limits) or not all(
        o.status == "refused" for o in megabytes
    ):
        failures.append(Outcome(megabytes[0].draft, "slow refusal", refuse_max, ["1 MB refusal"]))
    worst_exponent = 0.0
    if not args.no_scaling:
        text, worst_exponent = scaling()
        print("\nScaling without the size limit (best of 2 runs; 1M: one run):")
        print(text)
        print(
            f"worst growth exponent {worst_exponent:.2f} (1.0 = linear; no pattern is "
            "super-linear beyond noise)"
            if worst_exponent < 1.5
            else f"worst growth exponent {worst_exponent:.2f}: SUPER-LINEAR"
        )
        if worst_exponent >= 1.5:
            failures.append(Outcome(slowest.draft, "super-linear", 0.0, ["scaling"]))
    for outcome in failures[:10]:
        print(
            f"\nFAIL draft {outcome.draft.index} ({outcome.draft.family}, "
            f"{len(outcome.draft.text):,} chars): {outcome.problems[:3]}"
        )
    print(
        f"\n{'PASS' if not failures else 'FAIL'}: {totals['crash']} crashes, "
        f"{sum(bool(o.problems) for o in outcomes)} invariant failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
