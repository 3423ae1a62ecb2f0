"""Segment matching is a maximum one-to-one matching, whatever order the segments come in."""

from __future__ import annotations

import random
from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.analysis.segments import match_segments, matched_pairs, overlap_ratio


def brute_force(reference: list[tuple[int, int]], candidate: list[tuple[int, int]], threshold: float) -> int:
    refs, cands = sorted(set(reference)), sorted(set(candidate))
    if len(refs) > len(cands):
        refs, cands = cands, refs
    best = 0
    for chosen in permutations(range(len(cands)), len(refs)):
        best = max(best, sum(overlap_ratio(r, cands[j]) >= threshold for r, j in zip(refs, chosen, strict=True)))
    return best


def test_best_overlap_first_would_miss_a_pair() -> None:
    # Overlaps (rows: A's segments, columns: B's): [[0.55, 0.58], [0.45, 0.50]]. Taking the best
    # overlap first pairs (6,13)-(2,14) and leaves (7,13) with nothing at or above 0.5; pairing
    # crosswise matches both, which a maximum matching finds.
    reference = [(6, 13), (7, 13)]
    candidate = [(2, 12), (2, 14)]
    assert round(overlap_ratio((6, 13), (2, 14)), 2) == 0.58 and round(overlap_ratio((7, 13), (2, 12)), 2) == 0.45
    assert match_segments(reference, candidate, threshold=0.5) == 2
    assert matched_pairs(reference, candidate, threshold=0.5) == [((6, 13), (2, 12)), ((7, 13), (2, 14))]
    assert match_segments(list(reversed(reference)), list(reversed(candidate)), threshold=0.5) == 2


spans = st.tuples(st.integers(0, 60), st.integers(1, 25)).map(lambda s: (s[0], s[0] + s[1]))


@settings(max_examples=150, deadline=None)
@given(st.lists(spans, max_size=5), st.lists(spans, max_size=5), st.sampled_from([0.2, 0.4, 0.5, 0.75]))
def test_matching_is_maximum_and_independent_of_order(reference: list[tuple[int, int]],
                                                      candidate: list[tuple[int, int]], threshold: float) -> None:
    expected = brute_force(reference, candidate, threshold)
    assert match_segments(reference, candidate, threshold) == expected
    shuffled_ref, shuffled_cand = list(reference), list(candidate)
    random.Random(len(reference)).shuffle(shuffled_ref)
    random.Random(len(candidate)).shuffle(shuffled_cand)
    assert matched_pairs(shuffled_ref, shuffled_cand, threshold) == matched_pairs(reference, candidate, threshold)
    # Swapping the coders' roles matches the same number of pairs.
    assert match_segments(candidate, reference, threshold) == expected
