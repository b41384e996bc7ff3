"""Triton faults during a batch of 100 audits: the server stopped, slowed past the timeout,
restarted.

A real CPU ``tritonserver`` (the ``replay`` runtime, so answers are well-formed and flags are real)
serves the grounder and the draft parser. 100 audits run through ``serving.client.TritonBackend``,
up to 8 in flight, one submitted every ``--pace`` seconds, while the server changes under them:

1. ``healthy`` (15 audits): the server answers at once;
2. ``stopping`` (10) then ``down`` (15): it is stopped gracefully (SIGTERM) while audits keep
   coming (it drains for up to ``EXIT_TIMEOUT_S``, then exits);
3. ``starting`` then ``slow`` (30): a server whose every batch takes ``--slow-ms``, longer than the
   client's timeout, is started on the same ports;
4. ``restarting`` then ``recovered`` (30): the slow server is killed (SIGKILL, a crash) with audits
   in flight, and a healthy one started on the same ports.

Each audit is labelled with the server's state when it started and must come back: ``ok`` (both
reads from the models) or ``degraded`` with its reason (image read failed: draft-only pass; draft
parser failed: the rule parser stood in, saying why). The script prints, per state, the counts and
the reasons, the slowest single call against the configured timeout, the slowest audit, and how
long after the healthy server was ready the first audit came back ok. It exits 1 when an audit
raised, came back degraded without a reason, or as ok while the server was down, when a call
outlasted the timeout by more than ``SLACK_S``, or when audits after the recovery are not all ok::

    python bench/triton_faults.py                        # both protocols, 100 audits each
    python bench/triton_faults.py --protocol grpc --timeout 1.5 --slow-ms 4000
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cxr_auditor.reliability.fuzz_common import machine, percentile, table

if TYPE_CHECKING:
    from cxr_auditor.core.audit import DraftRead
    from cxr_auditor.serving.launcher import TritonServer

WireProtocol = Literal["http", "grpc"]

EXIT_TIMEOUT_S = 3  # how long a stopping server drains (the launcher's default is 10 s)
SLACK_S = 0.75  # scheduling on a loaded 2-CPU machine; a hang would be seconds, not this
DRAFT = "Small left pleural effusion. No pneumothorax."
FINDINGS = '[{"label": "pleural_effusion", "box_2d": [0.62, 0.08, 0.88, 0.40]}]'  # patient's right
MENTIONS = (
    '[{"label": "pleural_effusion", "status": "present", "span": "Small left pleural '
    'effusion", "laterality": "left", "severity": "small"}, {"label": "pneumothorax", '
    '"status": "absent", "span": "No pneumothorax", "cue": "No"}]'
)
STATES = ("healthy", "stopping", "down", "starting", "slow", "restarting", "recovered")


def reason_class(reason: str) -> str:
    """A short class for a degradation reason (the full reason is kept with the audit)."""
    text = reason.lower()
    if "no answer within" in text:
        return "timeout"
    if "cannot reach" in text or "connect" in text:
        return "server unreachable"
    if "unavailable" in text or "not ready" in text or "not available" in text:
        return "server unavailable"
    return "other: " + reason[:60]


@dataclass
class Audit:
    index: int
    state: str
    started: float
    seconds: float = 0.0
    calls: list[float] = field(default_factory=list)  # seconds of the grounder and parser calls
    outcome: str = ""  # ok / degraded / raised
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def says_why(self) -> bool:
        """A failed image read is shown with its reason: the page's note quotes it."""
        image_reasons = [r for r in self.reasons if "grounder" in r]
        return all(any(r in note for note in self.notes) for r in image_reasons)


class Fleet:
    """The server on fixed ports: kill it, start another (healthy or slow), and say its state."""

    def __init__(self, work: Path, slow_ms: float) -> None:
        from cxr_auditor.serving.devserver import write_replay
        from cxr_auditor.serving.launcher import free_port
        from cxr_auditor.serving.repository import fill_repository

        self.work = work
        self.ports = {
            "http_port": free_port(),
            "grpc_port": free_port(),
            "metrics_port": free_port(),
        }
        self.repositories = {}
        for name, delay in (("healthy", 0.0), ("slow", slow_ms)):
            grounder = write_replay(
                work / f"grounder_{name}.json", [], default=FINDINGS, delay_ms=delay
            )
            parser = write_replay(
                work / f"parser_{name}.json",
                [(f"{DRAFT}$", MENTIONS)],
                default="[]",
                delay_ms=delay,
            )
            self.repositories[name] = fill_repository(
                {
                    "grounder_runtime": "replay",
                    "grounder_model": str(grounder),
                    "parser_runtime": "replay",
                    "parser_model": str(parser),
                },
                work / f"repo_{name}",
            )
        self.server: TritonServer | None = None
        self.state = "down"
        self.ready_at: dict[str, float] = {}
        self.lock = threading.Lock()

    def start(self, kind: str, label_while_starting: str, label_when_ready: str) -> None:
        from cxr_auditor.serving.launcher import start_server

        with self.lock:
            self.state = label_while_starting
        server = start_server(
            self.repositories[kind],
            http_port=self.ports["http_port"],
            grpc_port=self.ports["grpc_port"],
            metrics_port=self.ports["metrics_port"],
            log_path=self.work / f"{label_when_ready}.log",
            startup_timeout=120,
            extra_args=(f"--exit-timeout-secs={EXIT_TIMEOUT_S}",),
        )
        with self.lock:
            self.server, self.state = server, label_when_ready
            self.ready_at[label_when_ready] = time.monotonic()

    def kill(self, label: str) -> None:
        """SIGKILL the server and its model processes at once (a crash)."""
        with self.lock:
            server, self.server, self.state = self.server, None, label
        if server is not None:
            server.kill()
            server.stop(timeout=5)

    def stop(self, label_while_stopping: str, label_when_stopped: str) -> None:
        """SIGTERM: the server refuses new work, unloads its models and exits."""
        with self.lock:
            server, self.server, self.state = self.server, None, label_while_stopping
        if server is not None:
            server.stop()
        with self.lock:
            self.state = label_when_stopped

    def close(self) -> None:
        self.kill("down")


QUOTAS = (
    ("healthy", 0.15),
    ("stopping", 0.10),
    ("down", 0.15),
    ("slow", 0.30),
    ("recovered", 0.30),
)  # share of the audits submitted in each phase


def run_batch(
    protocol: WireProtocol,
    n: int = 100,
    timeout: float = 1.5,
    slow_ms: float = 4000,
    workers: int = 8,
    pace: float = 0.1,
    quiet: bool = False,
) -> tuple[list[Audit], dict[str, float]]:
    """``n`` audits with the server's faults in the middle; the audits and when states began.

    The main thread submits the audits, ``pace`` seconds apart, and changes the server between
    the phases' shares (``QUOTAS``): a graceful stop (in a helper thread, so audits keep coming
    while the server drains), a slow server, then a crash and a healthy restart. Servers are
    started from the main thread only: the launcher asks a server to die with the thread that
    started it (PR_SET_PDEATHSIG).
    """
    import io

    import numpy as np
    from PIL import Image

    from cxr_auditor.core.audit import run_audit
    from cxr_auditor.serving.client import TritonBackend

    buffer = io.BytesIO()
    Image.fromarray(np.zeros((48, 64), dtype=np.uint8)).save(buffer, "PNG")
    image = buffer.getvalue()
    counts = [round(n * share) for _, share in QUOTAS]
    counts[-1] = n - sum(counts[:-1])
    with tempfile.TemporaryDirectory(prefix="cxr-triton-faults-") as work:
        fleet = Fleet(Path(work), slow_ms)
        try:
            fleet.start("healthy", "starting", "healthy")
            address = f"127.0.0.1:{fleet.ports['http_port' if protocol == 'http' else 'grpc_port']}"
            client = TritonBackend(
                address,
                protocol,
                timeout_s=timeout,
                retries=1,
                backoff_s=0.1,
                max_concurrency=workers,
            )

            def audit(index: int) -> Audit:
                record = Audit(index, fleet.state, time.monotonic())
                try:
                    started = time.monotonic()
                    image_read = client.image_read(image)
                    record.calls.append(time.monotonic() - started)
                    reader = client.draft_reader()
                    started = time.monotonic()
                    draft_read = reader.read(DRAFT)
                    record.calls.append(time.monotonic() - started)
                    result = run_audit(DRAFT, image_read, _Fixed(draft_read), image_bytes=image)
                except Exception as error:
                    record.outcome, record.reasons = "raised", [f"{type(error).__name__}: {error}"]
                    record.seconds = time.monotonic() - record.started
                    return record
                record.seconds = time.monotonic() - record.started
                record.reasons = [
                    r
                    for r in (
                        result.grounder_account.error if not result.image_evaluated else None,
                        result.parser.fallback_reason,
                    )
                    if r
                ]
                record.notes = [
                    note.explanation
                    for note in result.notes
                    if note.kind in ("IMAGE_NOT_EVALUATED", "DRAFT_NOT_EVALUATED")
                ]
                model_read = result.image_evaluated and result.parser.kind == "model"
                record.outcome = "ok" if model_read and not record.reasons else "degraded"
                if not quiet:
                    reasons = "; ".join(reason_class(r) for r in record.reasons)
                    print(
                        f"  audit {index:3d} [{record.state:>10}] {record.outcome:8} "
                        f"{record.seconds:5.2f} s  {reasons}",
                        flush=True,
                    )
                return record

            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures: list[Future[Audit]] = []

                def submit(count: int, every: float = pace) -> None:
                    for _ in range(count):
                        futures.append(pool.submit(audit, len(futures)))
                        time.sleep(every)

                healthy, stopping, down, slow, recovered = counts
                submit(healthy)
                stopper = threading.Thread(target=fleet.stop, args=("stopping", "down"))
                stopper.start()
                submit(stopping)
                stopper.join()
                submit(down)
                fleet.start("slow", "starting", "slow")
                submit(slow, max(pace, 2 * timeout / workers))  # slow audits do not pile up
                fleet.kill("restarting")
                fleet.start("healthy", "restarting", "recovered")
                submit(recovered)
                audits = [future.result() for future in futures]
            client.close()
            return audits, dict(fleet.ready_at)
        finally:
            fleet.close()


class _Fixed:
    """A DraftReader that returns a read already made (so the parser call can be timed alone)."""

    def __init__(self, made: DraftRead) -> None:
        self.made = made

    def read(self, text: str) -> DraftRead:
        return self.made


def report(
    protocol: str, audits: list[Audit], ready_at: dict[str, float], timeout: float
) -> tuple[str, list[str]]:
    """The per-state table and the problems (empty when the run passes)."""
    problems: list[str] = []
    by_state: dict[str, list[Audit]] = defaultdict(list)
    for audit in audits:
        by_state[audit.state].append(audit)
    rows = []
    for state in STATES:
        group = by_state.get(state, [])
        if not group:
            continue
        outcomes = Counter(a.outcome for a in group)
        reasons = Counter(reason_class(r) for a in group for r in a.reasons)
        rows.append(
            [
                state,
                len(group),
                outcomes["ok"],
                outcomes["degraded"],
                outcomes["raised"],
                ", ".join(f"{k} {v}" for k, v in reasons.most_common()) or "-",
                max(max(a.calls, default=0.0) for a in group),
                max(a.seconds for a in group),
            ]
        )
    for audit in audits:
        if audit.outcome == "raised":
            problems.append(f"audit {audit.index} raised: {audit.reasons}")
        if audit.outcome == "degraded" and (not audit.reasons or not all(audit.reasons)):
            problems.append(f"audit {audit.index} degraded without a reason")
        if audit.outcome == "degraded" and not audit.says_why():
            problems.append(f"audit {audit.index}: the degraded pass does not say why on the page")
        if audit.state in ("down", "slow") and audit.outcome == "ok":
            problems.append(f"audit {audit.index} came back ok while the server was {audit.state}")
        if max(audit.calls, default=0.0) > timeout + SLACK_S:
            problems.append(
                f"audit {audit.index}: a call took {max(audit.calls):.2f} s, over "
                f"the {timeout} s timeout"
            )
    recovered = [a for a in audits if a.state == "recovered"]
    first_ok = min((a.started + a.seconds for a in recovered if a.outcome == "ok"), default=None)
    if not recovered or any(a.outcome != "ok" for a in recovered):
        problems.append(
            f"after the restart {sum(a.outcome != 'ok' for a in recovered)} of "
            f"{len(recovered)} audits were not ok"
        )
    recovery = (
        f"{first_ok - ready_at['recovered']:.2f} s"
        if first_ok and "recovered" in ready_at
        else "never"
    )
    calls = [c for a in audits for c in a.calls]
    text = (
        f"{protocol.upper()}: {len(audits)} audits, client timeout {timeout:.1f} s per call "
        f"(retries included), 1 retry\n"
        + table(
            [
                "server state at start",
                "audits",
                "ok",
                "degraded",
                "raised",
                "degradation reasons",
                "slowest call s",
                "slowest audit s",
            ],
            rows,
        )
        + f"\nslowest call {max(calls):.2f} s vs timeout {timeout:.1f} s; call p50 "
        f"{percentile(calls, 50) * 1000:.0f} ms, p99 {percentile(calls, 99):.2f} s; first ok "
        f"audit {recovery} after the restarted server was ready; "
        f"{sum(a.outcome == 'ok' for a in recovered)}/{len(recovered)} audits ok after recovery"
    )
    return text, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--protocol", choices=("http", "grpc", "both"), default="both")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=1.5, help="client timeout per call, s")
    parser.add_argument("--slow-ms", type=float, default=4000, help="slow server: delay per batch")
    parser.add_argument("--workers", type=int, default=8, help="audits in flight")
    parser.add_argument("--pace", type=float, default=0.1, help="seconds between audit starts")
    parser.add_argument("--quiet", action="store_true", help="no line per audit")
    args = parser.parse_args(argv)
    protocols: tuple[WireProtocol, ...] = (
        ("http", "grpc") if args.protocol == "both" else (args.protocol,)
    )
    failed = False
    print(
        f"Triton faults: real tritonserver (replay runtime) on {machine()}; {args.n} audits, "
        f"one submitted every {args.pace} s, up to {args.workers} in flight; the server is "
        f"stopped, slowed ({args.slow_ms:.0f} ms per batch), killed and restarted"
    )
    for protocol in protocols:
        started = time.monotonic()
        audits, ready_at = run_batch(
            protocol, args.n, args.timeout, args.slow_ms, args.workers, args.pace, args.quiet
        )
        text, problems = report(protocol, audits, ready_at, args.timeout)
        print(f"\n{text}\n({time.monotonic() - started:.0f} s)")
        for problem in problems[:10]:
            print(f"FAIL {problem}")
        failed = failed or bool(problems)
    print("\nPASS" if not failed else "\nFAIL")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
