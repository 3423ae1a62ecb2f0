"""Krippendorff's unitizing alpha against the published worked examples, and through the agreement table."""

from __future__ import annotations

import random

import pytest

from qualcode.analysis.agreement import CodedDocument, compute_agreement
from qualcode.analysis.unitizing import unitizing_disagreement


def _spans(units: list[tuple[int, int]], origin: int = 0, stretch: int = 1) -> list[tuple[int, int]]:
    """(offset, length) as published -> [start, end) from the continuum's start."""
    return [((offset - origin) * stretch, (offset - origin + length) * stretch) for offset, length in units]


def test_krippendorff_2004_worked_example() -> None:
    # Krippendorff (2004), Content Analysis: An Introduction to Its Methodology, 2nd ed., Sage,
    # section 12.4, pp. 251-256: two coders unitize a continuum from 150 to 450 with categories
    # c and k. Published: D_o(c) = .0144, D_e(c) = .0532, alpha_c = .7286; D_o(k) = 0,
    # D_e(k) = .0490, alpha_k = 1; alpha-U over both = .8591 (from the rounded figures).
    c = unitizing_disagreement([(300, [_spans([(225, 70), (370, 30)], 150),
                                       _spans([(220, 80), (355, 20), (400, 20)], 150)])])
    k = unitizing_disagreement([(300, [_spans([(180, 60), (300, 50)], 150), _spans([(180, 60), (300, 50)], 150)])])
    assert c.observed == pytest.approx(0.0144, abs=5e-5) and c.expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha == pytest.approx(0.7286, abs=5e-4)
    assert k.observed == 0 and k.expected == pytest.approx(0.0490, abs=5e-5) and k.alpha == 1.0
    assert (c + k).alpha == pytest.approx(0.8591, abs=5e-4)


@pytest.mark.parametrize(("bertha", "bill", "observed", "expected", "alpha"), [
    # Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological
    # Methodology 25:47-76, p. 57: pairs of observers unitizing 24 units of a continuum; D_e for
    # the continuous case (the continuum stretched 50,000-fold). Figures as reproduced in DKPro
    # Statistics' Krippendorff1995Test.
    ([(2, 8), (14, 6)], [(4, 4), (15, 2)], 0.03125, 0.06990, 0.553),
    ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)], 2.26736, 1.17731, -0.926),
    ([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)], [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)], 0.38715, 0.41445, 0.066),
])
def test_krippendorff_1995_examples(bertha: list[tuple[int, int]], bill: list[tuple[int, int]], observed: float,
                                    expected: float, alpha: float) -> None:
    at_scale = unitizing_disagreement([(24, [_spans(bertha), _spans(bill)])])
    assert at_scale.observed == pytest.approx(observed, abs=1e-5)
    stretched = unitizing_disagreement([(24 * 50_000, [_spans(bertha, stretch=50_000), _spans(bill, stretch=50_000)])])
    assert stretched.expected == pytest.approx(expected, abs=5e-3)
    assert 1 - at_scale.observed / stretched.expected == pytest.approx(alpha, abs=0.02)


def test_identical_unitizing_is_perfect_and_order_free() -> None:
    rng = random.Random(4)
    spans = sorted((s, s + rng.randint(1, 30)) for s in rng.sample(range(0, 900, 40), 10))
    same = unitizing_disagreement([(1000, [spans, list(reversed(spans))])])
    assert same.observed == 0 and same.alpha == 1.0
    shifted = unitizing_disagreement([(1000, [spans, [(s + 3, e + 3) for s, e in spans]])])
    assert shifted.alpha is not None and 0 < shifted.alpha < 1


def test_agreement_reports_alpha_u_per_code_and_pooled() -> None:
    doc = CodedDocument(300, {("c", "A"): [(75, 145), (220, 250)], ("c", "B"): [(70, 150), (205, 225), (250, 270)],
                              ("k", "A"): [(30, 90), (150, 200)], ("k", "B"): [(30, 90), (150, 200)]})
    result = compute_agreement([doc], coders=["A", "B"], nodes=["c", "k"])
    c, k = result.nodes
    assert c.alpha_unitizing == pytest.approx(0.7286, abs=5e-4) and k.alpha_unitizing == 1.0
    assert result.overall.alpha_unitizing == pytest.approx(0.8591, abs=5e-4)
    # A document one coder was not assigned is left out of alpha-U.
    other = CodedDocument(300, {("c", "A"): [(0, 300)]}, coders=frozenset({"A"}))
    again = compute_agreement([doc, other], coders=["A", "B"], nodes=["c", "k"])
    assert again.nodes[0].alpha_unitizing == pytest.approx(c.alpha_unitizing)
