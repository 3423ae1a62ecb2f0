"""Segment-level agreement: do two coders mark the same passages, give or take the boundaries?

Two segments match when their overlap (shared characters over the characters either
covers, i.e. intersection over union) reaches a threshold. Matching is one-to-one, best
overlaps first, so one long segment cannot match several short ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from qualcode.analysis.intervals import Interval


def overlap_ratio(a: Interval, b: Interval) -> float:
    """Intersection over union of two spans (0 when they do not touch)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))


def match_segments(reference: Sequence[Interval], candidate: Sequence[Interval], threshold: float) -> int:
    """How many one-to-one pairs of segments overlap by at least `threshold` (0 < t <= 1)."""
    if not reference or not candidate:
        return 0
    ordered = sorted(set(candidate))
    starts = [span[0] for span in ordered]
    pairs: list[tuple[float, int, int]] = []
    for i, ref in enumerate(sorted(set(reference))):
        stop = bisect_left(starts, ref[1])
        for j in range(stop):
            ratio = overlap_ratio(ref, ordered[j])
            if ratio >= threshold and ratio > 0:
                pairs.append((ratio, i, j))
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    used_ref: set[int] = set()
    used_cand: set[int] = set()
    for _ratio, i, j in pairs:
        if i not in used_ref and j not in used_cand:
            used_ref.add(i)
            used_cand.add(j)
    return len(used_ref)
