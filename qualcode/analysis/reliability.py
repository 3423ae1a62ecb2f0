"""Reliability coefficients: percentage agreement, Cohen's kappa, Gwet's AC1, Brennan and
Prediger's kappa, Fleiss' kappa and Krippendorff's alpha (nominal), all for one binary
variable per code (a unit is coded with the code or not).

Pure functions over counts, so they can be checked against hand-worked examples and the
reference implementations (scikit-learn, NLTK, irrCAC, `krippendorff`) in the tests.

Why several chance-corrected coefficients: Cohen's kappa takes chance agreement from each
coder's own marginals, so for a rare code (most text not coded by anyone) high observed
agreement can give a low kappa (the "kappa paradox", Feinstein & Cicchetti 1990). Gwet's AC1
(Gwet 2008) and Brennan and Prediger's kappa (1981; chance agreement 1/2 for two categories)
are robust to that prevalence, so a reviewer can see whether a low kappa comes from
disagreement or from rarity. Each code's prevalence (share of units coded, averaged over the
coders) and its number of units are reported beside them.
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

    @property
    def ac1(self) -> float | None:
        return gwet_ac1(self)

    @property
    def bp(self) -> float | None:
        return brennan_prediger(self)

    @property
    def prevalence(self) -> float | None:
        """Share of units coded with the code, averaged over the two coders; None without units."""
        if self.units == 0:
            return None
        return (2 * self.both + self.only_a + self.only_b) / (2 * self.units)


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


def gwet_ac1(table: PairTable) -> float | None:
    """Gwet's (2008) AC1 for two coders and two categories.

    Chance agreement p_e = 2 pi (1 - pi) with pi the mean share of units the two coders coded.
    None without units or when p_e is 1 (cannot happen for two categories, kept for safety).
    """
    n = table.units
    if n == 0:
        return None
    observed = (table.both + table.neither) / n
    pi = (2 * table.both + table.only_a + table.only_b) / (2 * n)
    expected = 2 * pi * (1 - pi)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def brennan_prediger(table: PairTable) -> float | None:
    """Brennan and Prediger's (1981) kappa: chance agreement 1/q with q = 2 categories.

    Equal to Bennett, Alpert and Goldstein's S (1954) and to 2 p_o - 1 here.
    """
    n = table.units
    if n == 0:
        return None
    return 2 * (table.both + table.neither) / n - 1


def fleiss_kappa(units: Iterable[tuple[Sequence[int], float]]) -> float | None:
    """Fleiss' (1971) kappa from weighted units (as for nominal_alpha), any number of coders.

    Observed agreement averages, over units with at least two values, the share of agreeing
    pairs of values; category shares average each unit's shares over units with at least one
    value (Gwet 2014, ch. 2; irrCAC computes it the same way). With every coder on every unit
    this is Fleiss' original formula. None when undefined (no pairable unit, or one category
    used throughout).
    """
    agreement = 0.0
    pairable = 0.0
    subjects = 0.0
    shares: dict[int, float] = {}
    for counts, weight in units:
        m = sum(counts)
        if m < 1 or weight == 0:
            continue
        subjects += weight
        for c, n_c in enumerate(counts):
            shares[c] = shares.get(c, 0.0) + weight * n_c / m
        if m >= 2:
            pairable += weight
            agreement += weight * sum(n_c * (n_c - 1) for n_c in counts) / (m * (m - 1))
    if pairable == 0:
        return None
    observed = agreement / pairable
    expected = sum((share / subjects) ** 2 for share in shares.values())
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
