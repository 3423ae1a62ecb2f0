"""The programme-theory diagram: per concept, contexts -> mechanisms -> outcomes.

Each concept is a panel with one column per role of its template. A statement used by
several configurations is drawn once, with the configurations that use it listed under
it; arrows run from each configuration's statements in one role to its statements in the
next. Status is shown by colour and line style (print-safe). Text is measured with the
Agg renderer and wrapped to fit its box; boxes in a column are stacked without overlap.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.domain.errors import ValidationError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class TheoryConfiguration:
    label: str
    status: str
    statements: tuple[tuple[str, str], ...]  # (role token, statement)


@dataclass(frozen=True)
class TheoryPanel:
    concept: str
    roles: tuple[tuple[str, str], ...]  # (token, name) in causal order
    configurations: tuple[TheoryConfiguration, ...]
    subtitle: str = ""


@dataclass(frozen=True)
class ProgrammeTheory:
    title: str
    panels: tuple[TheoryPanel, ...]


@dataclass(frozen=True)
class StatusStyle:
    label: str
    color: str
    dashes: tuple[float, ...] | None  # None: solid
    width: float


# Okabe-Ito colours (colour-blind safe) and distinct dash patterns (safe in greyscale).
STATUS_STYLES = {
    "confirmed": StatusStyle("Confirmed", "#007a5a", None, 1.5),
    "refined": StatusStyle("Refined", "#0072b2", (6.0, 2.5), 1.3),
    "new": StatusStyle("New (from data)", "#c77c00", (6.0, 2.0, 1.5, 2.0), 1.3),
    "proposed": StatusStyle("Proposed", "#6e6e6e", (2.5, 2.0), 1.1),
    "refuted": StatusStyle("Refuted", "#d55e00", (1.0, 1.8), 1.4),
}
STATUS_RANK = {name: i for i, name in enumerate(STATUS_STYLES)}
ROLE_FILLS = {"C": "#e7f0f9", "M": "#fdf1dc", "O": "#e6f4ea"}
OTHER_FILL = "#f1f1f4"

FONT_FAMILY = ["DejaVu Sans"]  # ships with matplotlib: the same metrics everywhere
PAGE_WIDTH = 792.0  # points (11 in)
MARGIN = 24.0
COLUMN_GAP = 50.0
TEXT_SIZE = 8.5
LINE_HEIGHT = 10.8
LABEL_SIZE = 6.6
LABEL_LINE = 8.6
LEGEND_SIZE = 7.5
PAD = 6.0
BOX_GAP = 10.0
FORMATS = ("png", "svg", "pdf")
# Text is kept as text in SVG and PDF, and drawn at its outline widths in PNG (unhinted), so
# the measured wrapping holds in every format.
RC_PARAMS: dict[str, Any] = {"svg.fonttype": "none", "pdf.fonttype": 42, "font.family": FONT_FAMILY,
                             "text.hinting": "no_hinting"}


@dataclass
class _Box:
    key: tuple[str, str]
    column: int
    text: str
    labels: list[str]
    statuses: set[str]
    placeholder: bool = False
    lines: list[str] = field(default_factory=list)
    label_lines: list[str] = field(default_factory=list)
    height: float = 0.0
    top: float = 0.0

    @property
    def center(self) -> float:
        return self.top + self.height / 2

    @property
    def status(self) -> str:
        return min(self.statuses, key=lambda s: STATUS_RANK.get(s, 99)) if self.statuses else "proposed"


@dataclass
class _PanelLayout:
    panel: TheoryPanel
    boxes: list[_Box]
    edges: dict[tuple[int, int], set[str]]  # (box index, box index) -> statuses
    body_height: float


def box_width(columns: int) -> float:
    """Boxes share the page width of a panel with `columns` role columns."""
    return (PAGE_WIDTH - 2 * MARGIN - (columns - 1) * COLUMN_GAP) / max(columns, 1)


def _fill(token: str) -> str:
    return ROLE_FILLS.get(token.upper(), ROLE_FILLS.get(token[:1].upper(), OTHER_FILL))


def _key(text: str) -> str:
    return " ".join(text.split()).rstrip(".;, ").casefold()


def _display(text: str) -> str:
    text = " ".join(text.split()).rstrip(".;, ")
    return text[:1].upper() + text[1:]


def label_list(labels: Sequence[str]) -> str:
    """'CMOC 1, 4, 5' for labels sharing a 'CMOC ' prefix, else the labels joined."""
    numbered = [re.fullmatch(r"(.*?)(\d+\w*)", label) for label in labels]
    prefixes = {m.group(1) for m in numbered if m}
    if labels and all(numbered) and len(prefixes) == 1:
        return next(iter(prefixes)) + ", ".join(m.group(2) for m in numbered if m)
    return ", ".join(labels)


def _no_hinting_flag() -> Any:
    from matplotlib import ft2font

    flags = getattr(ft2font, "LoadFlags", None)
    return flags.NO_HINTING if flags is not None else getattr(ft2font, "LOAD_NO_HINTING")  # noqa: B009


class _Measure:
    """Text widths in points from the font's glyph advances (cached per character)."""

    def __init__(self) -> None:
        self._advances: dict[tuple[float, str, str], dict[str, float]] = {}
        self._flag = _no_hinting_flag()

    def _font(self, size: float, style: Any, weight: str) -> Any:
        from matplotlib.font_manager import FontProperties, findfont, get_font

        font = get_font(findfont(FontProperties(family=FONT_FAMILY, style=style, weight=weight)))
        font.set_size(size, 72)
        return font

    def width(self, text: str, size: float, style: str = "normal", weight: str = "normal") -> float:
        advances = self._advances.setdefault((size, style, weight), {})
        missing = {c for c in text if c not in advances}
        if missing:
            font = self._font(size, style, weight)
            for char in missing:
                advances[char] = font.load_char(ord(char), flags=self._flag).linearHoriAdvance / 65536
        return sum(advances[c] for c in text)

    def wrap(self, text: str, width: float, size: float, style: str = "normal") -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            # Raster output hints glyphs a little wider than their outlines: keep a margin.
            if current and self.width(candidate, size, style) * 1.04 > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current] if current else lines


def _build_panel(panel: TheoryPanel, box_width: float, measure: _Measure) -> _PanelLayout:
    tokens = [token.lower() for token, _ in panel.roles]
    boxes: list[_Box] = []
    index: dict[tuple[str, str], int] = {}
    chains: list[tuple[str, list[list[int]]]] = []
    for config in panel.configurations:
        per_column: list[list[int]] = [[] for _ in tokens]
        for role, statement in config.statements:
            if role.lower() not in tokens or not statement.strip():
                continue
            column = tokens.index(role.lower())
            key = (role.lower(), _key(statement))
            if key not in index:
                index[key] = len(boxes)
                boxes.append(_Box(key, column, _display(statement), [], set()))
            box = boxes[index[key]]
            if config.label not in box.labels:
                box.labels.append(config.label)
            box.statuses.add(config.status)
            per_column[column].append(index[key])
        present = [i for i, ids in enumerate(per_column) if ids]
        for column in range(present[0] + 1, present[-1]) if present else ():
            if not per_column[column]:
                name = panel.roles[column][1]
                boxes.append(_Box(("missing", f"{config.label}:{column}"), column, f"No {name} stated yet",
                                  [config.label], {config.status}, placeholder=True))
                per_column[column].append(len(boxes) - 1)
        chains.append((config.status, per_column))
    edges: dict[tuple[int, int], set[str]] = {}
    for status, per_column in chains:
        for column in range(len(tokens) - 1):
            for a in per_column[column]:
                for b in per_column[column + 1]:
                    edges.setdefault((a, b), set()).add(status)
    inner = box_width - 2 * PAD
    for box in boxes:
        style = "italic" if box.placeholder else "normal"
        box.lines = measure.wrap(box.text, inner, TEXT_SIZE, style)
        box.label_lines = measure.wrap(label_list(box.labels), inner, LABEL_SIZE)
        box.height = 2 * PAD + len(box.lines) * LINE_HEIGHT + 2 + len(box.label_lines) * LABEL_LINE
    body = _place(boxes, edges, len(tokens))
    return _PanelLayout(panel, boxes, edges, body)


def _order_columns(boxes: list[_Box], edges: dict[tuple[int, int], set[str]], columns: int) -> list[list[int]]:
    """Box order per column, by barycentre sweeps to reduce arrow crossings."""
    order = [[i for i, b in enumerate(boxes) if b.column == c] for c in range(columns)]
    neighbours: dict[int, list[int]] = {i: [] for i in range(len(boxes))}
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    for _ in range(6):
        for sweep in (range(1, columns), range(columns - 2, -1, -1)):
            for c in sweep:
                rank = {box: i for col in order for i, box in enumerate(col)}
                side = c - 1 if sweep.step == 1 else c + 1

                def centre(box: int, side: int = side, rank: dict[int, int] = rank) -> float:
                    near = [rank[n] for n in neighbours[box] if boxes[n].column == side]
                    return sum(near) / len(near) if near else float(rank[box])

                order[c].sort(key=lambda box: (centre(box), rank[box]))
    _swap_to_reduce_crossings(order, list(edges), boxes)
    return order


def _crossings(order: list[list[int]], edges: list[tuple[int, int]], boxes: list[_Box]) -> int:
    rank = {box: i for col in order for i, box in enumerate(col)}
    count = 0
    for i, (a, b) in enumerate(edges):
        for c, d in edges[i + 1:]:
            if boxes[a].column == boxes[c].column and a != c and b != d:
                count += (rank[a] < rank[c]) != (rank[b] < rank[d])
    return count


def _swap_to_reduce_crossings(order: list[list[int]], edges: list[tuple[int, int]], boxes: list[_Box]) -> None:
    """Exchange neighbouring boxes while that removes arrow crossings."""
    best = _crossings(order, edges, boxes)
    improved = True
    while improved and best:
        improved = False
        for col in order:
            for i in range(len(col) - 1):
                col[i], col[i + 1] = col[i + 1], col[i]
                count = _crossings(order, edges, boxes)
                if count < best:
                    best, improved = count, True
                else:
                    col[i], col[i + 1] = col[i + 1], col[i]


def _fit(tops: list[float], heights: list[float], limit: float) -> list[float]:
    """Move boxes as little as possible so they keep their order, do not overlap and lie in [0, limit]."""
    n = len(tops)
    for i in range(n):
        floor = tops[i - 1] + heights[i - 1] + BOX_GAP if i else 0.0
        tops[i] = max(tops[i], floor)
    for i in range(n - 1, -1, -1):
        ceiling = (tops[i + 1] - BOX_GAP if i < n - 1 else limit) - heights[i]
        tops[i] = min(tops[i], ceiling)
    for i in range(n):
        tops[i] = max(tops[i], tops[i - 1] + heights[i - 1] + BOX_GAP if i else 0.0)
    return tops


def _place(boxes: list[_Box], edges: dict[tuple[int, int], set[str]], columns: int) -> float:
    order = _order_columns(boxes, edges, columns)
    stacked = [sum(boxes[i].height for i in col) + BOX_GAP * max(0, len(col) - 1) for col in order]
    height = max(stacked, default=0.0)
    tallest = max(range(columns), key=lambda c: stacked[c])
    neighbours: dict[int, list[int]] = {i: [] for i in range(len(boxes))}
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    placed = {tallest}
    top = 0.0
    for i in order[tallest]:
        boxes[i].top = top
        top += boxes[i].height + BOX_GAP
    sequence = list(range(tallest + 1, columns)) + list(range(tallest - 1, -1, -1))
    for rounds in range(3):
        for c in sequence if rounds == 0 else [c for c in range(columns) if c != tallest]:
            col = order[c]
            if not col:
                continue
            desired = []
            for i in col:
                near = [boxes[n].center for n in neighbours[i] if boxes[n].column in placed]
                desired.append((sum(near) / len(near) if near else height / 2) - boxes[i].height / 2)
            if not any(boxes[n].column in placed for i in col for n in neighbours[i]):
                offset = (height - stacked[c]) / 2
                desired = []
                for i in col:
                    desired.append(offset)
                    offset += boxes[i].height + BOX_GAP
            tops = _fit(desired, [boxes[i].height for i in col], height)
            for i, t in zip(col, tops, strict=True):
                boxes[i].top = t
            placed.add(c)
    return height


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


def _draw_panel(ax: Axes, layout: _PanelLayout, top: float, box_width: float) -> float:
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
                               facecolor="white" if box.placeholder else _fill(token),
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


def _draw_legend(ax: Axes, top: float, statuses: list[str], measure: _Measure) -> None:
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
    measure = _Measure()
    widths = [box_width(len(panel.roles)) for panel in theory.panels]
    layouts = [_build_panel(panel, width, measure) for panel, width in zip(theory.panels, widths, strict=True)]
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
    """Draw and write the diagram as PNG, SVG (text kept as text) or PDF; atomically."""
    from matplotlib import rc_context

    target = Path(path)
    fmt = target.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValidationError(f"Cannot draw the diagram as '{target.name}': use .png, .svg or .pdf.")
    if not target.parent.is_dir():
        raise ValidationError(f"Cannot write '{target.name}': the folder {target.parent} does not exist.")
    if not 50 <= dpi <= 1200:
        raise ValidationError(f"A resolution of {dpi} dpi is out of range (50-1200).")
    figure = draw_programme_theory(theory)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    save: Callable[[], None] = lambda: figure.savefig(temp, format=fmt, dpi=dpi, facecolor="white")
    try:
        with rc_context(RC_PARAMS):  # type: ignore[arg-type]
            save()
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ValidationError(f"Cannot write '{target.name}': {exc.strerror or exc}.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target
