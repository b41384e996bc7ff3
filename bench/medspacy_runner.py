"""Baseline for bench/parser_bench.py: medspaCy 1.3.1 with its default ConText rules.

Runs under a separate interpreter that has medspaCy (never a project dependency) and the project
itself without its dependencies (only ``cxr_auditor.core`` is used: numpy and pydantic come with
spaCy), e.g.::

    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install medspacy==1.3.1
    /tmp/bench-venv/bin/pip install --no-deps -e .
    /tmp/bench-venv/bin/python bench/medspacy_runner.py --texts texts.csv --out-dir OUT

Target phrases are the project's own lexicon (mention, unmention, other and general phrases, read
with ``core.lexicon``), turned into spaCy token patterns that accept the same plural forms, an
optional hyphen between words, the same "*" gap words and any number for NUMBER; so only sentence
splitting and ConText differ. A mention is absent when ConText negates it, uncertain when it is
uncertain or hypothetical, else present; ``no_finding`` is decided by the same rule as the rule
parser's (a whole-study statement, or two partial ones, and no abnormality), without its exception
and side checks. Writes
``pred_<variant>.jsonl`` and ``timing_<variant>.json`` for the variants ``default`` (medspaCy's
PyRuSH sentence splitter) and ``simple`` (spaCy's rule sentencizer).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

from cxr_auditor.core.lexicon import GAP, NUMBER, load_lexicon
from cxr_auditor.core.phrase_match import gap_vocabulary

LABELS = (
    "pleural_effusion",
    "pneumothorax",
    "lung_opacity_consolidation",
    "nodule_mass",
    "cardiomegaly",
)


def _variants(norm: str) -> list[str]:
    """Surface forms a folded lexicon token stands for (the rule parser folds plurals itself)."""
    forms = {norm, norm + "s", norm + "es"}
    if norm.endswith("y"):
        forms.add(norm[:-1] + "ies")
    if norm.endswith("x"):
        forms.add(norm[:-1] + "ces")
    return sorted(forms)


def _pattern(tokens: tuple[str, ...], gap_words: list[str]) -> list[dict]:
    pattern: list[dict] = []
    for i, tok in enumerate(tokens):
        if tok == GAP:
            pattern.append({"LOWER": {"IN": gap_words}, "OP": "{0,4}"})
            continue
        if i and tokens[i - 1] != GAP:
            pattern.append({"ORTH": "-", "OP": "?"})
        pattern.append({"LIKE_NUM": True} if tok == NUMBER else {"LOWER": {"IN": _variants(tok)}})
    return pattern


def build(variant: str):
    import medspacy
    from medspacy.ner import TargetRule

    if variant == "default":
        nlp = medspacy.load()
    else:
        nlp = medspacy.load(medspacy_enable=["medspacy_target_matcher", "medspacy_context"])
        nlp.add_pipe("sentencizer", first=True)
    lexicon = load_lexicon()
    gap_words = sorted({v for w in gap_vocabulary(lexicon) for v in _variants(w)})
    # One rule per phrase; a phrase listed for two labels ("nodular opacity") is one rule whose
    # label joins both with "+", because spaCy keeps one of two entities with the same span.
    by_phrase: dict[tuple[bool, tuple[str, ...]], tuple[str, list[str]]] = {}  # -> (text, labels)
    for p in lexicon.phrases:
        if p.kind in ("mention", "unmention", "other", "general", "normal_part"):
            label = {"mention": p.value, "unmention": "UNMENTION:" + p.value}.get(p.kind, p.kind)
            by_phrase.setdefault((p.kind == "unmention", p.tokens), (p.text, []))[1].append(label)
    rules = [
        TargetRule(text, "+".join(names), pattern=_pattern(tokens, gap_words))
        for (_, tokens), (text, names) in by_phrase.items()
    ]
    nlp.get_pipe("medspacy_target_matcher").add(rules)
    return nlp


def to_mentions(doc) -> list[dict]:
    mentions, normal, partial = [], [], []
    for ent, label in ((e, lab) for e in doc.ents for lab in e.label_.split("+")):
        status = (
            "absent"
            if ent._.is_negated
            else "uncertain"
            if ent._.is_uncertain or ent._.is_hypothetical
            else "present"
        )
        if label.startswith("UNMENTION:"):
            continue
        if (
            label == "no_finding"
            and status == "present"
            or label == "general"
            and status == "absent"
        ):
            normal.append(ent)
        elif label == "normal_part" and status == "present":
            partial.append(ent)
        elif label in LABELS:
            mentions.append({"label": label, "status": status, "text": ent.text})
        elif label in ("other", "general"):
            mentions.append({"label": "other", "status": status, "text": ent.text})
    if (normal or len(partial) >= 2) and not any(m["status"] != "absent" for m in mentions):
        mentions.append(
            {"label": "no_finding", "status": "present", "text": (normal or partial)[-1].text}
        )
    return [m for m in mentions if m["label"] != "other"]


def run(variant: str, texts: list[tuple[str, str]], out_dir: Path, repeats: int) -> None:
    t0 = time.perf_counter()
    nlp = build(variant)
    nlp("No pleural effusion.")
    startup = time.perf_counter() - t0
    latencies: list[float] = []
    passes: list[float] = []
    with open(out_dir / f"pred_{variant}.jsonl", "w", encoding="utf-8") as f:
        for uid, text in texts:
            t = time.perf_counter()
            doc = nlp(text) if text.strip() else None
            latencies.append(time.perf_counter() - t)
            status = "ok" if doc is not None else "unparseable"
            f.write(
                json.dumps(
                    {"id": uid, "status": status, "mentions": to_mentions(doc) if doc else []}
                )
                + "\n"
            )
    passes.append(sum(latencies))
    for _ in range(repeats - 1):
        start = len(latencies)
        for _uid, text in texts:
            t = time.perf_counter()
            if text.strip():
                nlp(text)
            latencies.append(time.perf_counter() - t)
        passes.append(sum(latencies[start:]))
    timing = {
        "variant": variant,
        "startup_s": startup,
        "latencies_s": latencies,
        "drafts_per_s": len(latencies) / sum(latencies),
        "best_pass_drafts_per_s": len(texts) / min(passes),
    }
    (out_dir / f"timing_{variant}.json").write_text(json.dumps(timing), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", required=True, help="id,text CSV")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--variants", default="default,simple")
    ap.add_argument("--repeats", type=int, default=3, help="passes over the texts for timing")
    a = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    try:
        from loguru import logger  # PyRuSH logs every sentence at DEBUG level

        logger.remove()
    except ImportError:
        pass
    with open(a.texts, newline="", encoding="utf-8") as f:
        texts = [(r["id"], r["text"]) for r in csv.DictReader(f)]
    out_dir = Path(a.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for variant in a.variants.split(","):
        run(variant, texts, out_dir, a.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
