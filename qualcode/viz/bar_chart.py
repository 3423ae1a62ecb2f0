"""Horizontal bar charts of frequencies (words, codings), one series or stacked by group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualcode.viz.figure_files import new_figure, shorten

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Colour-blind-safe qualitative palette (Okabe & Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Sequence[float]] | Sequence[float],
    *,
    title: str,
    value_label: str,
    groups: Sequence[str] = (),
    subtitle: str = "",
) -> Figure:
    """Bars in the order given, the first at the top, each ending with its total. With
    `groups`, `values[i]` holds one value per group and the bars are stacked, with a legend."""
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    rows = len(labels)
    table = np.array(values, dtype=float).reshape(rows, max(1, len(groups)))
    names = [shorten(label, 28) for label in labels]
    height = max(2.2, 0.24 * rows + 1.3)
    legend_inches = (max((len(g) for g in groups), default=0) * 0.07 + 0.6) if groups else 0.0
    width = 6.4 + legend_inches
    figure = new_figure(width, height)
    label_inches = max((len(n) for n in names), default=4) * 0.07 + 0.25
    top_inches = 0.75 if subtitle else 0.55
    ax = figure.add_axes((label_inches / width, 0.5 / height, 1 - (label_inches + 0.7 + legend_inches) / width,
                          1 - (0.5 + top_inches) / height))
    positions = np.arange(rows)[::-1]
    left = np.zeros(rows)
    for index in range(table.shape[1]):
        colour = PALETTE[index % len(PALETTE)]
        ax.barh(positions, table[:, index], left=left, height=0.72, color=colour,
                label=groups[index] if groups else None, edgecolor="white", linewidth=0.4)
        left += table[:, index]
    ax.set_yticks(positions, names, fontsize=8)
    ax.set_ylim(-0.6, rows - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(value_label, fontsize=9)
    ax.set_xlim(0, max(1.0, float(left.max(initial=0))) * 1.1)
    ax.xaxis.grid(True, color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if groups:  # beside the plot, where it can never cover a bar
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    for position, total in zip(positions, left, strict=True):
        ax.text(total, position, f" {total:,.0f}", va="center", ha="left", fontsize=7, color="#333333")
    figure.text(label_inches / width, 1 - 0.3 / height, title, fontsize=11, fontweight="bold", va="center")
    if subtitle:
        figure.text(label_inches / width, 1 - 0.55 / height, subtitle, fontsize=7.5, color="#555555", va="center")
    return figure
