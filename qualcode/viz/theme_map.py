"""Theme maps as matplotlib figures: a thematic network per global theme, a concept map of the
whole project, or a left-to-right tree.

Each theme is a box with its wrapped name (and, optionally, a count) inside; boxes are
sized from the measured text, so the layout can guarantee that no label touches another
label or box. Everything is drawn in inches on a bare Figure (no axes, no pyplot state).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level
from qualcode.viz.layout import Cluster, LayoutBox, pack, tree_layout, web_layout
from qualcode.viz.text_fit import font_families, one_line, warn_missing, wrap_label
from qualcode.viz.theme_map_data import ColourBy, MapLayout, MapLink, MapNode, MapOptions

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MARGIN = 0.12  # inches around the drawing
MEASURE_DPI = 300  # small type measured at screen resolution comes out narrower than it prints


@dataclass(frozen=True)
class LevelStyle:
    size: float  # points added to the base font size
    bold: bool
    fill: str
    text: str
    border: str
    line: float  # border width, points
    link: float  # width of the lines to this level's children, points
    link_color: str


_BY_LEVEL = {
    Level.GLOBAL: LevelStyle(3.0, True, "#1f3b57", "#ffffff", "#10243a", 1.2, 1.6, "#4d4d4d"),
    Level.ORGANISING: LevelStyle(1.0, True, "#4a78a6", "#ffffff", "#2f5a85", 1.0, 1.1, "#7a7a7a"),
    Level.BASIC: LevelStyle(0.0, False, "#e4eef7", "#111111", "#7d9fc2", 0.8, 0.8, "#a0a0a0"),
    Level.CODE: LevelStyle(-1.0, False, "#ffffff", "#333333", "#a6a6a6", 0.6, 0.6, "#b5b5b5"),
}
_GREY = {
    Level.GLOBAL: ("#262626", "#ffffff", "#000000"),
    Level.ORGANISING: ("#6b6b6b", "#ffffff", "#404040"),
    Level.BASIC: ("#ebebeb", "#000000", "#7f7f7f"),
    Level.CODE: ("#ffffff", "#000000", "#9a9a9a"),
}


def _luminance(colour: str) -> float:
    from matplotlib.colors import to_rgb

    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def style_of(node: MapNode, colour_by: ColourBy) -> LevelStyle:
    """How a node is drawn: its level's style, recoloured for node colours or grey print."""
    base = _BY_LEVEL[node.level]
    if colour_by is ColourBy.GREY:
        fill, text, border = _GREY[node.level]
    elif colour_by is ColourBy.NODE:
        from matplotlib.colors import to_hex, to_rgb

        fill = node.color
        text = "#ffffff" if _luminance(fill) < 0.35 else "#111111"
        r, g, b = to_rgb(fill)
        border = to_hex((r * 0.7, g * 0.7, b * 0.7))
    else:
        return base
    return LevelStyle(base.size, base.bold, fill, text, border, base.line, base.link, base.link_color)


@dataclass(frozen=True)
class RenderedMap:
    figure: Figure
    width: float  # inches
    height: float
    smallest_font: float  # points, at the figure's size
    warnings: tuple[str, ...]


@dataclass
class _Label:
    node: MapNode
    style: LevelStyle
    text: Any  # matplotlib Text: the name
    count: Any | None  # matplotlib Text: "n = 12", or None
    w: float = 0.0
    h: float = 0.0
    text_h: float = 0.0  # inches: the measured height of the name, and of the count
    count_h: float = 0.0


class _Drawing:
    """Labels measured at one scale, then laid out and drawn."""

    def __init__(self, figure: Figure, roots: Sequence[MapNode], options: MapOptions, scale: float,
                 *, narrow: bool = False) -> None:
        self.figure, self.roots, self.options, self.scale = figure, roots, options, scale
        self.narrow = narrow  # reflowing to fit a width: labels wrapped narrower, networks in more rows
        self.families = font_families(options.font_family)
        self.labels: dict[int, _Label] = {}
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        dpi = figure.dpi
        nodes = [n for root in roots for n in root.walk()]
        aspect = 5.0 if options.layout is MapLayout.TREE else 3.0  # trees have room across, not down
        if narrow:
            aspect = 2.5 if options.layout is MapLayout.TREE else 1.5
        most = max([n.count(options.counts) or 0 for n in nodes] + [1])
        # Width and height (inches) by text, size and weight: counts repeat ("n = 3"), and a
        # text's extent depends on nothing else while every text still sits at (0, 0).
        extents: dict[tuple[str, float, bool], tuple[float, float]] = {}

        def extent(text: Any, bold: bool) -> tuple[float, float]:
            key = (text.get_text(), text.get_fontsize(), bold)
            if key not in extents:
                box = text.get_window_extent(renderer)
                extents[key] = (box.width / dpi, box.height / dpi)
            return extents[key]

        for node in nodes:
            style = style_of(node, options.colour_by)
            size = (options.font_size + style.size) * scale
            name = one_line(node.name)
            text = self._text(wrap_label(name, aspect=aspect), size, style, bold=style.bold)
            shown = node.count(options.counts)
            count = None if shown is None else self._text(f"n = {shown}", size * 0.9, style, bold=False)
            label = _Label(node, style, text, count)
            w, h = extent(text, style.bold)
            label.text_h = h
            if count is not None:
                count_w, label.count_h = extent(count, False)
                w, h = max(w, count_w), h + label.count_h + size * 0.25 / 72
            em = size / 72
            grow = 0.0
            if options.size_by_count and shown is not None:
                grow = 1.2 * em * (shown / most) ** 0.5
            label.w, label.h = w + 2 * (0.55 * em + grow), h + 2 * (0.42 * em + grow)
            self.labels[node.id] = label
        self.smallest = min(t.get_fontsize() for lab in self.labels.values()
                            for t in (lab.text, lab.count) if t is not None)

    def _text(self, content: str, size: float, style: LevelStyle, *, bold: bool) -> Any:
        return self.figure.text(0, 0, content, fontsize=size, fontweight="bold" if bold else "normal",
                                family=self.families, color=style.text, ha="center", va="center",
                                multialignment="center", linespacing=1.15, parse_math=False,
                                transform=self.figure.dpi_scale_trans, zorder=4)

    def _box(self, node: MapNode) -> LayoutBox:
        label = self.labels[node.id]
        return LayoutBox(node.id, label.w, label.h, [self._box(c) for c in node.children])

    def layout(self, max_width: float | None = None) -> Cluster:
        em = self.options.font_size * self.scale / 72
        if self.options.layout is MapLayout.TREE:
            return tree_layout([self._box(r) for r in self.roots], gap_x=4.5 * em, gap_y=0.9 * em)
        clusters = [web_layout(self._box(r), gap=1.1 * em) for r in self.roots]
        return clusters[0] if len(clusters) == 1 else pack(clusters, gap=4 * em, max_width=max_width)

    def remove(self) -> None:
        for label in self.labels.values():
            label.text.remove()
            if label.count is not None:
                label.count.remove()


def _check_roots(roots: Sequence[MapNode], options: MapOptions) -> None:
    if not roots:
        raise ValidationError("There are no themes to draw.")
    if options.font_size < 4 or options.font_size > 40:
        raise ValidationError(f"A font size of {options.font_size:g} pt is not usable: choose 4-40 pt.")
    if options.width is not None and not 1 <= options.width <= 100:
        raise ValidationError(f"A width of {options.width:g} in is not usable: choose 1-100 inches.")
    seen: set[int] = set()
    for node in (n for r in roots for n in r.walk()):
        if node.id in seen:
            raise ValidationError(f"'{node.name}' appears twice in the map.")
        seen.add(node.id)
        if not one_line(node.name):
            raise ValidationError("A theme without a name cannot be drawn: name it first.")


def render_theme_map(roots: Sequence[MapNode], options: MapOptions | None = None,
                     links: Sequence[MapLink] = ()) -> RenderedMap:
    """Lay out and draw the themes, and the links drawn between themes of different networks;
    the figure is sized to its content (or to `options.width`: the text shrinks down to
    `options.min_font`, then the map reflows into more rows with narrower labels)."""
    from matplotlib.figure import Figure

    from qualcode.viz.canvas import AggCanvas

    options = options or MapOptions()
    _check_roots(roots, options)
    figure = Figure(figsize=(4, 4), dpi=MEASURE_DPI)  # text measured as it will print, not as on screen
    AggCanvas(figure)
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # missing glyphs are reported below, once
        scale, reflow = 1.0, False
        # The smallest text at scale 1: the lowest level's name, or its count ("n = 12") at 0.9 of it.
        smallest = min(options.font_size + _BY_LEVEL[n.level].size for r in roots for n in r.walk())
        smallest *= 0.9 if options.counts.value != "none" else 1.0
        floor = min(1.0, options.min_font / smallest)
        for _ in range(8):
            drawing = _Drawing(figure, roots, options, scale, narrow=reflow)
            cluster = drawing.layout(max_width=options.width - 2 * MARGIN if reflow and options.width else None)
            x0, y0, x1, y1 = cluster.bounds()
            title = _title(figure, options, scale)
            needed = max(x1 - x0, title[2] if title else 0.0) + 2 * MARGIN
            if options.width is None or needed <= options.width * 1.001:
                break
            wanted = scale * (options.width - 2 * MARGIN) / (needed - 2 * MARGIN) * 0.995
            drawing.remove()
            if title:
                title[0].remove()
            if wanted >= floor:
                scale = wanted
            elif not reflow:
                reflow = True  # more rows and narrower labels before smaller text
            elif scale > floor + 1e-9:
                scale = floor
            else:
                scale = wanted  # even reflowed at the smallest readable size it is too wide: warned below
        # Whole hundredths of an inch, so the image is a whole number of pixels at any usual dpi.
        width = math.ceil(max(needed, options.width or 0.0) * 100 - 1e-6) / 100
        title_h = title[1] if title else 0.0
        height = math.ceil((y1 - y0 + 2 * MARGIN + title_h) * 100) / 100
        figure.set_size_inches(width + 1e-9, height + 1e-9)
        if title:
            title[0].set_position((width / 2, height - MARGIN - title_h / 2 + 0.02))
        boxes = _draw(figure, drawing, cluster, (width - (x1 - x0)) / 2 - x0, MARGIN - y0)
        _draw_links(figure, drawing, cluster, boxes, links, (width, height))
    labels = [one_line(n.name) for r in roots for n in r.walk()] + ([options.title] if options.title else [])
    if options.width is not None and width > options.width + 0.02:
        notes.append(f"The map needs {width:.1f} in at {options.min_font:g} pt, wider than the {options.width:g} in "
                     "asked for: show fewer themes or allow a wider figure.")
    notes += warn_missing(labels, drawing.families)
    if drawing.smallest < options.min_font - 0.05:
        notes.append(f"At {width:.1f} in wide the smallest labels are {drawing.smallest:.1f} pt, below the "
                     f"{options.min_font:g} pt most journals require: make the figure wider or show fewer themes.")
    return RenderedMap(figure, width, height, drawing.smallest, tuple(notes))


def _title(figure: Figure, options: MapOptions, scale: float) -> tuple[Any, float, float] | None:
    """The title text with the height it takes (with space below) and its width, in inches."""
    if not one_line(options.title):
        return None
    size = (options.font_size + 4) * scale
    text = figure.text(0, 0, wrap_label(one_line(options.title), aspect=14, short=70), fontsize=size,
                       fontweight="bold", family=font_families(options.font_family), ha="center", va="center",
                       multialignment="center", parse_math=False, transform=figure.dpi_scale_trans)
    box = text.get_window_extent(figure.canvas.get_renderer())  # type: ignore[attr-defined]
    return text, box.height / figure.dpi + 1.2 * size / 72, box.width / figure.dpi


def _draw(figure: Figure, drawing: _Drawing, cluster: Cluster, dx: float,
          dy: float) -> dict[int, tuple[float, float, float, float, Any]]:
    """Draw the boxes and their links; returns each node's box (centre x, y, w, h in inches, patch)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch

    inches = figure.dpi_scale_trans
    index = {node_id: i for i, node_id in enumerate(cluster.ids)}
    x, y = cluster.x + dx, cluster.y + dy
    tree = drawing.options.layout is MapLayout.TREE
    by_parent: dict[int, list[int]] = {}
    for a, b in cluster.edges:
        by_parent.setdefault(a, []).append(b)
    for a, children in by_parent.items():
        style = drawing.labels[cluster.ids[a]].style
        kw: dict[str, Any] = {"color": style.link_color, "linewidth": style.link, "transform": inches,
                              "zorder": 1, "solid_capstyle": "round"}
        if not tree:
            for b in children:
                figure.add_artist(Line2D([x[a], x[b]], [y[a], y[b]], **kw))
            continue
        # Elbow connectors: out of the parent's right side, a trunk (aligned down the column), into
        # each child's left side.
        right = x[a] + cluster.w[a] / 2
        lefts = [x[b] - cluster.w[b] / 2 for b in children]
        column_right = max(x[p] + cluster.w[p] / 2 for p in by_parent
                           if abs((x[p] - cluster.w[p] / 2) - (x[a] - cluster.w[a] / 2)) < 1e-6)
        trunk = column_right + (min(lefts) - column_right) / 2
        ys = [y[b] for b in children]
        figure.add_artist(Line2D([right, trunk], [y[a], y[a]], **kw))
        figure.add_artist(Line2D([trunk, trunk], [min([*ys, y[a]]), max([*ys, y[a]])], **kw))
        for b, left in zip(children, lefts, strict=True):
            figure.add_artist(Line2D([trunk, left], [y[b], y[b]], **kw))
    boxes: dict[int, tuple[float, float, float, float, Any]] = {}
    for node_id, label in drawing.labels.items():
        i = index[node_id]
        w, h = cluster.w[i], cluster.h[i]
        em = label.text.get_fontsize() / 72
        patch = figure.add_artist(FancyBboxPatch(
            (x[i] - w / 2, y[i] - h / 2), w, h, boxstyle=f"round,pad=0,rounding_size={min(h / 2, 0.7 * em):.4f}",
            facecolor=label.style.fill, edgecolor=label.style.border, linewidth=label.style.line,
            transform=inches, zorder=2))
        boxes[node_id] = (float(x[i]), float(y[i]), float(w), float(h), patch)
        if label.count is None:
            label.text.set_position((x[i], y[i]))
            continue
        th, ch = label.text_h, label.count_h  # as measured: a text's extent does not depend on where it is
        gap = label.text.get_fontsize() * 0.25 / 72
        top = y[i] + (th + gap + ch) / 2
        label.text.set_position((x[i], top - th / 2))
        label.count.set_position((x[i], top - th - gap - ch / 2))
    return boxes


LINK_COLOUR = "#a23b1f"
_BENDS = (0.0, 0.18, -0.18, 0.32, -0.32, 0.46, -0.46, 0.6, -0.6, 0.8, -0.8, 1.0, -1.0, 1.3, -1.3)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _draw_links(figure: Figure, drawing: _Drawing, cluster: Cluster,
                boxes: dict[int, tuple[float, float, float, float, Any]], links: Sequence[MapLink],
                page: tuple[float, float]) -> None:
    """Dashed arcs between linked themes, each with its label where it touches no box, no
    other label and stays on the page (the arc bends one way or the other to find room)."""
    from matplotlib.patches import FancyArrowPatch

    if not links:
        return
    inches = figure.dpi_scale_trans
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    rects = [(bx - w / 2, by - h / 2, bx + w / 2, by + h / 2) for bx, by, w, h, _p in boxes.values()]
    placed: list[tuple[float, float, float, float]] = []
    size = max(drawing.options.min_font, drawing.options.font_size * drawing.scale * 0.92)
    size = min(size, drawing.options.font_size * drawing.scale)
    for link in links:
        if link.source_id not in boxes or link.target_id not in boxes:
            continue
        (ax_, ay, *_a), (bx, by, *_b) = boxes[link.source_id], boxes[link.target_id]
        text = None
        if link.label.strip():
            text = figure.text(0, 0, wrap_label(one_line(link.label), aspect=4.0), fontsize=size,
                               style="italic", color=LINK_COLOUR, family=drawing.families, ha="center",
                               va="center", multialignment="center", parse_math=False, transform=inches,
                               zorder=5, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                               "edgecolor": "none"})
        others = [r for node_id, r in zip(boxes, rects, strict=True)
                  if node_id not in (link.source_id, link.target_id)]
        best: tuple[float, float, tuple[int, tuple[float, float, float, float]] | None] | None = None
        for bend in _BENDS:
            # The arc as matplotlib draws it (arc3): a quadratic curve through this control point.
            cx = (ax_ + bx) / 2 + bend * (by - ay)
            cy = (ay + by) / 2 - bend * (bx - ax_)
            points = [((1 - t) ** 2 * ax_ + 2 * (1 - t) * t * cx + t * t * bx,
                       (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t * t * by) for t in (i / 40 for i in range(41))]
            crossed = sum(any(r[0] - 0.02 < px < r[2] + 0.02 and r[1] - 0.02 < py < r[3] + 0.02 for px, py in points)
                          for r in others)
            off_page = any(not (0 <= px <= page[0] and 0 <= py <= page[1]) for px, py in points)
            spot: tuple[int, tuple[float, float, float, float]] | None = None
            clash = 0
            if text is not None:  # the label somewhere along the arc where it covers nothing
                tries = []
                for at in (20, 14, 26, 10, 30):
                    text.set_position(points[at])
                    extent = text.get_window_extent(renderer).transformed(inches.inverted())
                    box = (extent.x0, extent.y0, extent.x1, extent.y1)
                    inside = box[0] >= 0.02 and box[1] >= 0.02 and box[2] <= page[0] - 0.02 \
                        and box[3] <= page[1] - 0.02
                    tries.append(((not inside) + sum(_overlaps(box, r, 0.03) for r in rects + placed), at, box))
                    if tries[-1][0] == 0:
                        break
                clash, at, box = min(tries, key=lambda t: t[0])
                spot = (at, box)
            # Text over text is worst, then an arc passing under a box; then the gentler bend.
            score = 10.0 * crossed + 100.0 * clash + 20.0 * off_page + abs(bend)
            if best is None or score < best[0]:
                best = (score, bend, spot)
        assert best is not None
        chosen = best[1]
        if text is not None and best[2] is not None:
            at, box = best[2]
            cx = (ax_ + bx) / 2 + chosen * (by - ay)
            cy = (ay + by) / 2 - chosen * (bx - ax_)
            t = at / 40
            text.set_position(((1 - t) ** 2 * ax_ + 2 * (1 - t) * t * cx + t * t * bx,
                               (1 - t) ** 2 * ay + 2 * (1 - t) * t * cy + t * t * by))
            placed.append(box)
        figure.add_artist(FancyArrowPatch(
            (ax_, ay), (bx, by), connectionstyle=f"arc3,rad={chosen}", arrowstyle="-", linestyle=(0, (4, 2)),
            linewidth=1.1, color=LINK_COLOUR, patchA=boxes[link.source_id][4], patchB=boxes[link.target_id][4],
            transform=inches, zorder=1.5))
