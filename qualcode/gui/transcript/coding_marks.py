"""What the transcript viewer draws, in Qt positions: coding highlights (with their lane, so
overlapping codings never share a stripe column) and the marks of feature layers."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from heapq import heappop, heappush


@dataclass(slots=True)
class CodingMark:
    coding_id: int
    start: int  # Qt positions (UTF-16), half-open
    end: int
    node_id: int
    node_name: str
    node_path: str
    color: str
    coder_id: int
    coder_name: str
    memo: str = ""
    exemplar: bool = False
    lane: int = 0


@dataclass(frozen=True, slots=True)
class LayerMark:
    """A feature layer's span (e.g. CMO evidence), drawn as an outlined box with a margin label."""

    layer: str
    start: int  # Qt positions
    end: int
    label: str
    color: str
    tooltip: str = ""


def _order(mark: CodingMark) -> tuple[int, int, str, int]:
    return (mark.start, -mark.end, mark.node_path, mark.coding_id)


def assign_lanes(marks: Sequence[CodingMark]) -> tuple[list[CodingMark], int]:
    """Marks sorted by position, each given (in place) the lowest lane free over its whole span.

    Returns the marks and the number of lanes used (0 when there are none).
    """
    ordered = sorted(marks, key=_order)
    busy: list[tuple[int, int]] = []  # (end, lane) of marks still open
    free: list[int] = []
    lanes = 0
    result: list[CodingMark] = []
    for mark in ordered:
        while busy and busy[0][0] <= mark.start:
            heappush(free, heappop(busy)[1])
        if free:
            lane = heappop(free)
        else:
            lane = lanes
            lanes += 1
        heappush(busy, (mark.end, lane))
        mark.lane = lane
        result.append(mark)
    return result, lanes


def insert_mark(marks: list[CodingMark], mark: CodingMark) -> int:
    """Add one mark to sorted, laned marks without moving the others: it takes the lowest lane
    no overlapping mark uses. Returns that lane."""
    taken = {m.lane for m in marks if m.start < mark.end and m.end > mark.start}
    lane = 0
    while lane in taken:
        lane += 1
    mark.lane = lane
    marks.insert(bisect_left(marks, _order(mark), key=_order), mark)
    return lane


def marks_in(marks: Sequence[CodingMark], starts: Sequence[int], start: int, end: int) -> list[CodingMark]:
    """Marks overlapping [start, end); `marks` sorted by start, `starts` their start positions."""
    stop = bisect_left(starts, end)
    return [m for m in marks[:stop] if m.end > start]


def marks_at(marks: Sequence[CodingMark], position: int) -> list[CodingMark]:
    """Marks covering the character at `position`."""
    return [m for m in marks if m.start <= position < m.end]
