"""Segment-level agreement: do two coders mark the same passages, give or take the boundaries?

Two segments match when their overlap (shared characters over the characters either
covers, i.e. intersection over union) reaches a threshold. Matching is one-to-one and
maximum: among all ways to pair segments one to one, the one with the most pairs is taken
(ties broken by the larger total overlap), found by the Hungarian method
(scipy.optimize.linear_sum_assignment) on each group of mutually overlapping segments.
So the count does not depend on the order the segments are listed or visited, and one long
segment cannot match several short ones.
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


def _eligible_pairs(reference: list[Interval], candidate: list[Interval],
                    threshold: float) -> list[tuple[int, int, float]]:
    starts = [span[0] for span in candidate]
    pairs: list[tuple[int, int, float]] = []
    for i, ref in enumerate(reference):
        for j in range(bisect_left(starts, ref[1])):
            ratio = overlap_ratio(ref, candidate[j])
            if ratio >= threshold and ratio > 0:
                pairs.append((i, j, ratio))
    return pairs


def matched_pairs(reference: Sequence[Interval], candidate: Sequence[Interval],
                  threshold: float) -> list[tuple[Interval, Interval]]:
    """A maximum one-to-one matching of segments overlapping by at least `threshold` (0 < t <= 1).

    Duplicated spans count once. Among maximum matchings the one with the largest total
    overlap is returned; the result is the same whatever order the inputs come in.
    """
    if not reference or not candidate:
        return []
    refs = sorted(set(reference))
    cands = sorted(set(candidate))
    pairs = _eligible_pairs(refs, cands, threshold)
    if not pairs:
        return []
    # Connected groups of the bipartite overlap graph, each solved on its own (small) matrix.
    parent = list(range(len(refs) + len(cands)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ratio in pairs:
        parent[find(i)] = find(len(refs) + j)
    groups: dict[int, list[tuple[int, int, float]]] = {}
    for pair in pairs:
        groups.setdefault(find(pair[0]), []).append(pair)
    result: list[tuple[Interval, Interval]] = []
    for group in groups.values():
        if len(group) == 1:
            i, j, _ratio = group[0]
            result.append((refs[i], cands[j]))
            continue
        result.extend((refs[i], cands[j]) for i, j in _assign(group))
    return sorted(result)


def _assign(group: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rows = sorted({i for i, _j, _r in group})
    cols = sorted({j for _i, j, _r in group})
    row_index = {i: k for k, i in enumerate(rows)}
    col_index = {j: k for k, j in enumerate(cols)}
    # Every extra pair outweighs any sum of overlaps, so the most pairs win, then the most overlap.
    bonus = float(min(len(rows), len(cols)) + 1)
    weights = np.zeros((len(rows), len(cols)))
    for i, j, ratio in group:
        weights[row_index[i], col_index[j]] = bonus + ratio
    chosen_rows, chosen_cols = linear_sum_assignment(weights, maximize=True)
    return [(rows[r], cols[c]) for r, c in zip(chosen_rows, chosen_cols, strict=True) if weights[r, c] > 0]


def match_segments(reference: Sequence[Interval], candidate: Sequence[Interval], threshold: float) -> int:
    """How many one-to-one pairs of segments overlap by at least `threshold`, at most (see matched_pairs)."""
    return len(matched_pairs(reference, candidate, threshold))
