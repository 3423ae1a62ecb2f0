"""Reliability coefficients: percentage agreement, Cohen's kappa, Krippendorff's alpha (nominal).

Pure functions over counts, so they can be checked against hand-worked examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PairTable:
    """A 2x2 table of units for one code and two coders.

    both: coded by both; only_a / only_b: by one of them; neither: by neither.
    """

    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def __add__(self, other: PairTable) -> PairTable:
        return PairTable(self.both + other.both, self.only_a + other.only_a,
                         self.only_b + other.only_b, self.neither + other.neither)

    @property
    def percent(self) -> float | None:
        """Observed agreement in per cent; None when there are no units."""
        if self.units == 0:
            return None
        return 100.0 * (self.both + self.neither) / self.units

    @property
    def kappa(self) -> float | None:
        """Cohen's (1960) kappa; None when chance agreement is total (kappa undefined)."""
        return cohen_kappa(self)


def cohen_kappa(table: PairTable) -> float | None:
    """(p_o - p_e) / (1 - p_e) with p_e from each coder's own marginals (Cohen 1960)."""
    n = table.units
    if n == 0:
        return None
    observed = (table.both + table.neither) / n
    a_yes = (table.both + table.only_a) / n
    b_yes = (table.both + table.only_b) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def nominal_alpha(units: Iterable[tuple[Sequence[int], float]]) -> float | None:
    """Krippendorff's alpha for nominal data from weighted units.

    Each unit is (counts, weight): `counts[v]` coders gave value v to the unit, and `weight`
    identical units share that pattern (so a million characters coded alike cost one entry).
    Units with fewer than two values are not pairable and do not count (Krippendorff 2011).
    None when the data show no variation (alpha is undefined).
    """
    coincidence: dict[tuple[int, int], float] = {}
    for counts, weight in units:
        m = sum(counts)
        if m < 2 or weight == 0:
            continue
        for c, n_c in enumerate(counts):
            if n_c == 0:
                continue
            for k, n_k in enumerate(counts):
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                if pairs:
                    coincidence[c, k] = coincidence.get((c, k), 0.0) + weight * pairs / (m - 1)
    totals: dict[int, float] = {}
    for (c, _k), value in coincidence.items():
        totals[c] = totals.get(c, 0.0) + value
    n = sum(totals.values())
    if n <= 1:
        return None
    disagreement_observed = sum(value for (c, k), value in coincidence.items() if c != k)
    disagreement_expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1)
    if disagreement_expected == 0:
        return None
    return 1.0 - disagreement_observed / disagreement_expected


def binary_units(histogram: Sequence[int]) -> list[tuple[Sequence[int], float]]:
    """Weighted units from `histogram[k]` = units marked by exactly k of m coders (the rest not)."""
    m = len(histogram) - 1
    return [((m - k, k), float(count)) for k, count in enumerate(histogram) if count]


def f1(matched: int, reference: int, candidate: int) -> tuple[float | None, float | None, float | None]:
    """Precision (matched / candidate), recall (matched / reference) and their harmonic mean."""
    precision = matched / candidate if candidate else None
    recall = matched / reference if reference else None
    total = reference + candidate
    return precision, recall, (2 * matched / total if total else None)
