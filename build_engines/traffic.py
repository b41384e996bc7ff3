"""The client workload of warmup, smoke and bench: full audits through Triton, under load.

One audit = the grounder's read of one image, then the draft parser's read of one draft, then the
comparator (as ``cxr-auditor audit --grounder triton --parser triton`` does). Unlike the app's
``TritonBackend.image_read`` / ``draft_reader`` it keeps apart a model that was *not reached*
(``served`` false: transport or server error) from one that answered with an unusable output
(``parsed`` false), because a benchmark must not count a fast failure as a fast audit.
``run_load`` keeps ``concurrency`` audits in flight until ``audits`` are done and reports latency
percentiles and throughput. Nothing here starts a server.
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from cxr_auditor.core.audit import DraftRead, ImageRead, run_audit
from cxr_auditor.core.schemas import AuditResult, Finding, Mention

DEFAULT_DRAFT = "No acute cardiopulmonary abnormality. Small left pleural effusion."


@dataclass
class AuditOutcome:
    seconds: float
    served: bool  # both models answered
    parsed: bool  # both answers were usable (not unparseable)
    result: AuditResult | None = None
    error: str | None = None


@dataclass(frozen=True)
class FixedReader:
    """A DraftReader that returns a read made beforehand (the parser's reply)."""

    read_result: DraftRead

    def read(self, text: str) -> DraftRead:
        return self.read_result


def audit_from_replies(
    draft: str, image_bytes: bytes, grounder: Any, parser: Any, started: float
) -> AuditOutcome:
    """The audit of two model replies (``identity``, ``items``, ``account``), as the client does:
    an unparseable parser answer falls back to the rule parser, the grounder's stays visible."""
    from cxr_auditor.serving.client import fallback_read

    try:
        image = ImageRead(
            grounder.identity, [Finding.model_validate(i) for i in grounder.items], grounder.account
        )
        if parser.account.status == "unparseable":
            read = fallback_read(draft, f"output unparseable ({parser.account.error})")
        else:
            read = DraftRead(
                parser.identity, [Mention.model_validate(i) for i in parser.items], parser.account
            )
    except ValueError as error:
        return AuditOutcome(
            time.perf_counter() - started, True, False, error=f"reply has invalid items: {error}"
        )
    result = run_audit(draft, image, FixedReader(read), image_bytes=image_bytes)
    parsed = result.image_evaluated and parser.account.status != "unparseable"
    reasons = [
        f"{name}: {account.error}"
        for name, account in (("grounder", grounder.account), ("draft_parser", parser.account))
        if account.status == "unparseable"
    ]
    return AuditOutcome(
        time.perf_counter() - started, True, parsed, result, "; ".join(reasons) or None
    )


def triton_audit(backend: Any, image_bytes: bytes, draft: str) -> AuditOutcome:
    """One audit through ``backend`` (a ``serving.client.TritonBackend``); never raises."""
    from cxr_auditor.serving.client import TritonCallError

    started = time.perf_counter()
    try:
        grounder = backend.infer_grounder(image_bytes)
        parser = backend.infer_parser(draft)
    except TritonCallError as error:
        return AuditOutcome(time.perf_counter() - started, False, False, error=error.reason)
    return audit_from_replies(draft, image_bytes, grounder, parser, started)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class LoadResult:
    concurrency: int
    audits: int
    served: int
    parsed: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    audits_per_s: float
    wall_s: float
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_load(audit: Callable[[], AuditOutcome], concurrency: int, audits: int) -> LoadResult:
    """``audits`` audits with ``concurrency`` in flight; latency of every audit, served or not."""
    if concurrency < 1 or audits < 1:
        raise ValueError(f"concurrency ({concurrency}) and audits ({audits}) must be at least 1")
    outcomes: list[AuditOutcome] = []
    lock = threading.Lock()

    def one(_: int) -> None:
        outcome = audit()
        with lock:
            outcomes.append(outcome)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(audits)))
    wall = time.perf_counter() - started
    ms = [o.seconds * 1000 for o in outcomes]
    errors = sorted({o.error for o in outcomes if o.error})[:5]
    return LoadResult(
        concurrency,
        audits,
        sum(o.served for o in outcomes),
        sum(o.parsed for o in outcomes),
        round(percentile(ms, 50), 1),
        round(percentile(ms, 95), 1),
        round(percentile(ms, 99), 1),
        round(statistics.fmean(ms), 1),
        round(audits / wall, 3),
        round(wall, 3),
        errors,
    )


def flag_lines(result: AuditResult) -> list[str]:
    """One line per flag and note, for people reading a terminal."""
    lines = [
        f"  [{flag.kind}] {flag.label}"
        + (f" ({flag.reason})" if flag.reason else "")
        + (f" in_draft={str(flag.in_draft).lower()}" if flag.in_draft is not None else "")
        + f"  rule {flag.rule}"
        for flag in result.flags
    ]
    lines += [
        f"  note: {note.kind} {note.label or ''}  rule {note.rule}".rstrip()
        for note in result.notes
    ]
    return lines or ["  (no flags)"]
