"""A square heatmap of node co-occurrence, readable at 5 nodes and at 60."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from qualcode.viz.figure_files import new_figure, shorten

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ANNOTATE_UP_TO = 24  # write the counts in the cells when there are at most this many nodes


def cooccurrence_heatmap(
    labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    title: str,
    value_label: str,
    subtitle: str = "",
    emphasise: Sequence[bool] = (),
) -> Figure:
    """Off-diagonal cells coloured by count; the diagonal (each node's own total) in grey.

    The colour scale is set by the off-diagonal counts only, so large totals on the
    diagonal do not wash out the co-occurrences; when a few cells dwarf the rest (themes
    next to their own codes) the scale is a square-root one so small counts still show.
    Labels marked in `emphasise` (e.g. themes above code level) are set in bold.
    """
    import numpy as np
    from matplotlib.colors import ListedColormap, Normalize, PowerNorm

    size = len(labels)
    values = np.array(counts, dtype=float).reshape(size, size)
    off = values.copy()
    np.fill_diagonal(off, np.nan)
    finite = off[np.isfinite(off)]
    top = max(1.0, float(finite.max()) if finite.size else 1.0)
    names = [shorten(label) for label in labels]
    label_inches = max((len(n) for n in names), default=4) * 0.075 + 0.3
    cell = max(0.2, min(0.55, 8.0 / max(size, 1)))
    font = 9 if size <= 20 else 7 if size <= 40 else 6
    width = label_inches + cell * size + 1.4
    height = label_inches + cell * size + 0.9
    figure = new_figure(width, height)
    left, bottom = label_inches / width, label_inches / height
    ax = figure.add_axes((left, bottom, cell * size / width, cell * size / height))
    colours = ListedColormap(np.vstack([[1, 1, 1, 1], _blues(255)]))
    positive = finite[finite > 0]
    skewed = positive.size > 0 and top > 20 * float(np.median(positive))
    norm = PowerNorm(gamma=0.5, vmin=0, vmax=top) if skewed else Normalize(vmin=0, vmax=top)
    # Vector cells (crisp in SVG and PDF) with white borders as the grid.
    edge = 0.8 if size <= 40 else 0.4
    image = ax.pcolormesh(np.ma.masked_invalid(off), cmap=colours, norm=norm, edgecolors="white", linewidth=edge)
    diagonal = np.full((size, size), np.nan)
    np.fill_diagonal(diagonal, 1.0)
    ax.pcolormesh(np.ma.masked_invalid(diagonal), cmap=ListedColormap(["#d9d9d9"]), vmin=0, vmax=1,
                  edgecolors="white", linewidth=edge)
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(size) + 0.5, names, rotation=55, ha="right", rotation_mode="anchor", fontsize=font)
    ax.set_yticks(np.arange(size) + 0.5, names, fontsize=font)
    ax.tick_params(which="both", length=0)
    for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
        for label, bold in zip(ticks, emphasise, strict=False):
            label.set_fontweight("bold" if bold else "normal")
    for spine in ax.spines.values():
        spine.set_visible(False)
    if size <= ANNOTATE_UP_TO:
        for i in range(size):
            for j in range(size):
                value = int(values[i, j])
                dark = i != j and norm(value) > 0.55
                ax.text(j + 0.5, i + 0.5, f"{value:,}", ha="center", va="center", fontsize=font - 1,
                        color="white" if dark else "#222222", style="italic" if i == j else "normal")
    bar_height = min(cell * size, 3.0)
    bar_axes = figure.add_axes((left + cell * size / width + 0.25 / width,
                                bottom + (cell * size - bar_height) / 2 / height, 0.16 / width, bar_height / height))
    colourbar = figure.colorbar(image, cax=bar_axes)
    if skewed:  # ticks evenly spaced along the bar, not crowded at its top
        colourbar.set_ticks(sorted({_round(top * f * f) for f in (0, 0.25, 0.5, 0.75, 1.0)}))
    colourbar.set_label(value_label + (" (square-root scale)" if skewed else ""), fontsize=8)
    colourbar.ax.tick_params(labelsize=7)
    colourbar.outline.set_visible(False)
    top_edge = (bottom * height + cell * size) / height
    figure.text(left, top_edge + 0.36 / height, title, fontsize=11, fontweight="bold", va="bottom")
    note = "Diagonal (grey): each node's own total."
    scope = f"Scope: {subtitle}. " if subtitle else ""
    figure.text(left, top_edge + 0.12 / height, scope + note, fontsize=7.5, color="#555555", va="bottom")
    return figure


def _round(value: float) -> int:
    """Round to two significant figures: 1,000 rather than 1,037."""
    if value < 10:
        return round(value)
    digits = len(str(int(value))) - 2
    return int(round(value, -digits))


def _blues(n: int) -> Any:
    """The 'Blues' scale without its near-white start, so 1 is visibly different from 0."""
    import numpy as np
    from matplotlib import colormaps

    return colormaps["Blues"](np.linspace(0.12, 1.0, n))
