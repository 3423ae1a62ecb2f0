"""Layout of the programme-theory diagram, in points: which statement boxes each panel has
(a statement shared by configurations is one box), the order of boxes in each column
(fewest arrow crossings), and where they sit (no overlaps, near the boxes they connect).
Text is measured from the font's glyph advances and wrapped to fit its box."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qualcode.domain.cmo import starts_with_connective


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
class Box:
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
class PanelLayout:
    panel: TheoryPanel
    boxes: list[Box]
    edges: dict[tuple[int, int], set[str]]  # (box index, box index) -> statuses
    body_height: float


def box_width(columns: int) -> float:
    """Boxes share the page width of a panel with `columns` role columns."""
    return (PAGE_WIDTH - 2 * MARGIN - (columns - 1) * COLUMN_GAP) / max(columns, 1)


def role_fill(token: str) -> str:
    return ROLE_FILLS.get(token.upper(), ROLE_FILLS.get(token[:1].upper(), OTHER_FILL))


def _key(text: str) -> str:
    return " ".join(text.split()).rstrip(".;, ").casefold()


def _display(text: str) -> str:
    """A statement as a box reads it: capitalised, unless it opens with a joining word
    ("and making them ...", "because ..."), which keeps the lower case the researcher wrote."""
    text = " ".join(text.split()).rstrip(".;, ")
    return text if starts_with_connective(text) else text[:1].upper() + text[1:]


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


class TextMeasure:
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


def build_panel(panel: TheoryPanel, box_width: float, measure: TextMeasure) -> PanelLayout:
    tokens = [token.lower() for token, _ in panel.roles]
    boxes: list[Box] = []
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
                boxes.append(Box(key, column, _display(statement), [], set()))
            box = boxes[index[key]]
            if config.label not in box.labels:
                box.labels.append(config.label)
            box.statuses.add(config.status)
            per_column[column].append(index[key])
        present = [i for i, ids in enumerate(per_column) if ids]
        for column in range(present[0] + 1, present[-1]) if present else ():
            if not per_column[column]:
                name = panel.roles[column][1]
                boxes.append(Box(("missing", f"{config.label}:{column}"), column, f"No {name} stated yet",
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
    return PanelLayout(panel, boxes, edges, body)


def _order_columns(boxes: list[Box], edges: dict[tuple[int, int], set[str]], columns: int) -> list[list[int]]:
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


def _crossings(order: list[list[int]], edges: list[tuple[int, int]], boxes: list[Box]) -> int:
    rank = {box: i for col in order for i, box in enumerate(col)}
    count = 0
    for i, (a, b) in enumerate(edges):
        for c, d in edges[i + 1:]:
            if boxes[a].column == boxes[c].column and a != c and b != d:
                count += (rank[a] < rank[c]) != (rank[b] < rank[d])
    return count


def _swap_to_reduce_crossings(order: list[list[int]], edges: list[tuple[int, int]], boxes: list[Box]) -> None:
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


def _place(boxes: list[Box], edges: dict[tuple[int, int], set[str]], columns: int) -> float:
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
