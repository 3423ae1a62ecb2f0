"""Krippendorff's unitizing alpha (alpha-U) for one code's segments on continuous text.

Character-level alpha asks "was this character coded?"; alpha-U asks whether coders cut
the same *units* out of the continuum: a segment that only nearly matches another costs the
squared differences of their starts and ends, and a segment inside the other coder's gap
costs its squared length. Definitions from Krippendorff (1995) "On the reliability of
unitizing continuous data", Sociological Methodology 25:47-76, as restated in Krippendorff
(2004) Content Analysis, 2nd ed., section 12.4 (pp. 251-256), whose worked example the tests
reproduce.

Each coder's continuum is cut into sections: the segments coded with the code (overlapping
codings joined; touching ones stay two units) and the gaps between them. Documents are laid end to end; no section crosses a document's edge.

- Observed disagreement D_o = 2 / (m (m-1) L^2) * sum over pairs of coders and every pair of
  their sections that overlap of delta^2, where delta^2 of two segments is
  (start difference)^2 + (end difference)^2, of a segment lying inside the other's gap its
  length squared, and 0 otherwise (two gaps; a segment only partly in a gap).
- Expected disagreement D_e = (2 / L) * sum over all segments g of
  [(N - 1)(2 l^3 - 3 l^2 + l) / 3 + l^2 * sum over gaps h with |h| >= l of (|h| - l + 1)]
  / (m L (m L - 1) - sum over segments of l (l - 1)), with N segments of lengths l.
- alpha-U = 1 - D_o / D_e; over several codes, 1 - sum D_o / sum D_e.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from qualcode.analysis.intervals import Interval

Section = tuple[int, int, bool]  # start, end, is a segment (else a gap)


@dataclass(frozen=True)
class UnitizingDisagreement:
    observed: float
    expected: float

    def __add__(self, other: UnitizingDisagreement) -> UnitizingDisagreement:
        return UnitizingDisagreement(self.observed + other.observed, self.expected + other.expected)

    @property
    def alpha(self) -> float | None:
        """1 - D_o / D_e; None when D_e is 0 (no segment anywhere: nothing to agree on)."""
        if self.expected <= 0:
            return None
        return 1.0 - self.observed / self.expected


def _units(spans: Sequence[Interval]) -> list[Interval]:
    """Overlapping spans joined; spans that only touch stay separate units (as a coder cut them)."""
    units: list[Interval] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if units and s < units[-1][1]:
            units[-1] = (units[-1][0], max(units[-1][1], e))
        else:
            units.append((s, e))
    return units


def _sections(spans: Sequence[Interval], start: int, end: int) -> list[Section]:
    out: list[Section] = []
    position = start
    for s, e in _units([(max(start, a), min(end, b)) for a, b in spans]):
        if s > position:
            out.append((position, s, False))
        out.append((s, e, True))
        position = e
    if position < end:
        out.append((position, end, False))
    return out


def _delta(a: Section, b: Section) -> int:
    (a0, a1, a_coded), (b0, b1, b_coded) = a, b
    if a_coded and b_coded:
        return (a0 - b0) ** 2 + (a1 - b1) ** 2
    if a_coded and b0 <= a0 and a1 <= b1:
        return (a1 - a0) ** 2
    if b_coded and a0 <= b0 and b1 <= a1:
        return (b1 - b0) ** 2
    return 0


def _observed_sum(first: list[Section], second: list[Section]) -> int:
    """Sum of delta^2 over every pair of overlapping sections (both lists tile the same stretch)."""
    total = 0
    i = j = 0
    while i < len(first) and j < len(second):
        a, b = first[i], second[j]
        if a[0] < b[1] and b[0] < a[1]:
            total += _delta(a, b)
        if a[1] <= b[1]:
            i += 1
        else:
            j += 1
    return total


def unitizing_disagreement(documents: Sequence[tuple[int, Sequence[Sequence[Interval]]]]) -> UnitizingDisagreement:
    """D_o and D_e of one code: `documents` are (length, spans per coder), same coders in each."""
    if not documents:
        return UnitizingDisagreement(0.0, 0.0)
    m = len(documents[0][1])
    total_length = sum(length for length, _spans in documents)
    observed = 0
    lengths: list[int] = []
    gaps: list[int] = []
    for length, per_coder in documents:
        sections = [_sections(spans, 0, length) for spans in per_coder]
        for c in range(m):
            for other in range(c + 1, m):
                observed += _observed_sum(sections[c], sections[other])
            for s, e, coded in sections[c]:
                (lengths if coded else gaps).append(e - s)
    if m < 2 or total_length == 0:
        return UnitizingDisagreement(0.0, 0.0)
    d_observed = 2.0 * observed / (m * (m - 1) * total_length**2)
    if not lengths:
        return UnitizingDisagreement(d_observed, 0.0)
    gaps.sort()
    suffix = [0] * (len(gaps) + 1)  # suffix[k] = sum of gaps[k:] (plus one each)
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k] + 1
    n = len(lengths)
    numerator = 0.0
    for length in lengths:
        first = bisect_left(gaps, length)
        fitting = suffix[first] - length * (len(gaps) - first)  # sum of (h - l + 1) over gaps h >= l
        numerator += (n - 1) * (2 * length**3 - 3 * length**2 + length) / 3 + length**2 * fitting
    denominator = m * total_length * (m * total_length - 1) - sum(length * (length - 1) for length in lengths)
    d_expected = (2.0 / total_length) * numerator / denominator if denominator > 0 else 0.0
    return UnitizingDisagreement(d_observed, d_expected)
