"""Set algebra on regions of one text: sorted, disjoint, half-open (start, end) intervals."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

Region = tuple[int, int]


def merged(spans: Iterable[Region]) -> list[Region]:
    """The text the spans cover, as sorted disjoint regions (touching spans join)."""
    out: list[Region] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersection(a: Sequence[Region], b: Sequence[Region]) -> list[Region]:
    out: list[Region] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def union(a: Sequence[Region], b: Sequence[Region]) -> list[Region]:
    return merged([*a, *b])


def difference(a: Sequence[Region], b: Sequence[Region]) -> list[Region]:
    """The parts of `a` that `b` does not cover."""
    out: list[Region] = []
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


def overlapping(regions: Sequence[Region], start: int, end: int) -> range:
    """Indices of the sorted disjoint `regions` that overlap [start, end)."""
    first = bisect.bisect_right(regions, start, key=lambda r: r[1])
    last = bisect.bisect_left(regions, end, key=lambda r: r[0])
    return range(first, max(first, last))
