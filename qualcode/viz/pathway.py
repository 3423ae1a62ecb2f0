"""The programme theory as a realist paper prints it: the concepts as stages of a pathway
(enrolment → engagement → readiness → ...), in the researcher's order, down a rail on the
left; beside each stage its contexts, mechanisms and outcomes in columns, a statement that
several configurations share written once with their labels; status by the line style of
the rule beside each statement. The figure fits a journal page: text is never set below a
readable minimum; when it would not fit, a clear error suggests one concept per page.

All lengths are points, y downward. Text is measured from the font's glyph advances
(theory_layout.TextMeasure), so the layout is the same in PNG, SVG and PDF.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.domain.errors import ValidationError
from qualcode.viz.theory_layout import (
    FONT_FAMILY,
    RC_PARAMS,
    STATUS_RANK,
    STATUS_STYLES,
    TextMeasure,
    TheoryPanel,
    _display,
    _key,
    role_fill,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MIN_FONT = 7.0
MAX_FONT = 8.5
MARGIN = 8.0
COLUMN_GAP = 12.0
ARROW_ROOM = 12.0  # left of the columns: the pathway's arrows from stage to stage
RULE_INDENT = 5.0
ITEM_GAP = 2.5
STAGE_GAP = 7.0
STAGE_TITLE = 1.4  # the stage's title strip, in lines
LEADING = 1.15


class PageTooSmallError(ValidationError):
    """The pathway does not fit the page at the smallest text allowed."""


@dataclass(frozen=True)
class PathwayOptions:
    width: float = 7.0  # inches
    height: float = 9.0
    min_font: float = MIN_FONT
    title: str = ""


@dataclass
class _Item:
    text: str
    labels: list[str]
    statuses: set[str]
    lines: list[str] = field(default_factory=list)
    height: float = 0.0
    tag: str = ""  # the configurations stating it: "[1, 4]"

    @property
    def status(self) -> str:
        return min(self.statuses, key=lambda s: STATUS_RANK.get(s, 99)) if self.statuses else "proposed"


@dataclass
class _Stage:
    concept: str
    roles: tuple[tuple[str, str], ...]
    columns: list[list[_Item]]
    height: float = 0.0


@dataclass
class PathwayLayout:
    width: float
    height: float
    font: float
    column_widths: list[float]
    roles: tuple[tuple[str, str], ...]
    stages: list[_Stage]
    title_lines: list[str]
    legend: list[str]
    label_prefix: str


def _family(token: str) -> str:
    """The column a role belongs to: C, M or O by its first letter (Mres and Mreas are
    mechanisms), other roles by their own token."""
    head = token[:1].upper()
    return head if head in ("C", "M", "O") else token


def _stages(panels: Sequence[TheoryPanel]) -> tuple[tuple[tuple[str, str], ...], list[_Stage]]:
    """One stage per concept (panels of one concept under different templates join), the
    role columns shared by every stage, and each stage's statements; a statement several
    configurations share is one item."""
    roles: list[tuple[str, str]] = []
    for panel in panels:
        for token, name in panel.roles:
            family = _family(token)
            if family not in [r[0] for r in roles]:
                roles.append((family, {"C": "context", "M": "mechanism", "O": "outcome"}.get(family, name)))
    order = {"C": 0, "M": 1, "O": 2}
    roles.sort(key=lambda r: order.get(r[0], 1.5))
    index = {token: i for i, (token, _name) in enumerate(roles)}
    stages: dict[str, _Stage] = {}
    found: dict[tuple[str, int, str], _Item] = {}
    for panel in panels:
        stage = stages.setdefault(panel.concept, _Stage(panel.concept, tuple(roles), [[] for _ in roles]))
        for config in panel.configurations:
            for role, statement in config.statements:
                if not statement.strip():
                    continue
                column = index[_family(role)]
                key = (panel.concept, column, _key(statement))
                item = found.get(key)
                if item is None:
                    item = found[key] = _Item(_display(statement), [], set())
                    stage.columns[column].append(item)
                if config.label not in item.labels:
                    item.labels.append(config.label)
                item.statuses.add(config.status)
    return tuple(roles), list(stages.values())


def _label_prefix(stages: list[_Stage]) -> str:
    """'CMOC ' when every label is 'CMOC <number>': the items then show only the numbers."""
    labels = [label for s in stages for c in s.columns for i in c for label in i.labels]
    matches = [re.fullmatch(r"(.*?)(\d+\w*)", label) for label in labels]
    prefixes = {m.group(1) for m in matches if m}
    return next(iter(prefixes)) if labels and all(matches) and len(prefixes) == 1 else ""


def _line_height(font: float) -> float:
    return font * LEADING


def layout_pathway(panels: Sequence[TheoryPanel], options: PathwayOptions,
                   measure: TextMeasure | None = None) -> PathwayLayout:
    """Place the stages at the largest font (from 8.5 pt down to the minimum) that fits the
    page, with column widths chosen for the least height; refuse with a clear message when
    even the minimum would not fit."""
    if not panels:
        raise ValidationError("There are no configurations to draw.")
    if options.min_font < 6:
        raise ValidationError("Keep the smallest text at 6 pt or more; journals ask for 7-8 pt.")
    if options.width < 3 or options.height < 3:
        raise ValidationError("Give a page of at least 3 × 3 inches.")
    measure = measure or TextMeasure()
    limit = options.height * 72 + 1e-6
    sizes = [MAX_FONT - 0.25 * i for i in range(int((MAX_FONT - options.min_font) / 0.25 + 1e-9) + 1)]
    smallest = _best_layout(panels, options, sizes[-1], measure)
    if smallest.height > limit:
        raise PageTooSmallError(
            f"The programme theory needs {smallest.height / 72:.1f} inches of height at {sizes[-1]:g} pt, more "
            f"than the {options.height:g} inches allowed: draw one concept per page, fewer concepts, or allow a "
            "taller figure.")
    # The largest size that fits (the height grows with the size): a binary search.
    low, high, best = 0, len(sizes) - 1, smallest
    while low < high:
        middle = (low + high) // 2
        candidate = _best_layout(panels, options, sizes[middle], measure)
        if candidate.height <= limit:
            best, high = candidate, middle
        else:
            low = middle + 1
    return best if best.font == sizes[low] else _best_layout(panels, options, sizes[low], measure)


def _best_layout(panels: Sequence[TheoryPanel], options: PathwayOptions, font: float,
                 measure: TextMeasure) -> PathwayLayout:
    """The layout whose column widths give the least height (the widths are shared by every
    stage, so the columns line up down the page): a coordinate search over the columns'
    shares, widening one column at a time while the figure gets shorter."""
    roles, _ = _stages(panels)
    weights = [1.0] * len(roles)

    def build(candidate: list[float]) -> PathwayLayout:
        total = sum(candidate)
        return _layout(panels, options, font, measure, [w / total for w in candidate])

    best = build(weights)
    for _round in range(4):
        improved = False
        for column in range(len(roles)):
            for factor in (1.25, 1.1, 0.9, 0.8):
                candidate = list(weights)
                candidate[column] *= factor
                layout = build(candidate)
                if layout.height < best.height - 0.5:
                    best, weights, improved = layout, candidate, True
                    break
        if not improved:
            break
    return best


def _layout(panels: Sequence[TheoryPanel], options: PathwayOptions, font: float, measure: TextMeasure,
            shares: Sequence[float]) -> PathwayLayout:
    width = options.width * 72
    roles, stages = _stages(panels)
    prefix = _label_prefix(stages)
    usable = width - 2 * MARGIN - ARROW_ROOM - (len(roles) - 1) * COLUMN_GAP
    column_widths = [usable * share for share in shares]
    line = _line_height(font)
    for stage in stages:
        heights = []
        for items, column_width in zip(stage.columns, column_widths, strict=True):
            text_width = column_width - RULE_INDENT
            total = 0.0
            for item in items:
                numbers = [label[len(prefix):] for label in item.labels] if prefix else item.labels
                item.tag = f"[{', '.join(numbers)}]"
                item.lines = _wrap(measure, f"{item.text} {item.tag}", text_width, font)
                item.height = len(item.lines) * line
                total += item.height
            heights.append(total + ITEM_GAP * max(len(items) - 1, 0))
        body = max(heights, default=0.0)
        stage.height = STAGE_TITLE * line + body
    title_lines = measure.wrap(options.title, width - 2 * MARGIN, font + 2) if options.title else []
    used = sorted({c.status for p in panels for c in p.configurations if c.status in STATUS_STYLES},
                  key=STATUS_RANK.__getitem__)
    legend = _legend_rows(used, width - 2 * MARGIN, font, measure)
    note_lines = measure.wrap(_note(prefix), width - 2 * MARGIN, font)
    height = MARGIN + len(title_lines) * _line_height(font + 2) + (4 if title_lines else 0)
    height += line + 4  # the column headers
    height += sum(s.height for s in stages) + STAGE_GAP * (len(stages) - 1)
    height += 6 + (len(legend) + len(note_lines)) * (line + 1) + MARGIN
    return PathwayLayout(width, height, font, column_widths, roles, stages, title_lines, legend, prefix)


_WRAPS: dict[tuple[str, float, float], list[str]] = {}


def _wrap(measure: TextMeasure, text: str, width: float, font: float) -> list[str]:
    """`measure.wrap`, remembered: the width search wraps the same statements many times."""
    key = (text, round(width, 2), font)
    if key not in _WRAPS:
        if len(_WRAPS) > 50_000:
            _WRAPS.clear()
        _WRAPS[key] = measure.wrap(text, width, font)
    return list(_WRAPS[key])


def _note(prefix: str) -> str:
    what = f"the configurations ({prefix.strip() or 'labels'})" if prefix else "the configurations"
    return f"Numbers in brackets: {what} that state each statement; a statement they share is written once."


def _legend_rows(statuses: list[str], width: float, font: float, measure: TextMeasure) -> list[str]:
    """The status legend in rows that fit the width: each row a '|'-joined list of statuses."""
    rows: list[list[str]] = [[]]
    used = measure.width("Status:", font) + 8
    for status in statuses:
        need = 30 + measure.width(STATUS_STYLES[status].label, font) + 14
        if rows[-1] and used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(status)
        used += need
    return ["|".join(r) for r in rows if r]


def _rule(ax: Axes, x: float, top: float, bottom: float, status: str) -> None:
    from matplotlib.lines import Line2D

    style = STATUS_STYLES.get(status, STATUS_STYLES["proposed"])
    line = Line2D([x, x], [top, bottom], color=style.color, linewidth=style.width + 0.4, solid_capstyle="butt",
                  dash_capstyle="butt")
    if style.dashes:
        line.set_dashes(style.dashes)
    ax.add_line(line)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], colour: str = "#6b6b6b") -> None:
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, color=colour, linewidth=1.0,
                                 shrinkA=0, shrinkB=0))


def draw_pathway(layout: PathwayLayout) -> Figure:
    """A matplotlib Figure of the laid-out pathway (no pyplot state)."""
    from matplotlib import rc_context
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Rectangle

    from qualcode.viz.figure_files import new_figure

    font, line = layout.font, _line_height(layout.font)
    measure = TextMeasure()
    with rc_context({"font.family": FONT_FAMILY}):
        figure = new_figure(layout.width / 72, layout.height / 72)
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, layout.width)
        ax.set_ylim(layout.height, 0)
        ax.axis("off")
        y = MARGIN
        for text in layout.title_lines:
            ax.text(MARGIN, y, text, fontsize=font + 2, fontweight="bold", va="top", ha="left", color="#111111")
            y += _line_height(font + 2)
        y += 4 if layout.title_lines else 0
        left = MARGIN + ARROW_ROOM
        column_x = [left + sum(layout.column_widths[:c]) + c * COLUMN_GAP for c in range(len(layout.roles))]
        for c, (token, name) in enumerate(layout.roles):
            ax.text(column_x[c], y, f"{name[:1].upper()}{name[1:]} ({token})", fontsize=font, va="top",
                    ha="left", fontweight="bold", color="#333333")
        y += line + 4
        right = column_x[-1] + layout.column_widths[-1]
        previous: float | None = None
        for number, stage in enumerate(layout.stages, start=1):
            top = y
            strip = STAGE_TITLE * line
            ax.add_patch(FancyBboxPatch((MARGIN, top), right - MARGIN, strip - 2,
                                        boxstyle="round,pad=0,rounding_size=3", facecolor="#e3e9f1",
                                        edgecolor="#5b6b80", linewidth=0.8))
            ax.text(MARGIN + 6, top + (strip - 2) / 2, f"{number}. {stage.concept}", fontsize=font + 0.5,
                    fontweight="bold", va="center", ha="left", color="#1b2a3d")
            if previous is not None:  # the pathway: from the last stage's body to this stage's strip
                _arrow(ax, (MARGIN + ARROW_ROOM / 2, previous), (MARGIN + ARROW_ROOM / 2, top - 0.5), "#5b6b80")
            body_top = top + strip
            body = stage.height - strip
            for c, items in enumerate(stage.columns):
                x = column_x[c]
                ax.add_patch(Rectangle((x - 2, body_top), layout.column_widths[c] + 2, body,
                                       facecolor=role_fill(layout.roles[c][0]), edgecolor="none", zorder=0))
                item_top = body_top + 1
                for item in items:
                    _rule(ax, x + 0.5, item_top + 1, item_top + item.height - 1, item.status)
                    for i, text in enumerate(item.lines):
                        tagged = i == len(item.lines) - 1 and text.endswith(item.tag)
                        words = text[: len(text) - len(item.tag)].rstrip() if tagged else text
                        artist = ax.text(x + RULE_INDENT, item_top + i * line, words, fontsize=font, va="top",
                                         ha="left", color="#111111")
                        if tagged:
                            # Raster text runs a little wider than its outline: keep the tag clear of it.
                            offset = measure.width(words, font) * 1.04 + measure.width(" ", font) if words else 0.0
                            ax.text(x + RULE_INDENT + offset, item_top + i * line, item.tag, fontsize=font,
                                    va="top", ha="left", color="#666666")
                        del artist
                    item_top += item.height + ITEM_GAP
                if c + 1 < len(stage.columns):
                    mid = body_top + body / 2
                    _arrow(ax, (x + layout.column_widths[c] + 1.5, mid), (column_x[c + 1] - 3, mid))
            previous = top + stage.height
            y = top + stage.height + STAGE_GAP
        y += 6 - STAGE_GAP
        for r, row in enumerate(layout.legend):
            x = MARGIN
            if r == 0:
                ax.text(x, y + line / 2, "Status:", fontsize=font, va="center", ha="left", fontweight="bold",
                        color="#333333")
            x += measure.width("Status:", font, weight="bold") + 8
            for status in row.split("|"):
                style = STATUS_STYLES[status]
                sample = Line2D([x, x + 24], [y + line / 2, y + line / 2], color=style.color,
                                linewidth=style.width + 0.4)
                if style.dashes:
                    sample.set_dashes(style.dashes)
                ax.add_line(sample)
                ax.text(x + 30, y + line / 2, style.label, fontsize=font, va="center", ha="left", color="#333333")
                x += 30 + measure.width(style.label, font) + 14
            y += line + 1
        for text in measure.wrap(_note(layout.label_prefix), layout.width - 2 * MARGIN, font):
            ax.text(MARGIN, y, text, fontsize=font, va="top", ha="left", color="#444444")
            y += line + 1
    return figure


def save_pathway(panels: Sequence[TheoryPanel], path: str | Path, options: PathwayOptions, *,
                 dpi: int = 300, layout: PathwayLayout | None = None) -> Path:
    """Lay out (unless `layout` is given), draw and write the pathway as PNG, SVG (text kept
    as text) or PDF."""
    from matplotlib import rc_context

    from qualcode.viz.figure_files import FIGURE_FORMATS, save_figure

    if Path(path).suffix.lower() not in FIGURE_FORMATS:
        raise ValidationError(f"Cannot draw the programme theory as '{Path(path).name}': use .png, .svg or .pdf.")
    figure = draw_pathway(layout or layout_pathway(panels, options))
    with rc_context(RC_PARAMS):  # type: ignore[arg-type]
        return save_figure(figure, path, dpi=dpi, tight=False)  # exactly the page laid out
