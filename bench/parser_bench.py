"""Rule draft parser vs medspaCy 1.3.1 (default ConText, same target phrases): accuracy and speed.

One run prints, side by side:
- macro-F1 and per-label P/R/F1 on the IU / Open-i development slice, scored by the reference scorer
  (``../shared/bench/score_parser.py``) against both gold standards (canonical MeSH labels and NIH's
  OpenI labels), with uncertain mentions scored as negative and as positive;
- throughput on one core: drafts/s over all timing passes and in the best pass (less sensitive to
  other load on the machine), p50/p99 latency per draft and start-up time, for the rule parser
  and medspaCy with its default sentence splitter (PyRuSH) and with a simple rule sentencizer;
- the same accuracy tables on the second development file, the reserve (``iu_reports_reserve.csv``,
  1,777 reports with no effusion, pneumothorax or nodule/mass positives: every such assertion there
  is a false positive), canonical gold only (NIH's labels cover the slice alone); on by default when
  its files exist (``--no-reserve`` skips it);
- per label, the false positives and misses of each parser on both files side by side (primary view:
  canonical gold, uncertain as negative, gold borderline excluded);
- the size limit: a 1 MB draft refused (time to refuse), a draft at the limit parsed (time), and,
  for the record, the time the parser would take on 1 MB without the limit.

Timing is measured on the development slice only (the reserve is scored, not timed).

medspaCy runs in its own interpreter (``bench/medspacy_runner.py``), never in the project's
environment::

    python -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install medspacy==1.3.1
    python bench/parser_bench.py --medspacy-python /tmp/bench-venv/bin/python

Without ``--medspacy-python`` (or when it does not exist) only the rule parser's figures are
printed.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cxr_auditor.core.errors import InputError
from cxr_auditor.core.parse_draft import MAX_DRAFT_CHARS, _parse, parse_draft

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared"
DEFAULT_MEDSPACY_PYTHON = "/tmp/bench-venv/bin/python"
LABELS = (
    "pleural_effusion",
    "pneumothorax",
    "lung_opacity_consolidation",
    "nodule_mass",
    "cardiomegaly",
    "no_finding",
)
STARTUP_CODE = (
    "import time; t = time.perf_counter(); from core.parse_draft import parse_draft; "
    "parse_draft('No pleural effusion.'); print(time.perf_counter() - t)"
)


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_parser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def run_rules(texts: list[tuple[str, str]], out: Path, repeats: int) -> dict:
    """Predictions (six labels only, for the scorer) and per-draft latencies of the rule parser."""
    parse_draft("warm-up: no pleural effusion.")
    with out.open("w", encoding="utf-8") as f:
        for uid, text in texts:
            mentions, account = parse_draft(text)
            kept = [m.model_dump(mode="json") for m in mentions if m.label != "other"]
            f.write(json.dumps({"id": uid, "status": account.status, "mentions": kept}) + "\n")
    latencies: list[float] = []
    passes: list[float] = []
    clock = time.perf_counter
    for _ in range(repeats):
        start = len(latencies)
        for _uid, text in texts:
            t = clock()
            parse_draft(text)
            latencies.append(clock() - t)
        passes.append(sum(latencies[start:]))
    startup = [
        float(
            subprocess.run(
                [sys.executable, "-c", STARTUP_CODE],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    ]
    return {
        "latencies_s": latencies,
        "drafts_per_s": len(latencies) / sum(latencies),
        "best_pass_drafts_per_s": len(texts) / min(passes),
        "startup_s": statistics.median(startup),
    }


def predict_rules(texts: list[tuple[str, str]], out: Path) -> None:
    """Predictions only (no timing), six labels, in the scorer's JSONL format."""
    with out.open("w", encoding="utf-8") as f:
        for uid, text in texts:
            mentions, account = parse_draft(text)
            kept = [m.model_dump(mode="json") for m in mentions if m.label != "other"]
            f.write(json.dumps({"id": uid, "status": account.status, "mentions": kept}) + "\n")


def read_texts(scorer, reports_csv: Path, texts_csv: Path) -> list[tuple[str, str]]:
    """Write the scorer's ``id,text`` file for a reports CSV and read it back."""
    scorer.write_texts(reports_csv, texts_csv)
    with texts_csv.open(newline="", encoding="utf-8") as f:
        return [(r["id"], r["text"]) for r in csv.DictReader(f)]


def run_medspacy(python: str, texts_csv: Path, out_dir: Path, repeats: int) -> dict[str, dict]:
    cmd = [
        python,
        str(ROOT / "bench" / "medspacy_runner.py"),
        "--texts",
        str(texts_csv),
        "--out-dir",
        str(out_dir),
        "--repeats",
        str(repeats),
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"medspaCy runner failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return {
        v: json.loads((out_dir / f"timing_{v}.json").read_text(encoding="utf-8"))
        for v in ("default", "simple")
    }


def size_checks(texts: list[tuple[str, str]]) -> dict:
    corpus = " ".join(t for _, t in texts if t)
    mb = (corpus * (1_000_000 // len(corpus) + 1))[:1_000_000]
    t = time.perf_counter()
    try:
        parse_draft(mb)
        refused, message = False, ""
    except InputError as error:
        refused, message = True, str(error)
    refuse_s = time.perf_counter() - t
    t = time.perf_counter()
    parse_draft(mb[:MAX_DRAFT_CHARS])
    at_limit_s = time.perf_counter() - t
    t = time.perf_counter()
    mentions, _ = _parse(mb)
    unlimited_s = time.perf_counter() - t
    return {
        "refused_1mb": refused,
        "message": message,
        "refuse_s": refuse_s,
        "limit_chars": MAX_DRAFT_CHARS,
        "at_limit_s": at_limit_s,
        "unlimited_1mb_s": unlimited_s,
        "unlimited_1mb_mentions": len(mentions),
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def error_table(files: dict[str, dict[str, dict]]) -> list[str]:
    """files: file name -> system -> scorer summary. Per label, "FP/misses" of each system on each
    file side by side (canonical gold, uncertain as negative, gold borderline excluded)."""
    names = list(files)
    systems = list(files[names[0]])
    width = 24 // len(names)
    picked = {
        n: {
            s: files[n][s]["results"]["canonical"]["uncertain_as_negative"][
                "gold_borderline_excluded"
            ]["per_label"]
            for s in systems
        }
        for n in names
    }
    lines = [
        "",
        (
            "[false positives / misses (FP/FN) per label | canonical gold | "
            "uncertain_as_negative | gold borderline excluded]"
        ),
        f"  {'label':<28}" + "".join(f"{name[:22]:>24}" for name in systems),
        f"  {'':<28}" + "".join(f"{n[: width - 1]:>{width}}" for _ in systems for n in names),
    ]
    for label in (*LABELS, "total"):
        cells = ""
        for s in systems:
            for n in names:
                per = picked[n][s]
                fp, fn = (
                    (sum(per[lb][k] for lb in LABELS) if label == "total" else per[label][k])
                    for k in ("fp", "fn")
                )
                cells += f"{f'{fp}/{fn}':>{width}}"
        lines.append(f"  {label:<28}{cells}")
    return lines


def accuracy_tables(results: dict[str, dict]) -> list[str]:
    """results: system -> scorer summary. One table per gold x uncertain variant."""
    systems = list(results)
    lines: list[str] = []
    first = results[systems[0]]["results"]
    views = [("canonical gold", "canonical", u) for u in first["canonical"]]
    views += [("NIH std14 gold", "nih_std14", u) for u in first.get("nih_std14", {})]
    for title, key, uvar in views:
        head = f"  {'label':<28}" + "".join(f"{name[:22]:>24}" for name in systems)
        lines += [
            "",
            f"[{title} | {uvar}" + (" | gold borderline excluded]" if key == "canonical" else "]"),
            head,
            f"  {'':<28}" + "".join(f"{'P     R    F1':>24}" for _ in systems),
        ]
        picked = {s: results[s]["results"][key][uvar] for s in systems}
        if key == "canonical":
            picked = {s: r["gold_borderline_excluded"] for s, r in picked.items()}
        for label in LABELS:
            cells = "".join(
                f"{r['per_label'][label]['precision']:>10.3f}{r['per_label'][label]['recall']:>7.3f}"
                f"{r['per_label'][label]['f1']:>7.3f}"
                for r in picked.values()
            )
            lines.append(f"  {label:<28}{cells}")
        lines.append(
            f"  {'macro-F1':<28}" + "".join(f"{r['macro_f1']:>24.3f}" for r in picked.values())
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "iu_xray_reports")
    ap.add_argument("--scorer", type=Path, default=SHARED / "bench" / "score_parser.py")
    ap.add_argument(
        "--medspacy-python",
        default=DEFAULT_MEDSPACY_PYTHON,
        help="interpreter with medspacy==1.3.1 ('' to skip the baseline)",
    )
    ap.add_argument(
        "--repeats", type=int, default=20, help="timing passes over the slice, rule parser"
    )
    ap.add_argument("--medspacy-repeats", type=int, default=3, help="timing passes, medspaCy")
    ap.add_argument("--out-dir", type=Path, default=None, help="keep predictions and timings here")
    ap.add_argument("--json", type=Path, default=None, help="also write all figures as JSON")
    ap.add_argument(
        "--reserve",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also score the reserve file (default: on when iu_reports_reserve*.csv exist)",
    )
    a = ap.parse_args(argv)
    out_dir = a.out_dir or Path(tempfile.mkdtemp(prefix="parser_bench_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    scorer = load_scorer(a.scorer)
    texts_csv = out_dir / "texts.csv"
    texts = read_texts(scorer, a.data / "iu_reports_dev.csv", texts_csv)
    reserve_csv = a.data / "iu_reports_reserve.csv"
    reserve_gold = a.data / "iu_reports_reserve_canonical_labels.csv"
    reserve_found = reserve_csv.exists() and reserve_gold.exists()
    if a.reserve and not reserve_found:
        raise SystemExit(f"--reserve: {reserve_csv} or {reserve_gold} not found")
    use_reserve = reserve_found if a.reserve is None else a.reserve
    pinned = pin_one_core()

    timings = {"rules": run_rules(texts, out_dir / "pred_rules.jsonl", a.repeats)}
    preds = {"rules": out_dir / "pred_rules.jsonl"}
    medspacy_ok = bool(a.medspacy_python) and Path(a.medspacy_python).exists()
    if medspacy_ok:
        ms = run_medspacy(a.medspacy_python, texts_csv, out_dir, a.medspacy_repeats)
        timings["medspaCy default"] = ms["default"]
        timings["medspaCy simple splitter"] = ms["simple"]
        preds["medspaCy default"] = out_dir / "pred_default.jsonl"
        preds["medspaCy simple splitter"] = out_dir / "pred_simple.jsonl"
    gold = scorer.load_gold(a.data / "iu_reports_dev_canonical_labels.csv")
    nih = scorer.load_nih_gold(a.data / "openi_gld_std14_dev.csv")
    results = {
        name: scorer.score(gold, scorer.load_predictions(path), nih, n_boot=0, include_ids=False)
        for name, path in preds.items()
    }
    reserve_results: dict[str, dict] = {}
    reserve_texts: list[tuple[str, str]] = []
    if use_reserve:
        reserve_dir = out_dir / "reserve"
        reserve_dir.mkdir(exist_ok=True)
        reserve_texts = read_texts(scorer, reserve_csv, reserve_dir / "texts.csv")
        reserve_preds = {"rules": reserve_dir / "pred_rules.jsonl"}
        predict_rules(reserve_texts, reserve_preds["rules"])
        if medspacy_ok:
            run_medspacy(a.medspacy_python, reserve_dir / "texts.csv", reserve_dir, 1)
            reserve_preds["medspaCy default"] = reserve_dir / "pred_default.jsonl"
            reserve_preds["medspaCy simple splitter"] = reserve_dir / "pred_simple.jsonl"
        rgold = scorer.load_gold(reserve_gold)
        reserve_results = {
            name: scorer.score(
                rgold, scorer.load_predictions(path), None, n_boot=0, include_ids=False
            )
            for name, path in reserve_preds.items()
        }
    sizes = size_checks(texts)

    print(
        f"IU / Open-i development slice: {len(texts)} reports (text = findings + impression); "
        f"scored rows {results['rules']['n_scored_rows']}; timing {pinned}"
    )
    if not medspacy_ok:
        print(f"(medspaCy baseline skipped: no interpreter at {a.medspacy_python!r})")
    print("\n".join(accuracy_tables(results)))
    if reserve_results:
        print(
            f"\nIU / Open-i reserve (second development file): {len(reserve_texts)} reports; "
            f"scored rows {reserve_results['rules']['n_scored_rows']}; no effusion, pneumothorax "
            "or nodule/mass positives (every one asserted is a false positive: their P, R and F1 "
            "are 0 by construction, so read their false-positive counts below, and macro-F1 there "
            "is not comparable with the slice)"
        )
        print("\n".join(accuracy_tables(reserve_results)))
    files = {"dev": results} | ({"reserve": reserve_results} if reserve_results else {})
    print("\n".join(error_table(files)))
    print(
        f"\n{'throughput (one core)':<28}{'drafts/s':>10}{'best pass':>11}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'start-up s':>12}"
    )
    for name, t in timings.items():
        lat = t["latencies_s"]
        print(
            f"  {name:<26}{t['drafts_per_s']:>10,.0f}{t['best_pass_drafts_per_s']:>11,.0f}"
            f"{_pct(lat, 0.5) * 1e3:>9.3f}{_pct(lat, 0.99) * 1e3:>9.3f}{t['startup_s']:>12.3f}"
        )
    if medspacy_ok:
        for base in ("medspaCy simple splitter", "medspaCy default"):
            ratio = timings["rules"]["drafts_per_s"] / timings[base]["drafts_per_s"]
            best = (
                timings["rules"]["best_pass_drafts_per_s"] / timings[base]["best_pass_drafts_per_s"]
            )
            print(f"  rules / {base}: {ratio:.1f}x (all passes), {best:.1f}x (best pass each)")
    verdict = "refused" if sizes["refused_1mb"] else "NOT refused"
    print(
        f"\nsize: 1 MB draft {verdict} in {sizes['refuse_s'] * 1e3:.2f} ms ({sizes['message']}); "
        f"{sizes['limit_chars']:,}-char draft parsed in {sizes['at_limit_s']:.3f} s; "
        f"1 MB without the limit would take {sizes['unlimited_1mb_s']:.3f} s"
    )
    if a.json:
        figures = {
            "results": results,
            "reserve_results": reserve_results,
            "sizes": sizes,
            "timing": {
                k: {kk: vv for kk, vv in v.items() if kk != "latencies_s"}
                | {"p50_s": _pct(v["latencies_s"], 0.5), "p99_s": _pct(v["latencies_s"], 0.99)}
                for k, v in timings.items()
            },
        }
        a.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
