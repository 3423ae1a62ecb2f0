"""The PRISMA 2020 flow diagram (new systematic reviews, databases and registers) drawn with
matplotlib: Identification, Screening and Included phases, main boxes on the left, the
records removed or excluded at each step on the right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class PrismaFlow:
    """Every number the diagram shows."""

    databases: tuple[tuple[str, int], ...]  # (database, records identified)
    registers: int
    duplicates: int
    automation: int
    removed_other: int
    screened: int
    screened_excluded: int
    sought: int
    not_retrieved: int
    assessed: int
    excluded_reasons: tuple[tuple[str, int], ...]  # full-text exclusions per reason
    included: int
    reports_included: int

    @property
    def identified(self) -> int:
        return sum(n for _, n in self.databases)


_PHASE_COLOUR = "#9cc3e6"
_HEADER_COLOUR = "#ffd966"
_BOX_EDGE = "#333333"


def _box(axes: Axes, x: float, y: float, width: float, height: float, text: str, *, size: float = 8.5,
         face: str = "white") -> None:
    from matplotlib.patches import Rectangle

    axes.add_patch(Rectangle((x, y), width, height, facecolor=face, edgecolor=_BOX_EDGE, linewidth=1))
    axes.text(x + 0.12, y + height - 0.12, text, ha="left", va="top", fontsize=size, linespacing=1.35, wrap=False)


def _arrow(axes: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    axes.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": _BOX_EDGE, "lw": 1.1,
                                                        "shrinkA": 0, "shrinkB": 0})


def _phase(axes: Axes, y: float, height: float, label: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    axes.add_patch(FancyBboxPatch((0.1, y + 0.05), 0.45, height - 0.1, boxstyle="round,pad=0,rounding_size=0.12",
                                  facecolor=_PHASE_COLOUR, edgecolor="none"))
    axes.text(0.325, y + height / 2, label, rotation=90, ha="center", va="center", fontsize=10, fontweight="bold")


_WRAP = 44  # characters of 8.5 pt text that fit a box


def _lines(title: str, items: Sequence[tuple[str, int]], indent: str = "  ") -> str:
    """The title, then one line per item "name (n = 3)", long names wrapped inside the box."""
    import textwrap

    lines = [title]
    for name, n in items:
        lines += textwrap.wrap(f"{name} (n = {n:,})", _WRAP, initial_indent=indent, subsequent_indent=indent * 2)
    return "\n".join(lines)


def _height(text: str, minimum: float) -> float:
    return max(minimum, 0.3 + 0.2 * (text.count("\n") + 1))


def prisma_figure(flow: PrismaFlow, *, title: str = "") -> Figure:
    """The flow diagram as a Figure (8 × ~10 inches); its height grows with databases and reasons."""
    from qualcode.viz.figure_files import new_figure

    databases = list(flow.databases) or [("Databases", 0)]
    ident = _lines(f"Records identified from:\nDatabases (n = {flow.identified:,})", databases)
    if flow.registers:
        ident += f"\nRegisters (n = {flow.registers:,})"
    reasons = list(flow.excluded_reasons)
    excluded_total = sum(n for _, n in reasons)
    excluded = _lines(f"Reports excluded (n = {excluded_total:,}):", reasons) if reasons else "Reports excluded\n(n = 0)"
    ident_h = _height(ident, 1.55)
    excl_h = _height(excluded, 0.75)
    row_h = 0.75
    gap = 0.45
    # Rows from the top: identification, screened, sought, assessed, included.
    heights = [ident_h, row_h, row_h, max(row_h, excl_h), 1.0]
    header_h = 0.55
    top_margin = (0.7 if title else 0.25) + header_h + gap
    total = sum(heights) + gap * (len(heights) - 1) + top_margin + 0.25
    figure = new_figure(8.0, total * 0.82 + 0.4)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 10)
    axes.set_ylim(0, total)
    axes.axis("off")
    if title:
        axes.text(5, total - 0.3, title, ha="center", va="center", fontsize=12, fontweight="bold")
    left_x, left_w, right_x, right_w = 0.8, 4.1, 5.6, 4.2
    tops: list[float] = []
    header_top = total - (0.7 if title else 0.25)
    _box(axes, left_x, header_top - header_h, right_x + right_w - left_x, header_h, "", face=_HEADER_COLOUR)
    axes.text((left_x + right_x + right_w) / 2, header_top - header_h / 2,
              "Identification of studies via databases and registers", ha="center", va="center", fontsize=10,
              fontweight="bold")
    y = total - top_margin
    for height in heights:
        tops.append(y)
        y -= height + gap
    bottoms = [top - h for top, h in zip(tops, heights, strict=True)]

    _box(axes, left_x, bottoms[0], left_w, heights[0], ident)
    _box(axes, right_x, bottoms[0], right_w, heights[0],
         "Records removed before screening:\n"
         f"  Duplicate records removed (n = {flow.duplicates:,})\n"
         f"  Records marked as ineligible\n  by automation tools (n = {flow.automation:,})\n"
         f"  Records removed for other\n  reasons (n = {flow.removed_other:,})")
    _box(axes, left_x, bottoms[1], left_w, heights[1], f"Records screened\n(n = {flow.screened:,})")
    _box(axes, right_x, bottoms[1], right_w, heights[1], f"Records excluded\n(n = {flow.screened_excluded:,})")
    _box(axes, left_x, bottoms[2], left_w, heights[2], f"Reports sought for retrieval\n(n = {flow.sought:,})")
    _box(axes, right_x, bottoms[2], right_w, heights[2], f"Reports not retrieved\n(n = {flow.not_retrieved:,})")
    _box(axes, left_x, bottoms[3], left_w, heights[3], f"Reports assessed for eligibility\n(n = {flow.assessed:,})")
    _box(axes, right_x, bottoms[3], right_w, heights[3], excluded)
    _box(axes, left_x, bottoms[4], left_w, heights[4],
         f"Studies included in review\n(n = {flow.included:,})\nReports of included studies\n"
         f"(n = {flow.reports_included:,})")
    centre = left_x + left_w / 2
    for upper, lower in zip(range(4), range(1, 5), strict=True):
        _arrow(axes, (centre, bottoms[upper]), (centre, tops[lower]))
    for row in range(4):
        middle = bottoms[row] + heights[row] / 2
        _arrow(axes, (left_x + left_w, middle), (right_x, middle))
    _phase(axes, bottoms[0], heights[0], "Identification")
    _phase(axes, bottoms[3], tops[1] - bottoms[3], "Screening")
    _phase(axes, bottoms[4], heights[4], "Included")
    return figure
