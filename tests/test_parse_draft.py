"""Rule parser: one clinical sentence per row (tests/fixtures/clinical_sentences.csv), contract
cases, and golden checks on the IU / Open-i development slice (skipped when ../shared/data is
absent).

Fixture columns: ``sentence``; ``expected`` = ";"-separated ``label:status[:laterality[:severity]]``
items (every mention, "other" and no_finding included; an empty laterality is not checked, "none"
asserts no side); ``cues`` = "|"-separated cue texts that must decide some mention; ``family`` = the
cue family or case the row covers.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from support import best_cpu_seconds

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.lexicon import CUE_TYPES
from cxr_auditor.core.parse_draft import MAX_DRAFT_CHARS, parse_draft
from cxr_auditor.core.schemas import Mention

FIXTURE = Path(__file__).parent / "fixtures" / "clinical_sentences.csv"
with FIXTURE.open(newline="", encoding="utf-8") as _f:
    ROWS = list(csv.DictReader(_f))

# Reached on the development slice (canonical gold, uncertain as negative, borderline excluded) when
# this test was written; the golden test allows a small margin below it.
DEV_MACRO_F1 = 0.949
DEV_MARGIN = 0.01


def _expected(spec: str) -> list[tuple[str, str, str | None, str | None]]:
    items = []
    for item in filter(None, (s.strip() for s in spec.split(";"))):
        parts = item.split(":") + ["", ""]
        items.append((parts[0], parts[1], parts[2] or None, parts[3] or None))
    return items


def _fits(m: Mention, label: str, status: str, side: str | None, severity: str | None) -> bool:
    if (m.label, m.status) != (label, status):
        return False
    if side is not None and (m.laterality or "none") != side:
        return False
    return severity is None or m.severity == severity


def _unmatched(mentions: list[Mention], expected: list) -> tuple[list, list[Mention]]:
    """Expected items with no mention, and mentions with no expected item (most specific first)."""
    left = list(mentions)
    missing = []
    for item in sorted(expected, key=lambda e: (e[2] is None) + (e[3] is None)):
        hit = next((m for m in left if _fits(m, *item)), None)
        if hit is None:
            missing.append(item)
        else:
            left.remove(hit)
    return missing, left


def test_fixture_has_at_least_150_sentences_and_covers_every_cue_family() -> None:
    assert len(ROWS) >= 150
    families = " ".join(r["family"] for r in ROWS)
    for family in (
        *CUE_TYPES,  # every cue file has sentences
        "laterality",
        "severity",
        "unmention",
        "coordination",
        "sentence break",
        "numbered list",
    ):
        assert family in families, family


@pytest.mark.parametrize("row", ROWS, ids=[r["sentence"][:60] for r in ROWS])
def test_clinical_sentence(row: dict[str, str]) -> None:
    mentions, account = parse_draft(row["sentence"])
    assert account.status == "ok"
    missing, extra = _unmatched(mentions, _expected(row["expected"]))
    shown = [(m.label, m.status, m.text, m.cue, m.laterality, m.severity) for m in mentions]
    assert not missing and not extra, f"missing {missing}, unexpected {extra}; got {shown}"
    cues = {m.cue.lower() for m in mentions if m.cue}
    for cue in filter(None, row["cues"].split("|")):
        assert cue in cues, f"cue {cue!r} not among {cues}"
    for m in mentions:
        assert m.span is not None and row["sentence"][m.span[0] : m.span[1]] == m.text


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_empty_draft_is_unparseable(text: str) -> None:
    mentions, account = parse_draft(text)
    assert mentions == [] and account.status == "unparseable" and account.error == "empty draft"


@pytest.mark.parametrize("value", [None, 3, b"no effusion"])
def test_non_string_draft_is_refused(value: object) -> None:
    with pytest.raises(InputError, match="must be a string"):
        parse_draft(value)  # type: ignore[arg-type]


def test_draft_over_the_size_limit_is_refused_before_any_parsing() -> None:
    too_long = "No pleural effusion. " * (MAX_DRAFT_CHARS // 20)
    ordinary = "Small left pleural effusion. No pneumothorax. Stable cardiomegaly. " * 30

    def refuse() -> None:
        with pytest.raises(InputError, match=f"at most {MAX_DRAFT_CHARS:,}"):
            parse_draft(too_long)

    # Refusing a 1 MB draft costs less than parsing one ordinary 2,000-character draft.
    assert best_cpu_seconds(refuse) < best_cpu_seconds(lambda: parse_draft(ordinary))


def test_draft_at_the_size_limit_parses_in_linear_time() -> None:
    unit = "Small left pleural effusion versus atelectasis, no pneumothorax; stable cardiomegaly. "
    text = (unit * (MAX_DRAFT_CHARS // len(unit)))[:MAX_DRAFT_CHARS]
    mentions, account = parse_draft(text)
    assert account.status == "ok" and len(mentions) > 1000
    # 4x the text: about 4x the time when linear (up to 8x with caches), 16x when quadratic. The
    # figure itself (about 0.16 s on one core) is printed by bench/parser_bench.py.
    quarter = text[: MAX_DRAFT_CHARS // 4]
    ratio = best_cpu_seconds(lambda: parse_draft(text), 3) / best_cpu_seconds(
        lambda: parse_draft(quarter), 3
    )
    assert ratio < 10, f"4x the text took {ratio:.1f}x the CPU time"


def test_one_sentence_without_punctuation_stays_linear() -> None:
    text = "no effusion " * 15_000  # one 180,000-character "sentence"
    mentions, _ = parse_draft(text)
    assert {m.status for m in mentions} == {"absent"}
    quarter = "no effusion " * 3_750
    ratio = best_cpu_seconds(lambda: parse_draft(text), 3) / best_cpu_seconds(
        lambda: parse_draft(quarter), 3
    )
    assert ratio < 10, f"4x the text took {ratio:.1f}x the CPU time"


def test_ids_are_in_text_order_and_spans_exact() -> None:
    text = "Stable cardiomegaly. No pneumothorax. Small left effusion."
    mentions, _ = parse_draft(text)
    assert [m.id for m in mentions] == [f"m{i}" for i in range(1, len(mentions) + 1)]
    assert [m.span[0] for m in mentions] == sorted(m.span[0] for m in mentions)
    assert [text[m.span[0] : m.span[1]] for m in mentions] == [
        "cardiomegaly",
        "pneumothorax",
        "effusion",
    ]


def test_mentions_are_valid_schema_objects() -> None:
    mentions, account = parse_draft(
        "Possible small right pneumothorax. No acute disease otherwise."
    )
    for m in mentions:
        assert Mention.model_validate(m.model_dump()) == m
    assert account.raw_chars == len(
        "Possible small right pneumothorax. No acute disease otherwise."
    )


def test_unused_normal_statement_is_reported_with_reason() -> None:
    _, account = parse_draft("Calcified granuloma. No acute cardiopulmonary disease.")
    assert [d.item for d in account.dropped] == ["acute cardiopulmonary disease"]
    assert "Calcified granuloma" in account.dropped[0].reason


def test_parse_is_deterministic() -> None:
    text = "Left basilar opacity may represent atelectasis versus pneumonia. No effusion."
    first = [m.model_dump() for m in parse_draft(text)[0]]
    assert all([m.model_dump() for m in parse_draft(text)[0]] == first for _ in range(3))


# ----------------------------------------------------------------- golden: CheXpert labeler samples
def test_chexpert_sample_reports(shared_data: Path) -> None:
    folder = shared_data / "chexpert_labeler_samples"
    with (folder / "labeled_reports.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = {
        "Pleural Effusion": "pleural_effusion",
        "Pneumothorax": "pneumothorax",
        "Cardiomegaly": "cardiomegaly",
        "Consolidation": "lung_opacity_consolidation",
        "Pneumonia": "lung_opacity_consolidation",
        "Lung Opacity": "lung_opacity_consolidation",
    }
    want = {"1.0": "present", "0.0": "absent", "-1.0": "uncertain"}
    checked = 0
    for row in rows:
        mentions, _ = parse_draft(row["Reports"])
        for column, label in columns.items():
            if row[column] in want:
                statuses = {m.status for m in mentions if m.label == label}
                assert want[row[column]] in statuses, (row["Reports"], column, statuses)
                checked += 1
    assert checked >= 4


# ------------------------------------------------------- golden: IU / Open-i development slice
def _scorer(shared_data: Path):
    path = shared_data.parent / "bench" / "score_parser.py"
    if not path.is_file():
        pytest.skip(f"reference scorer not found at {path}")
    spec = importlib.util.spec_from_file_location("score_parser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_dev_slice_macro_f1_does_not_regress(shared_data: Path, tmp_path: Path) -> None:
    scorer = _scorer(shared_data)
    folder = shared_data / "iu_xray_reports"
    texts = tmp_path / "texts.csv"
    scorer.write_texts(folder / "iu_reports_dev.csv", texts)
    pred = tmp_path / "pred.jsonl"
    with texts.open(newline="", encoding="utf-8") as f, pred.open("w", encoding="utf-8") as out:
        for row in csv.DictReader(f):
            mentions, account = parse_draft(row["text"])
            kept = [m.model_dump(mode="json") for m in mentions if m.label != "other"]
            out.write(
                json.dumps({"id": row["id"], "status": account.status, "mentions": kept}) + "\n"
            )
    summary = scorer.score(
        scorer.load_gold(folder / "iu_reports_dev_canonical_labels.csv"),
        scorer.load_predictions(pred),
        n_boot=0,
    )
    primary = summary["results"]["canonical"]["uncertain_as_negative"]["gold_borderline_excluded"]
    assert primary["macro_f1"] >= DEV_MACRO_F1 - DEV_MARGIN, primary["macro_f1"]
    assert summary["coverage"]["missing"] == 0
