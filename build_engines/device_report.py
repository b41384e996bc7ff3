"""The device check's sections: run each one under a total time budget, catch its failure, record
it, print one line per section and the tables at the end, and keep the JSON up to date.

A section is a function returning ``(data, summary)``; it raises ``Skipped`` when what it
measures is absent (counted as SKIP, not a failure), ``CheckFailed`` when it measured but its
check failed (FAIL, its data kept), and anything else when it broke (one FAIL line, recorded with
the error, and the next section runs). A section whose input another section
failed to produce raises ``BuildError`` naming it. Once the budget is spent the remaining sections
are not started and count as FAIL (their question is unanswered). The JSON is rewritten after
every section, so a run killed from outside keeps what it measured. Nothing here measures.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("PASS", "FAIL", "SKIP")
NOT_ON_CPU = "not measured on CPU"


class Skipped(Exception):
    """What the section measures is not on this machine (e.g. ``tensorrt_llm`` not installed)."""


class CheckFailed(Exception):
    """The section ran but its check failed; ``data`` holds what it measured."""

    def __init__(self, summary: str, data: dict[str, Any]) -> None:
        super().__init__(summary)
        self.data = data


@dataclass
class Section:
    name: str
    status: str  # one of STATUSES
    seconds: float
    summary: str  # one line
    data: dict[str, Any] = field(default_factory=dict)


SectionFn = Callable[[], tuple[dict[str, Any], str]]


@dataclass
class Report:
    """The sections run so far, under one budget; ``header`` holds the run's settings."""

    header: dict[str, Any]
    budget_s: float
    out: Path | None = None
    sections: list[Section] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def run(self, name: str, fn: SectionFn) -> Section:
        begun = time.perf_counter()
        if self.elapsed() >= self.budget_s:
            section = Section(
                name, "FAIL", 0.0, f"not started: the {self.budget_s:.0f} s budget was spent"
            )
        else:
            try:
                data, summary = fn()
                section = Section(name, "PASS", 0.0, summary, data)
            except Skipped as why:
                section = Section(name, "SKIP", 0.0, str(why), {"skipped": str(why)})
            except CheckFailed as failed:
                section = Section(name, "FAIL", 0.0, str(failed), failed.data)
            except Exception as error:  # a section's failure is recorded; the check goes on
                lines = traceback.format_exception_only(type(error), error)
                section = Section(
                    name,
                    "FAIL",
                    0.0,
                    f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
                    {"error": "".join(lines).strip()},
                )
        section.seconds = round(time.perf_counter() - begun, 1)
        self.sections.append(section)
        print(
            f"[{section.status}] {name} ({section.seconds:.1f} s, total "
            f"{self.elapsed():.0f}/{self.budget_s:.0f} s): {section.summary}",
            flush=True,
        )
        self.save()
        return section

    def data(self, name: str) -> dict[str, Any]:
        """The data of a section that passed; ``BuildError`` when it did not."""
        from cxr_auditor.build_engines.errors import BuildError

        for section in self.sections:
            if section.name == name and section.status == "PASS":
                return section.data
        raise BuildError(f"needs section '{name}', which did not pass")

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for x in self.sections if x.status == s) for s in STATUSES}

    def as_dict(self) -> dict[str, Any]:
        return self.header | {
            "budget_s": self.budget_s,
            "total_s": round(self.elapsed(), 1),
            "counts": self.counts(),
            "sections": [asdict(s) for s in self.sections],
        }

    def save(self) -> None:
        if self.out is not None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.out.write_text(json.dumps(self.as_dict(), indent=2) + "\n", encoding="utf-8")


def gib(value: int | None) -> float | None:
    return None if value is None else round(value / 1024**3, 2)


def _cell(value: Any, width: int, spec: str = "") -> str:
    if value is None:
        return f"{'-':>{width}}"
    return f"{value:>{width}{spec}}"


def tables(report: Report) -> str:
    """The sections, then the memory, audit and TensorRT-LLM figures of those that passed."""
    lines = [f"{'section':<16} {'status':<6} {'seconds':>8}  summary"]
    lines += [f"{s.name:<16} {s.status:<6} {s.seconds:>8.1f}  {s.summary}" for s in report.sections]
    by_name = {s.name: s.data for s in report.sections if s.status == "PASS"}
    memory = by_name.get("peak_memory")
    weights = by_name.get("weights")
    if weights and memory:
        batches = memory["batches"]
        lines += [
            "",
            f"Memory (GiB, bf16; {NOT_ON_CPU} when '-'): weights, then peak of one generate at "
            f"batch {', '.join(map(str, batches))}",
            f"{'model':<13} {'weights':>8}"
            + "".join(f" {'peak b' + str(b):>10}" for b in batches)
            + f" {'tokens/s at b' + str(batches[-1]):>16}",
        ]
        for role, row in memory["models"].items():
            peaks = [r["peak_gib"] for r in row]
            lines.append(
                f"{role:<13} {_cell(weights['models'][role]['weights_gib'], 8, '.2f')}"
                + "".join(f" {_cell(p, 10, '.2f')}" for p in peaks)
                + f" {row[-1]['tokens_per_s']:>16.1f}"
            )
    audits = by_name.get("audits")
    if audits:
        lines += [
            "",
            f"Full audits, transformers runtime, budgets {audits['budgets']} new tokens, "
            f"dynamic batch {audits['max_batch']}",
            f"{'concurrency':>11} {'audits':>6} {'p50 ms':>9} {'p99 ms':>9} {'audits/s':>9} "
            f"{'tokens/s':>9}",
        ]
        for row in audits["levels"]:
            lines.append(
                f"{row['concurrency']:>11} {row['audits']:>6} {row['p50_ms']:>9.0f} "
                f"{row['p99_ms']:>9.0f} {row['audits_per_s']:>9.3f} {row['tokens_per_s']:>9.1f}"
            )
    trt = by_name.get("tensorrt_llm")
    if trt:
        lines += [
            "",
            "TensorRT-LLM (load_format dummy, the project's LLM arguments)",
            f"{'model':<13} {'load s':>7} {'one req ms':>11} {'n':>4} {'p50 ms':>9} "
            f"{'p99 ms':>9} {'tokens/s':>9}",
        ]
        for role, row in trt["models"].items():
            many = row["concurrent"]
            lines.append(
                f"{role:<13} {row['load_s']:>7.1f} {row['single']['ms']:>11.0f} "
                f"{many['requests']:>4} {many['p50_ms']:>9.0f} {many['p99_ms']:>9.0f} "
                f"{many['tokens_per_s']:>9.1f}"
            )
    counts = report.counts()
    lines += [
        "",
        f"{counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['SKIP']} SKIP in "
        f"{report.elapsed():.0f} s (budget {report.budget_s:.0f} s)",
    ]
    return "\n".join(lines)
