"""Vectorised checks a figure layout must pass: boxes apart, lines clear of boxes and of each other.

Boxes are axis-aligned rectangles given by centre (x, y) and size (w, h), all in inches.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
_FEW_PAIRS = 16  # segment-box pairs tested one by one; more go through numpy at once


def boxes_overlap(x: Array, y: Array, w: Array, h: Array, groups: NDArray[np.int64], gap: float) -> bool:
    """True when two boxes of different groups come closer than `gap`."""
    dx = np.abs(x[:, None] - x[None, :]) - (w[:, None] + w[None, :]) / 2
    dy = np.abs(y[:, None] - y[None, :]) - (h[:, None] + h[None, :]) / 2
    close = (dx < gap) & (dy < gap) & (groups[:, None] != groups[None, :])
    return bool(close.any())


def boxes_overlap_between(a: tuple[Array, Array, Array, Array], b: tuple[Array, Array, Array, Array],
                          gap: float) -> bool:
    """True when a box of set `a` comes closer than `gap` to a box of set `b` (each x, y, w, h)."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    dx = np.abs(ax[:, None] - bx[None, :]) - (aw[:, None] + bw[None, :]) / 2
    dy = np.abs(ay[:, None] - by[None, :]) - (ah[:, None] + bh[None, :]) / 2
    return bool(((dx < gap) & (dy < gap)).any())


def segments_hit_boxes(
    segments: Array, x: Array, y: Array, w: Array, h: Array, exempt: NDArray[np.bool_], margin: float
) -> bool:
    """True when a segment (x1, y1, x2, y2 rows) passes through a box it is not exempt from.

    `exempt[i, j]` is True where segment i may touch box j (its own end boxes).
    """
    if len(segments) == 0 or len(x) == 0:
        return False
    left, right = x - w / 2 - margin, x + w / 2 + margin
    bottom, top = y - h / 2 - margin, y + h / 2 + margin
    # Only a segment whose own bounding box reaches into a box can pass through it: test the
    # few such pairs exactly, not every segment against every box.
    xs, ys = segments[:, 0::2], segments[:, 1::2]
    near = ((xs.max(axis=1)[:, None] > left[None, :]) & (xs.min(axis=1)[:, None] < right[None, :])
            & (ys.max(axis=1)[:, None] > bottom[None, :]) & (ys.min(axis=1)[:, None] < top[None, :]) & ~exempt)
    pairs_i, pairs_j = np.nonzero(near)
    if len(pairs_i) == 0:
        return False
    if len(pairs_i) <= _FEW_PAIRS:  # plain floats, without the fixed cost of the array operations below
        boxes = zip(left[pairs_j].tolist(), right[pairs_j].tolist(), bottom[pairs_j].tolist(), top[pairs_j].tolist(),
                    strict=True)
        return any(_segment_enters_box(*segment, *box)
                   for segment, box in zip(segments[pairs_i].tolist(), boxes, strict=True))
    x1, y1, x2, y2 = (segments[pairs_i, i] for i in range(4))
    left, right, bottom, top = left[pairs_j], right[pairs_j], bottom[pairs_j], top[pairs_j]
    dx, dy = x2 - x1, y2 - y1
    with np.errstate(divide="ignore", invalid="ignore"):
        tx1, tx2 = (left - x1) / dx, (right - x1) / dx
        ty1, ty2 = (bottom - y1) / dy, (top - y1) / dy
    flat_x = np.abs(dx) < 1e-12
    flat_y = np.abs(dy) < 1e-12
    inside_x = (x1 > left) & (x1 < right)
    inside_y = (y1 > bottom) & (y1 < top)
    tx_lo = np.where(flat_x, np.where(inside_x, -np.inf, np.inf), np.minimum(tx1, tx2))
    tx_hi = np.where(flat_x, np.where(inside_x, np.inf, -np.inf), np.maximum(tx1, tx2))
    ty_lo = np.where(flat_y, np.where(inside_y, -np.inf, np.inf), np.minimum(ty1, ty2))
    ty_hi = np.where(flat_y, np.where(inside_y, np.inf, -np.inf), np.maximum(ty1, ty2))
    t_lo = np.maximum(np.maximum(tx_lo, ty_lo), 0.0)
    t_hi = np.minimum(np.minimum(tx_hi, ty_hi), 1.0)
    return bool((t_lo < t_hi).any())


def _segment_enters_box(x1: float, y1: float, x2: float, y2: float, left: float, right: float, bottom: float,
                        top: float) -> bool:
    """The test segments_hit_boxes makes of every pair, for one pair, with the same arithmetic."""
    across = _slab(x1, x2 - x1, left, right)
    upward = _slab(y1, y2 - y1, bottom, top)
    if across is None or upward is None:
        return False
    return max(max(across[0], upward[0]), 0.0) < min(min(across[1], upward[1]), 1.0)


def _slab(start: float, delta: float, low: float, high: float) -> tuple[float, float] | None:
    """Where (as fractions of its length) a segment's run along one axis lies between `low`
    and `high`; None when it runs square to that axis outside them."""
    if abs(delta) < 1e-12:
        return (-math.inf, math.inf) if low < start < high else None
    t1, t2 = (low - start) / delta, (high - start) / delta
    return min(t1, t2), max(t1, t2)


def segments_cross(a: Array, b: Array, exempt: NDArray[np.bool_]) -> bool:
    """True when a segment of `a` properly crosses a segment of `b` (shared ends excepted via `exempt`)."""
    if len(a) == 0 or len(b) == 0:
        return False

    def orient(px: Array, py: Array, qx: Array, qy: Array, rx: Array, ry: Array) -> Array:
        return np.sign((qx - px) * (ry - py) - (qy - py) * (rx - px))

    ax1, ay1, ax2, ay2 = (a[:, i][:, None] for i in range(4))
    bx1, by1, bx2, by2 = (b[:, i][None, :] for i in range(4))
    o1 = orient(ax1, ay1, ax2, ay2, bx1, by1)
    o2 = orient(ax1, ay1, ax2, ay2, bx2, by2)
    o3 = orient(bx1, by1, bx2, by2, ax1, ay1)
    o4 = orient(bx1, by1, bx2, by2, ax2, ay2)
    crossing = (o1 * o2 < 0) & (o3 * o4 < 0)
    return bool((crossing & ~exempt).any())


def ray_exit(w: float, h: float, angle: float) -> float:
    """Distance from a box's centre to its border along `angle` (radians)."""
    c, s = abs(float(np.cos(angle))), abs(float(np.sin(angle)))
    along_x = w / 2 / c if c > 1e-9 else float("inf")
    along_y = h / 2 / s if s > 1e-9 else float("inf")
    return min(along_x, along_y)
