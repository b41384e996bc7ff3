"""Plots for evaluation reports, drawn with matplotlib's Agg backend (no display needed).

Two kinds: grouped bars (one group per label, one bar per series, e.g. precision/recall/F1) and a
histogram (e.g. IoU of each expert box with its best predicted box). A figure is described by a
small dataclass first and drawn later, so evaluations stay free of plotting code and a report can
say why a plot is missing. matplotlib comes with the ``[eval]`` extra and is imported only here,
inside ``draw``. An undefined value (NaN, None) is drawn as a missing bar, never as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BarFigure:
    """Grouped bars: ``series[name][i]`` is the value of that series for ``groups[i]``."""

    file: str
    title: str
    groups: list[str]
    series: dict[str, list[float | None]]
    ylabel: str = ""
    ylim: tuple[float, float] | None = (0.0, 1.05)


@dataclass(frozen=True)
class HistFigure:
    """A histogram of ``values`` over ``bins`` equal bins between ``low`` and ``high``."""

    file: str
    title: str
    values: list[float]
    xlabel: str = ""
    bins: int = 20
    low: float = 0.0
    high: float = 1.0
    marks: list[float] = field(default_factory=list)  # vertical lines, e.g. IoU thresholds


Figure = BarFigure | HistFigure


def _defined(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def draw(figure: Figure, path: Path) -> str | None:
    """Draw ``figure`` into ``path`` (PNG); return None, or why it could not be drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[eval]')"
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    try:
        if isinstance(figure, BarFigure):
            _bars(ax, figure)
        else:
            _histogram(ax, figure)
        ax.set_title(figure.title)
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
    return None


def _bars(ax, figure: BarFigure) -> None:  # ax: matplotlib Axes
    n_series = max(1, len(figure.series))
    width = 0.8 / n_series
    for k, (name, values) in enumerate(figure.series.items()):
        xs = [i + (k - (n_series - 1) / 2) * width for i, v in enumerate(values) if _defined(v)]
        ys = [v for v in values if _defined(v)]
        ax.bar(xs, ys, width=width, label=name)
    ax.set_xticks(range(len(figure.groups)))
    ax.set_xticklabels(figure.groups, rotation=20, ha="right", fontsize=8)
    if figure.ylim:
        ax.set_ylim(*figure.ylim)
    ax.set_ylabel(figure.ylabel)
    if len(figure.series) > 1:
        ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)


def _histogram(ax, figure: HistFigure) -> None:
    values = [v for v in figure.values if _defined(v)]
    ax.hist(values, bins=figure.bins, range=(figure.low, figure.high), edgecolor="black")
    for mark in figure.marks:
        ax.axvline(mark, linestyle="--", color="gray")
    ax.set_xlabel(figure.xlabel)
    ax.set_ylabel("count")
    ax.text(0.99, 0.95, f"n = {len(values)}", transform=ax.transAxes, ha="right", va="top")
