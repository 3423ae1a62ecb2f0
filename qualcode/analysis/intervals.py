"""Arithmetic on sets of characters written as sorted, disjoint half-open intervals (one text).

Agreement on character units never materialises one value per character: a document of
70,000 characters coded by three coders is a handful of intervals, and every count the
measures need (coded by both, by one, by exactly k coders) is a length of such sets.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

Interval = tuple[int, int]


def merge(spans: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering the same characters as `spans` (empty spans dropped)."""
    merged: list[Interval] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def length(intervals: Sequence[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Characters in both (inputs merged)."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def union(*sets: Sequence[Interval]) -> list[Interval]:
    return merge(span for intervals in sets for span in intervals)


def coverage_histogram(sets: Sequence[Sequence[Interval]], universe: Sequence[Interval]) -> list[int]:
    """`result[k]` = characters of `universe` covered by exactly k of the (merged) `sets`."""
    events = sorted([(start, 1) for intervals in sets for start, _ in intervals]
                    + [(end, -1) for intervals in sets for _, end in intervals])
    steps: list[tuple[int, int, int]] = []  # (start, end, depth) where depth > 0
    depth = 0
    for index, (position, delta) in enumerate(events[:-1]):
        depth += delta
        following = events[index + 1][0]
        if depth > 0 and following > position:
            steps.append((position, following, depth))
    histogram = [0] * (len(sets) + 1)
    i = j = 0
    while i < len(steps) and j < len(universe):
        start = max(steps[i][0], universe[j][0])
        end = min(steps[i][1], universe[j][1])
        if start < end:
            histogram[steps[i][2]] += end - start
        if steps[i][1] < universe[j][1]:
            i += 1
        else:
            j += 1
    histogram[0] = length(universe) - sum(histogram[1:])
    return histogram


def difference(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The parts of `a` that `b` does not cover."""
    out: list[Interval] = []
    j = 0
    for start, end in a:
        position = start
        while j < len(b) and b[j][1] <= position:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > position:
                out.append((position, b[k][0]))
            position = max(position, b[k][1])
            k += 1
        if position < end:
            out.append((position, end))
    return out


def overlapping(regions: Sequence[Interval], start: int, end: int) -> range:
    """Indices of the sorted disjoint `regions` that overlap [start, end)."""
    first = bisect.bisect_right(regions, start, key=lambda r: r[1])
    last = bisect.bisect_left(regions, end, key=lambda r: r[0])
    return range(first, max(first, last))
