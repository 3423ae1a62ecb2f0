"""The programme-theory diagram: per concept, contexts -> mechanisms -> outcomes.

Each concept is a panel with one column per role of its template. A statement used by
several configurations is drawn once, with the configurations that use it listed under
it; arrows run from each configuration's statements in one role to its statements in the
next. Status is shown by colour and line style (print-safe). The layout (wrapped text,
box order and positions) comes from theory_layout; this module draws and saves it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.domain.errors import ValidationError
from qualcode.viz.theory_layout import (
    COLUMN_GAP,
    FONT_FAMILY,
    LABEL_LINE,
    LABEL_SIZE,
    LEGEND_SIZE,
    LINE_HEIGHT,
    MARGIN,
    PAD,
    PAGE_WIDTH,
    RC_PARAMS,
    STATUS_RANK,
    STATUS_STYLES,
    TEXT_SIZE,
    PanelLayout,
    ProgrammeTheory,
    StatusStyle,
    TextMeasure,
    TheoryConfiguration,
    TheoryPanel,
    box_width,
    build_panel,
    label_list,
    role_fill,
)

__all__ = [
    "RC_PARAMS", "STATUS_STYLES", "ProgrammeTheory", "TheoryConfiguration", "TheoryPanel", "draw_programme_theory",
    "label_list", "save_programme_theory",
]

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _draw_line(ax: Axes, start: tuple[float, float], end: tuple[float, float], style: StatusStyle) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    (x0, y0), (x1, y1) = start, end
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-6)
    head = 6.0
    xh, yh = x1 - (x1 - x0) * head / length, y1 - (y1 - y0) * head / length
    line = Line2D([x0, xh], [y0, yh], color=style.color, linewidth=style.width, solid_capstyle="butt",
                  dash_capstyle="butt")
    if style.dashes:
        line.set_dashes(style.dashes)
    ax.add_line(line)
    ax.add_patch(FancyArrowPatch((xh - (x1 - x0) * 0.5 / length, yh - (y1 - y0) * 0.5 / length), (x1, y1),
                                 arrowstyle="-|>", mutation_scale=8, color=style.color, linewidth=0.8,
                                 shrinkA=0, shrinkB=0))


def _draw_panel(ax: Axes, layout: PanelLayout, top: float, box_width: float) -> float:
    from matplotlib.patches import FancyBboxPatch

    panel = layout.panel
    column_x = [MARGIN + c * (box_width + COLUMN_GAP) for c in range(len(panel.roles))]
    ax.text(MARGIN, top, panel.concept, fontsize=11.5, fontweight="bold", va="top", ha="left", color="#1b1b1b")
    if panel.subtitle:
        ax.text(PAGE_WIDTH - MARGIN, top + 2, panel.subtitle, fontsize=7.5, va="top", ha="right", color="#555555")
    ax.plot([MARGIN, PAGE_WIDTH - MARGIN], [top + 18, top + 18], color="#9a9a9a", linewidth=0.6)
    header_y = top + 24
    for c, (token, name) in enumerate(panel.roles):
        ax.text(column_x[c] + box_width / 2, header_y, f"{name[:1].upper()}{name[1:]} ({token})", fontsize=7.8,
                fontweight="bold", va="top", ha="center", color="#4a4a4a")
    body_top = header_y + 16
    boxes = layout.boxes
    out_edges: dict[int, list[int]] = {}
    in_edges: dict[int, list[int]] = {}
    for a, b in layout.edges:
        out_edges.setdefault(a, []).append(b)
        in_edges.setdefault(b, []).append(a)

    def port(box: int, others: list[int], other: int) -> float:
        ranked = sorted(others, key=lambda o: (boxes[o].center, o))
        span = min(boxes[box].height - 2 * PAD, 8.0 * len(ranked))
        fraction = (ranked.index(other) + 1) / (len(ranked) + 1)
        return body_top + boxes[box].center - span / 2 + span * fraction

    for (a, b), statuses in sorted(layout.edges.items(), key=lambda kv: -STATUS_RANK.get(
            min(kv[1], key=lambda s: STATUS_RANK.get(s, 99)), 99)):
        style = STATUS_STYLES.get(min(statuses, key=lambda s: STATUS_RANK.get(s, 99)), STATUS_STYLES["proposed"])
        start = (column_x[boxes[a].column] + box_width, port(a, out_edges[a], b))
        end = (column_x[boxes[b].column], port(b, in_edges[b], a))
        _draw_line(ax, start, end, style)
    for box in boxes:
        x, y = column_x[box.column], body_top + box.top
        style = STATUS_STYLES.get(box.status, STATUS_STYLES["proposed"])
        token = panel.roles[box.column][0]
        patch = FancyBboxPatch((x, y), box_width, box.height, boxstyle="round,pad=0,rounding_size=4",
                               facecolor="white" if box.placeholder else role_fill(token),
                               edgecolor="#8a8a8a" if box.placeholder else style.color,
                               linewidth=0.9 if box.placeholder else style.width)
        if box.placeholder or style.dashes:
            patch.set_linestyle((0, (3.0, 2.0)) if box.placeholder else (0, style.dashes or ()))
        ax.add_patch(patch)
        for i, line in enumerate(box.lines):
            ax.text(x + PAD, y + PAD + i * LINE_HEIGHT, line, fontsize=TEXT_SIZE, va="top", ha="left",
                    color="#6a6a6a" if box.placeholder else "#111111",
                    style="italic" if box.placeholder else "normal")
        label_top = y + PAD + len(box.lines) * LINE_HEIGHT + 2
        for i, line in enumerate(box.label_lines):
            ax.text(x + PAD, label_top + i * LABEL_LINE, line, fontsize=LABEL_SIZE, va="top", ha="left",
                    color="#5c5c5c")
    return body_top + layout.body_height


def _draw_legend(ax: Axes, top: float, statuses: list[str], measure: TextMeasure) -> None:
    heading = "Status of the configuration:"
    ax.text(MARGIN, top, heading, fontsize=LEGEND_SIZE, va="center", ha="left", color="#333333",
            fontweight="bold")
    x = MARGIN + measure.width(heading, LEGEND_SIZE, weight="bold") + 12
    for status in statuses:
        style = STATUS_STYLES[status]
        _draw_line(ax, (x, top), (x + 34, top), style)
        ax.text(x + 40, top, style.label, fontsize=LEGEND_SIZE, va="center", ha="left", color="#333333")
        x += 40 + measure.width(style.label, LEGEND_SIZE) + 18


def draw_programme_theory(theory: ProgrammeTheory) -> Figure:
    """A matplotlib Figure of the programme theory (no pyplot state)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    if not theory.panels:
        raise ValidationError("There are no configurations to draw.")
    measure = TextMeasure()
    widths = [box_width(len(panel.roles)) for panel in theory.panels]
    layouts = [build_panel(panel, width, measure) for panel, width in zip(theory.panels, widths, strict=True)]
    title_height = 30.0 if theory.title else 0.0
    panel_heights = [40 + layout.body_height + 26 for layout in layouts]
    height = MARGIN + title_height + sum(panel_heights) + 20 + MARGIN
    with rc_context({"font.family": FONT_FAMILY}):
        figure = Figure(figsize=(PAGE_WIDTH / 72, height / 72), dpi=72)
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, PAGE_WIDTH)
        ax.set_ylim(height, 0)
        ax.axis("off")
        y = MARGIN
        if theory.title:
            ax.text(MARGIN, y, theory.title, fontsize=14, fontweight="bold", va="top", ha="left")
            y += title_height
        for layout, panel_height, width in zip(layouts, panel_heights, widths, strict=True):
            _draw_panel(ax, layout, y, width)
            y += panel_height
        used = sorted({c.status for p in theory.panels for c in p.configurations if c.status in STATUS_STYLES},
                      key=STATUS_RANK.__getitem__)
        _draw_legend(ax, y + 4, used, measure)
    return figure


def save_programme_theory(theory: ProgrammeTheory, path: str | Path, *, dpi: int = 200) -> Path:
    """Draw and write the diagram as PNG, SVG (text kept as text) or PDF (fonts embedded)."""
    from matplotlib import rc_context

    from qualcode.viz.figure_files import FIGURE_FORMATS, save_figure

    if Path(path).suffix.lower() not in FIGURE_FORMATS:
        raise ValidationError(f"Cannot draw the diagram as '{Path(path).name}': use .png, .svg or .pdf.")
    figure = draw_programme_theory(theory)
    with rc_context(RC_PARAMS):  # type: ignore[arg-type]
        return save_figure(figure, path, dpi=dpi)
