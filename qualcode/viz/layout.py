"""Placing theme boxes: the radial web of a thematic network, a left-to-right tree, and packing.

Every layout works on boxes whose sizes come from measured text, in inches, and places
them so that no two boxes come closer than a gap and no connecting line passes through
a box it does not join or crosses another line. The web is built from the leaves up:
each theme's children fan out away from its own parent at the smallest distance that
keeps those rules, then the whole is compacted child by child.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from qualcode.viz.geometry import (
    Array,
    boxes_overlap,
    boxes_overlap_between,
    ray_exit,
    segments_cross,
    segments_hit_boxes,
)

FULL_FAN = math.radians(200)  # widest spread of a theme's children away from its parent
STEP_FAN = math.radians(52)  # spread per extra child until FULL_FAN
LINK_ROOT = 2.6  # shortest line from the centre theme to its children, in gaps
LINK_CHILD = 1.4  # shortest line elsewhere, in gaps
STAGGER_FROM = 7  # children on two alternating arcs from this many on
CROWDED_FAN = math.radians(320)  # the fan of a theme with that many children
ROOT_TURNS = tuple(math.radians(d) for d in (14, 5))  # turns tried to bring the centre's children closer


@dataclass
class LayoutBox:
    id: int
    w: float
    h: float
    children: list[LayoutBox] = field(default_factory=list)


@dataclass
class Cluster:
    """Boxes placed relative to the cluster's root (index 0, at the origin) and their links."""

    ids: list[int]
    x: Array
    y: Array
    w: Array
    h: Array
    edges: list[tuple[int, int]]

    @classmethod
    def single(cls, box: LayoutBox) -> Cluster:
        return cls([box.id], np.zeros(1), np.zeros(1), np.array([box.w]), np.array([box.h]), [])

    def segments(self, dx: float = 0.0, dy: float = 0.0) -> Array:
        if not self.edges:
            return np.zeros((0, 4))
        a = np.array([e[0] for e in self.edges])
        b = np.array([e[1] for e in self.edges])
        return np.column_stack([self.x[a] + dx, self.y[a] + dy, self.x[b] + dx, self.y[b] + dy])

    def bounds(self) -> tuple[float, float, float, float]:
        return (float((self.x - self.w / 2).min()), float((self.y - self.h / 2).min()),
                float((self.x + self.w / 2).max()), float((self.y + self.h / 2).max()))

    def radius(self) -> float:
        """Distance from the root's centre to the farthest box corner."""
        return float(np.hypot(np.abs(self.x) + self.w / 2, np.abs(self.y) + self.h / 2).max())

    def positions(self) -> dict[int, tuple[float, float]]:
        return {i: (float(x), float(y)) for i, x, y in zip(self.ids, self.x, self.y, strict=True)}


def _search(ok: Callable[[float], bool], low: float, start: float, steps: int = 7, tries: int = 40,
            start_ok: bool = False) -> float | None:
    """A small value >= low for which ok() holds: grow from `start` (known to hold when
    `start_ok`), then bisect back; None if none is found."""
    if ok(low):
        return low
    bad, good = low, max(start, low)
    for attempt in range(tries):
        if (start_ok and attempt == 0) or ok(good):
            break
        bad, good = good, good * 1.35 + 0.05
    else:
        return None
    for _ in range(steps):
        mid = (bad + good) / 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


@dataclass
class _Others:
    """A ring less one child: the boxes (x, y, w, h; the parent's first), the links from the parent
    to the other children, their inner links, and every line the moving child must keep clear of."""

    boxes: tuple[Array, Array, Array, Array]
    links: Array
    inner: Array
    lines: Array


class _Ring:
    """A parent box with child clusters at given angles, each pushed out by its own slack."""

    def __init__(self, parent: LayoutBox, subs: Sequence[Cluster], angles: Sequence[float], gap: float,
                 min_link: float, incoming: float | None = None) -> None:
        self.parent, self.subs, self.angles, self.gap = parent, list(subs), list(angles), gap
        # The line from the parent's own parent arrives from this direction: keep it clear.
        self.incoming = None if incoming is None else np.array(
            [[0.0, 0.0, 100 * math.cos(incoming), 100 * math.sin(incoming)]])
        self.min_link = max(gap, min_link)  # a visible line between parent and child
        self.base = [self._base(i) for i in range(len(self.subs))]
        self.groups = np.concatenate([[0]] + [np.full(len(s.ids), i + 1) for i, s in enumerate(subs)]).astype(np.int64)
        self.w = np.concatenate([[parent.w]] + [s.w for s in subs])
        self.h = np.concatenate([[parent.h]] + [s.h for s in subs])
        self.offsets = np.cumsum([1] + [len(s.ids) for s in subs])[:-1]
        sub_edges = [len(s.edges) for s in subs]
        self.edge_groups = np.concatenate([np.full(n, i + 1) for i, n in enumerate(sub_edges)] + [np.zeros(0)])
        k = len(subs)
        # A link parent -> child i may touch the parent's box and child i's own box.
        self.link_exempt = np.zeros((k, len(self.w)), dtype=bool)
        self.link_exempt[:, 0] = True
        self.link_exempt[np.arange(k), self.offsets] = True
        self.edge_exempt = self.edge_groups[:, None] == self.groups[None, :]
        self.link_cross_exempt = (np.arange(k)[:, None] + 1) == self.edge_groups[None, :]
        self.edge_cross_exempt = self.edge_groups[:, None] == self.edge_groups[None, :]
        # Every child cluster's boxes and links relative to its own root, end to end: a trial
        # placement shifts them all at once instead of cluster by cluster.
        self.sizes = np.array([len(s.ids) for s in subs])
        self.edge_sizes = np.array(sub_edges, dtype=np.int64)
        self.sub_x = np.concatenate([s.x for s in subs] + [np.zeros(0)])
        self.sub_y = np.concatenate([s.y for s in subs] + [np.zeros(0)])
        self.sub_segments = np.concatenate([s.segments() for s in subs] + [np.zeros((0, 4))])
        self.edge_offsets = np.cumsum([0, *sub_edges])
        self._still: tuple[tuple[float, ...], _Others] | None = None

    def _base(self, i: int) -> float:
        """Centre distance at which child i's box would touch the parent's box."""
        a, sub = self.angles[i], self.subs[i]
        return ray_exit(self.parent.w, self.parent.h, a) + ray_exit(float(sub.w[0]), float(sub.h[0]), a + math.pi)

    def turn(self, i: int, angle: float) -> None:
        self.angles[i] = angle
        self.base[i] = self._base(i)

    def centres(self, slack: Sequence[float]) -> list[tuple[float, float]]:
        return [((b + s) * math.cos(a), (b + s) * math.sin(a))
                for b, s, a in zip(self.base, slack, self.angles, strict=True)]

    def _place(self, slack: Sequence[float]) -> tuple[list[tuple[float, float]], Array, Array]:
        centres = self.centres(slack)
        shift = np.array(centres)
        x = np.concatenate([[0.0], self.sub_x + np.repeat(shift[:, 0], self.sizes)])
        y = np.concatenate([[0.0], self.sub_y + np.repeat(shift[:, 1], self.sizes)])
        return centres, x, y

    def _inner(self, centres: list[tuple[float, float]]) -> Array:
        """Every link inside the child clusters, with each cluster at its centre."""
        shift = np.array(centres)
        return self.sub_segments + np.repeat(np.column_stack([shift, shift]), self.edge_sizes, axis=0)

    def ok(self, slack: Sequence[float], moved: int | None = None) -> bool:
        """Whether the children at these slacks keep every rule; with `moved`, only the rules
        that child i's position can break are checked (the rest held before it moved)."""
        if moved is not None:
            return self._ok_moved(moved, slack)
        centres, x, y = self._place(slack)
        links = np.array([[0.0, 0.0, cx, cy] for cx, cy in centres])
        margin = self.gap / 3
        if self.incoming is not None:
            clear = np.zeros((1, len(x)), dtype=bool)
            clear[0, 0] = True
            if segments_hit_boxes(self.incoming, x, y, self.w, self.h, clear, margin):
                return False
        if boxes_overlap(x, y, self.w, self.h, self.groups, self.gap):
            return False
        if segments_hit_boxes(links, x, y, self.w, self.h, self.link_exempt, margin):
            return False
        inner = self._inner(centres)
        if segments_hit_boxes(inner, x, y, self.w, self.h, self.edge_exempt, margin):
            return False
        return not (segments_cross(links, inner, self.link_cross_exempt)
                    or segments_cross(inner, inner, self.edge_cross_exempt))

    def _ok_moved(self, i: int, slack: Sequence[float]) -> bool:
        """The rules child i's position can break, checked for child i alone against the rest,
        which held before it moved: its boxes against the others and the lines near them, and its
        lines against the others' boxes and lines."""
        held = self._others(i, slack)
        reach = self.base[i] + slack[i]
        cx, cy = reach * math.cos(self.angles[i]), reach * math.sin(self.angles[i])  # as centres() places it
        first, count = int(self.offsets[i]), int(self.sizes[i])  # its boxes in w and h (the parent's is 0)
        x, y = self.sub_x[first - 1:first - 1 + count] + cx, self.sub_y[first - 1:first - 1 + count] + cy
        w, h = self.w[first:first + count], self.h[first:first + count]
        if boxes_overlap_between((x, y, w, h), held.boxes, self.gap):
            return False
        link = np.array([[0.0, 0.0, cx, cy]])
        inner = self.sub_segments[self.edge_offsets[i]:self.edge_offsets[i + 1]] + np.array([cx, cy, cx, cy])
        margin = self.gap / 3
        # Child i's boxes against the lines that pass near them: the incoming line, the links to the
        # other children, their inner links, and its own link, which may touch its own root box.
        lines = np.concatenate([held.lines, link])
        exempt = np.zeros((len(lines), count), dtype=bool)
        exempt[-1, 0] = True
        if segments_hit_boxes(lines, x, y, w, h, exempt, margin):
            return False
        # Its own link and inner links against the other boxes; its link may touch the parent's box.
        mine = np.concatenate([link, inner])
        exempt = np.zeros((len(mine), len(held.boxes[0])), dtype=bool)
        exempt[0, 0] = True
        if segments_hit_boxes(mine, *held.boxes, exempt, margin):
            return False

        def none(a: Array, b: Array) -> NDArray[np.bool_]:
            return np.zeros((len(a), len(b)), dtype=bool)

        return not (segments_cross(link, held.inner, none(link, held.inner))
                    or segments_cross(held.links, inner, none(held.links, inner))
                    or segments_cross(inner, held.inner, none(inner, held.inner)))

    def _others(self, i: int, slack: Sequence[float]) -> _Others:
        """Everything but child i as placed at these slacks; a search moves child i alone, so the
        rest is kept while the other children keep their slacks and angles."""
        key = (i, *slack[:i], *slack[i + 1:], *self.angles[:i], *self.angles[i + 1:])
        if self._still is not None and self._still[0] == key:
            return self._still[1]
        centres, x, y = self._place(slack)
        others = self.groups != i + 1
        links = np.delete(np.array([[0.0, 0.0, cx, cy] for cx, cy in centres]), i, axis=0)
        inner = self._inner(centres)[self.edge_groups != i + 1]
        lines = np.concatenate(([] if self.incoming is None else [self.incoming]) + [links, inner])
        held = _Others((x[others], y[others], self.w[others], self.h[others]), links, inner, lines)
        self._still = (key, held)
        return held

    def solve(self, *, turns: Sequence[float] = (), arcs: int = 1, rounds: int = 2) -> list[float]:
        """Smallest common slack (children dealt over `arcs` arcs, each a box further out), then
        each child pulled in as far as it will go, trying small turns about the parent (in
        radians) where they let a child come closer."""
        steps = [(i % arcs) * (2 * ray_exit(float(s.w[0]), float(s.h[0]), a) + self.gap)
                 for i, (s, a) in enumerate(zip(self.subs, self.angles, strict=True))]
        uniform = _search(lambda s: self.ok([s + d for d in steps]), self.min_link, self.min_link * 2, tries=80)
        if uniform is None:
            raise RuntimeError("No layout keeps the themes apart.")  # unreachable: distance always separates
        slack = [uniform + d for d in steps]

        def closest(i: int, start: float, start_ok: bool = True) -> float | None:
            def trial(s: float) -> bool:
                return self.ok([*slack[:i], s, *slack[i + 1:]], moved=i)

            return _search(trial, self.min_link, start, steps=4, tries=8, start_ok=start_ok)

        def pull_in(rounds: int) -> None:
            for _ in range(rounds):  # as neighbours come closer, a child may follow: repeat while it helps
                before = sum(slack)
                for i in range(len(slack)):
                    slack[i] = min(slack[i], closest(i, slack[i]) or slack[i])
                if sum(slack) > before - 1e-3:
                    return

        pull_in(rounds)
        for turn in turns:
            for i in range(len(slack)):
                for delta in (turn, -turn):
                    before_angle, before_slack, reach = self.angles[i], slack[i], self.base[i] + slack[i]
                    self.turn(i, before_angle + delta)
                    found = closest(i, before_slack, start_ok=False)
                    if found is not None and self.base[i] + found < reach - 1e-3:
                        slack[i] = found
                        continue
                    self.turn(i, before_angle)
            pull_in(2)
        return slack

    def cluster(self, slack: Sequence[float]) -> Cluster:
        centres = self.centres(slack)
        ids = [self.parent.id] + [i for s in self.subs for i in s.ids]
        x = np.concatenate([[0.0]] + [s.x + cx for s, (cx, _) in zip(self.subs, centres, strict=True)])
        y = np.concatenate([[0.0]] + [s.y + cy for s, (_, cy) in zip(self.subs, centres, strict=True)])
        edges = [(0, int(o)) for o in self.offsets]
        for s, o in zip(self.subs, self.offsets, strict=True):
            edges += [(a + int(o), b + int(o)) for a, b in s.edges]
        return Cluster(ids, x, y, self.w.copy(), self.h.copy(), edges)


def _fan_angles(direction: float, count: int, widest: float = FULL_FAN) -> list[float]:
    if count == 1:
        return [direction]
    fan = min(widest, STEP_FAN * (count - 1))
    return [direction + fan / 2 - i * fan / (count - 1) for i in range(count)]


def _root_angles(weights: Sequence[float], offset: float) -> list[float]:
    """Clockwise from the top, each child's share of the circle in proportion to its weight;
    `offset` turns the ring by that fraction of the first child's share."""
    total = sum(weights)
    angles, before = [], 0.0
    for weight in weights:
        centre = before + weight / 2 - weights[0] / 2 + offset * weights[0]
        angles.append(math.pi / 2 - 2 * math.pi * centre / total)
        before += weight
    return angles


def _score(bounds: tuple[float, float, float, float], aspect: float = 1.3) -> float:
    """Smaller is better: little area, and a shape near `aspect` (width / height)."""
    w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
    return w * h * (1 + 0.5 * abs(math.log(w / h / aspect)))


def _web(box: LayoutBox, direction: float | None, gap: float, widest: float = FULL_FAN,
         cache: dict[tuple[int, float, float], Cluster] | None = None) -> Cluster:
    if not box.children:
        return Cluster.single(box)
    cache = {} if cache is None else cache
    if direction is not None:
        key = (box.id, round(direction, 9), round(widest, 9))
        if key in cache:
            return cache[key]
        # Children fan out away from the parent; when the fan is too narrow for them all on
        # one arc (a crowded network), they are dealt over several arcs, one box further out each.
        count = len(box.children)
        if count >= STAGGER_FROM:  # many children: all the way round, on several arcs
            widest = CROWDED_FAN
        angles = _fan_angles(direction, count, widest)
        per_arc = max(2, int(widest / STEP_FAN * 1.6) + 1)
        arcs = 1 if count < STAGGER_FROM and count <= per_arc else max(2, math.ceil(count / per_arc))
        ring = _Ring(box, [_web(c, a, gap, cache=cache) for c, a in zip(box.children, angles, strict=True)],
                     angles, gap, LINK_CHILD * gap, incoming=direction + math.pi)
        cache[key] = ring.cluster(ring.solve(arcs=arcs))
        return cache[key]
    # Around the centre, each child's fan is kept to about its share of the circle.
    widest = max(math.radians(80), min(FULL_FAN, 2.4 * math.pi / len(box.children)))
    first = _root_angles([1.0] * len(box.children), 0.0)
    weights = [max(0.5, _web(c, a, gap, widest, cache).radius()) for c, a in zip(box.children, first, strict=True)]
    best: tuple[float, Cluster] | None = None
    for offset in (0.0, 0.5) if 1 < len(box.children) < STAGGER_FROM else (0.0,):
        angles = _root_angles(weights, offset)
        subs = [_web(c, a, gap, widest, cache) for c, a in zip(box.children, angles, strict=True)]
        ring = _Ring(box, subs, angles, gap, LINK_ROOT * gap)
        cluster = ring.cluster(ring.solve(turns=ROOT_TURNS, arcs=2 if len(box.children) >= STAGGER_FROM else 1,
                                          rounds=4))
        score = _score(cluster.bounds())
        if best is None or score < best[0]:
            best = (score, cluster)
    assert best is not None
    return best[1]


def web_layout(root: LayoutBox, *, gap: float) -> Cluster:
    """The Attride-Stirling web: the root at the centre, each level fanning out around its parent."""
    return _web(root, None, gap)


def tree_layout(roots: Sequence[LayoutBox], *, gap_x: float, gap_y: float) -> Cluster:
    """Left-to-right hierarchy: one column per depth, each subtree in its own horizontal band."""
    widths: dict[int, float] = {}

    def measure(box: LayoutBox, depth: int) -> float:
        widths[depth] = max(widths.get(depth, 0.0), box.w)
        below = [measure(c, depth + 1) for c in box.children]
        span = sum(below) + gap_y * max(0, len(below) - 1)
        extents[id(box)] = max(box.h, span)
        return extents[id(box)]

    extents: dict[int, float] = {}
    for root in roots:
        measure(root, 0)
    lefts = [0.0]
    for depth in range(1, len(widths)):
        lefts.append(lefts[-1] + widths[depth - 1] + gap_x)
    ids: list[int] = []
    xs: list[float] = []
    ys: list[float] = []
    ws: list[float] = []
    hs: list[float] = []
    edges: list[tuple[int, int]] = []

    def place(box: LayoutBox, depth: int, top: float) -> int:
        index = len(ids)
        ids.append(box.id)
        xs.append(lefts[depth] + box.w / 2)
        ys.append(0.0)
        ws.append(box.w)
        hs.append(box.h)
        extent = extents[id(box)]
        span = sum(extents[id(c)] for c in box.children) + gap_y * max(0, len(box.children) - 1)
        cursor = top - (extent - span) / 2
        child_rows = []
        for child in box.children:
            child_rows.append(place(child, depth + 1, cursor))
            edges.append((index, child_rows[-1]))
            cursor -= extents[id(child)] + gap_y
        centre = (ys[child_rows[0]] + ys[child_rows[-1]]) / 2 if child_rows else top - extent / 2
        ys[index] = min(top - box.h / 2, max(top - extent + box.h / 2, centre))
        return index

    top = 0.0
    for root in roots:
        place(root, 0, top)
        top -= extents[id(root)] + gap_y * 2.5
    return Cluster(ids, np.array(xs), np.array(ys), np.array(ws), np.array(hs), edges)


def _shelves(sizes: Sequence[tuple[float, float]], row_width: float, gap: float) -> list[list[int]]:
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, (w, _) in enumerate(sizes):
        if rows[-1] and used + w > row_width + 1e-9:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w + gap
    return rows


def pack(clusters: Sequence[Cluster], *, gap: float, aspect: float = 1.3, max_width: float | None = None) -> Cluster:
    """Several clusters in rows, in their order, choosing the row width that gives the most
    compact whole of about `aspect` times as wide as high; with `max_width`, only rows that
    fit that width (else the narrowest arrangement)."""
    sizes = [(b[2] - b[0], b[3] - b[1]) for b in (c.bounds() for c in clusters)]
    best: tuple[float, list[list[int]]] | None = None
    narrowest: tuple[float, list[list[int]]] | None = None
    for count in range(1, len(clusters) + 1):
        row_width = max(max(w for w, _ in sizes), sum(w + gap for w, _ in sizes) / count - gap)
        if max_width is not None:
            row_width = min(row_width, max(max_width, max(w for w, _ in sizes)))
        rows = _shelves(sizes, row_width, gap)
        width = max(sum(sizes[i][0] + gap for i in row) - gap for row in rows)
        height = sum(max(sizes[i][1] for i in row) + gap for row in rows) - gap
        score = _score((0.0, 0.0, width, height), aspect)
        if narrowest is None or width < narrowest[0]:
            narrowest = (width, rows)
        if max_width is not None and width > max_width + 1e-9:
            continue
        if best is None or score < best[0]:
            best = (score, rows)
    best = best or narrowest
    assert best is not None
    parts: list[Cluster] = []
    top = 0.0
    for row in best[1]:
        height = max(sizes[i][1] for i in row)
        left = 0.0
        for i in row:
            x0, y0, _x1, y1 = clusters[i].bounds()
            dx, dy = left - x0, top - height / 2 - (y0 + y1) / 2
            c = clusters[i]
            parts.append(Cluster(c.ids, c.x + dx, c.y + dy, c.w, c.h, c.edges))
            left += sizes[i][0] + gap
        top -= height + gap
    ids = [i for c in parts for i in c.ids]
    offsets = np.cumsum([0] + [len(c.ids) for c in parts])
    edges = [(a + int(o), b + int(o)) for c, o in zip(parts, offsets, strict=False) for a, b in c.edges]
    return Cluster(ids, np.concatenate([c.x for c in parts]), np.concatenate([c.y for c in parts]),
                   np.concatenate([c.w for c in parts]), np.concatenate([c.h for c in parts]), edges)
