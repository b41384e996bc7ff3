"""Triton stopped, slowed and restarted during a batch of audits: bench/triton_faults.py, smaller.

A real tritonserver on the replay runtime; 40 audits per protocol while the server is stopped
gracefully, replaced by one slower than the client's timeout, killed and restarted on the same
ports. Every audit must come back (ok, or degraded with its reason shown in the audit's note), no
call may outlast the timeout, and every audit after the restart must be ok.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import require_extras

ROOT = Path(__file__).resolve().parents[1]

require_extras("tritonclient", "pytriton", extra="serving")  # fails instead of skipping in CI

from cxr_auditor.reliability.triton_faults import reason_class, report, run_batch

pytestmark = pytest.mark.slow
TIMEOUT = 1.0


@pytest.mark.parametrize("protocol", ["http", "grpc"])
def test_a_batch_survives_stop_slowdown_crash_and_restart(protocol: str) -> None:
    audits, ready_at = run_batch(
        protocol, n=40, timeout=TIMEOUT, slow_ms=2500, workers=8, pace=0.04, quiet=True
    )
    text, problems = report(protocol, audits, ready_at, TIMEOUT)
    assert problems == [], text
    states = {a.state for a in audits}
    assert {"healthy", "down", "slow", "recovered"} <= states, text
    assert all(a.outcome == "ok" for a in audits if a.state == "healthy"), text
    down = [a for a in audits if a.state == "down"]
    assert down and all(a.outcome == "degraded" and a.reasons for a in down), text
    assert "server unreachable" in {reason_class(r) for a in down for r in a.reasons}, text
    slow = [a for a in audits if a.state == "slow"]
    assert any("timeout" in {reason_class(r) for r in a.reasons} for a in slow), text
    assert max(c for a in audits for c in a.calls) < TIMEOUT + 0.75
