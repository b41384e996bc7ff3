"""Evaluation outputs: strict JSON, Markdown tables, plots (or why not), the progress bar."""

from __future__ import annotations

import builtins
import io
import json
import math

import pytest

from cxr_auditor.core.metrics import presence_metrics
from cxr_auditor.evaluation.plots import BarFigure, HistFigure, draw
from cxr_auditor.evaluation.progress import Progress, track
from cxr_auditor.evaluation.report import fmt, jsonable, md_table, text_table, write_outputs


@pytest.mark.parametrize(
    "value, expected",
    [
        (float("nan"), None),
        (float("inf"), None),
        ({"a": (1, 2.5)}, {"a": [1, 2.5]}),
        ({"s": {"b", "a"}}, {"s": ["a", "b"]}),
    ],
)
def test_jsonable_writes_undefined_ratios_as_null(value, expected):
    assert jsonable(value) == expected


def test_jsonable_reads_core_metric_models():
    report = presence_metrics([{"pneumothorax"}], [{"cardiomegaly"}])
    data = jsonable(report)
    assert data["per_label"]["pneumothorax"]["recall"] is None  # 0/0 is undefined, not 0 or 1
    assert math.isnan(report.per_label["pneumothorax"].recall)
    json.dumps(data, allow_nan=False)


@pytest.mark.parametrize(
    "value, shown", [(float("nan"), "n/a"), (None, "n/a"), (0.5, "0.500"), (3, "3")]
)
def test_fmt(value, shown):
    assert fmt(value) == shown


def test_tables_escape_and_align():
    md = md_table(["label", "F1"], [["a|b", 0.25]])
    assert md[2] == "| a\\|b | 0.250 |"
    text = text_table(["label", "F1"], [["effusion", 1.0], ["x", float("nan")]])
    lines = text.splitlines()
    assert len({len(line) for line in lines[:3]}) == 1 and lines[3].endswith("n/a")


FIGURES = [
    BarFigure("bars.png", "bars", ["a", "b"], {"P": [0.5, float("nan")], "R": [1.0, None]}),
    HistFigure("hist.png", "hist", [0.1, 0.2, float("nan"), 0.9], marks=[0.5]),
]


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.file)
def test_plots_are_drawn_as_png(figure, tmp_path):
    pytest.importorskip("matplotlib")
    assert draw(figure, tmp_path / figure.file) is None
    assert (tmp_path / figure.file).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_matplotlib_the_report_says_why(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("no matplotlib here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    from cxr_auditor.evaluation.report import embed

    paths = write_outputs(
        tmp_path, {"x": float("nan")}, FIGURES, lambda drawn: embed(FIGURES[0], drawn)
    )
    assert "not drawn: matplotlib is not installed" in paths["report"].read_text()
    summary = json.loads(paths["summary"].read_text())
    assert summary["x"] is None and "matplotlib" in summary["plots"]["bars.png"]
    assert not (tmp_path / "bars.png").exists()


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize(
    "stream_type, total, max_lines",
    [
        (io.StringIO, 1000, 11),  # a log file: one line per tenth
        (io.StringIO, 3, 4),
    ],
)
def test_progress_in_logs_is_short(stream_type, total, max_lines):
    stream = stream_type()
    assert list(track(range(total), total, "eval", stream=stream)) == list(range(total))
    lines = stream.getvalue().splitlines()
    assert 1 <= len(lines) <= max_lines and lines[-1].startswith(f"eval [{'#' * 24}] {total}/")


def test_progress_on_a_terminal_redraws_in_place():
    stream = FakeTerminal()
    with Progress(50, "eval", stream=stream, min_interval=0.0) as bar:
        for _ in range(50):
            bar.update()
    assert stream.getvalue().count("\n") == 1 and "\r" in stream.getvalue()
    assert "50/50 100%" in stream.getvalue()


def test_quiet_progress_writes_nothing():
    stream = io.StringIO()
    list(track(range(10), 10, "eval", stream=stream, enabled=False))
    assert stream.getvalue() == ""
