"""Prevalence-robust coefficients, Fleiss' kappa, bootstrap intervals and missing documents,
each checked against a published worked example and against independent implementations
(scikit-learn, NLTK, irrCAC, `krippendorff`) on random data."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pandas as pd
import pytest
from irrCAC.raw import CAC
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score

from qualcode.analysis.agreement import CodedDocument, compute_agreement
from qualcode.analysis.reliability import PairTable, brennan_prediger, fleiss_kappa, gwet_ac1


def test_the_kappa_paradox_tables_of_feinstein_and_cicchetti_1990() -> None:
    # Feinstein & Cicchetti (1990), "High agreement but low kappa: I. The problems of two
    # paradoxes", J Clin Epidemiol 43(6):543-549: two tables with the same observed agreement
    # 0.85 give kappa 0.70 (balanced) and 0.32 (one category prevalent).
    balanced, skewed = PairTable(40, 9, 6, 45), PairTable(80, 10, 5, 5)
    assert balanced.percent == skewed.percent == pytest.approx(85.0)
    assert balanced.kappa == pytest.approx(0.70, abs=5e-3)
    assert skewed.kappa == pytest.approx(0.32, abs=5e-3)
    # The prevalence-robust coefficients do not collapse on the skewed table.
    assert skewed.prevalence == pytest.approx(0.875)
    assert skewed.ac1 == pytest.approx((0.85 - 2 * 0.875 * 0.125) / (1 - 2 * 0.875 * 0.125))
    assert skewed.ac1 > 0.8 and skewed.bp == pytest.approx(0.70)
    assert brennan_prediger(balanced) == pytest.approx(0.70)


def test_fleiss_kappa_reproduces_the_wikipedia_worked_example() -> None:
    # Wikipedia, "Fleiss' kappa", worked example: 14 raters put 10 subjects into 5 categories;
    # P-bar = 0.378, P_e = 0.213, kappa = 0.210 (Fleiss 1971 formula).
    table = [(0, 0, 0, 0, 14), (0, 2, 6, 4, 2), (0, 0, 3, 5, 6), (0, 3, 9, 2, 0), (2, 2, 8, 1, 1),
             (7, 7, 0, 0, 0), (3, 2, 6, 3, 0), (2, 5, 3, 2, 2), (6, 5, 2, 1, 0), (0, 2, 2, 3, 7)]
    assert fleiss_kappa([(row, 1.0) for row in table]) == pytest.approx(0.210, abs=5e-4)


def _ratings(seed: int, coders: int, missing: bool = False) -> tuple[list[CodedDocument], np.ndarray]:
    """Random codings of one code in a few documents, and the same as a coder x character grid (NaN: missing)."""
    rng = random.Random(seed)
    names = ["A", "B", "C", "D"][:coders]
    docs, grids = [], []
    for index in range(rng.randint(2, 4)):
        n = rng.randint(30, 200)
        grid = np.zeros((coders, n))
        spans = {}
        for c, name in enumerate(names):
            chosen = []
            for _ in range(rng.randint(1, 4)):
                start = rng.randrange(n)
                end = min(n, start + rng.randint(1, 60))
                chosen.append((start, end))
                grid[c, start:end] = 1
            spans["code", name] = chosen
        assigned = None
        if missing and index == 0:
            assigned = frozenset(names[1:])
            grid[0, :] = np.nan
        docs.append(CodedDocument(n, spans, coders=assigned))
        grids.append(grid)
    return docs, np.concatenate(grids, axis=1)


@pytest.mark.parametrize("seed", range(6))
def test_pair_coefficients_match_scikit_learn_nltk_and_irrcac(seed: int) -> None:
    docs, grid = _ratings(seed, 2)
    pair = compute_agreement(docs, coders=["A", "B"], nodes=["code"]).nodes[0].pairs[0]
    a, b = grid.astype(int)
    assert pair.all_text.kappa == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)
    task = AnnotationTask(data=[(coder, str(unit), str(value)) for coder, row in zip("AB", (a, b), strict=True)
                                for unit, value in enumerate(row)])
    assert pair.all_text.bp == pytest.approx(task.S(), abs=1e-9)
    assert pair.all_text.kappa == pytest.approx(task.kappa(), abs=1e-9)
    ratings = CAC(pd.DataFrame({"A": a, "B": b}), digits=12)
    assert pair.all_text.ac1 == pytest.approx(ratings.gwet()["est"]["coefficient_value"], abs=1e-9)
    assert pair.all_text.bp == pytest.approx(ratings.bp()["est"]["coefficient_value"], abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_fleiss_kappa_and_alpha_with_missing_documents_match_irrcac_and_krippendorff(seed: int) -> None:
    coders = 3 + seed % 2
    docs, grid = _ratings(seed, coders, missing=True)
    names = ["A", "B", "C", "D"][:coders]
    result = compute_agreement(docs, coders=names, nodes=["code"]).nodes[0]
    frame = pd.DataFrame({name: grid[c] for c, name in enumerate(names)})
    expected = CAC(frame, digits=12).fleiss()["est"]["coefficient_value"]
    assert result.fleiss_kappa == pytest.approx(expected, abs=1e-9)
    alpha = krippendorff.alpha(reliability_data=grid, level_of_measurement="nominal")
    assert result.alpha_characters == pytest.approx(alpha, abs=1e-9)
    # Coder A was not assigned the first document: A's pairs leave it out, B-C keep it.
    first = docs[0].length
    by_pair = {(p.coder_a, p.coder_b): p.all_text.units for p in result.pairs}
    assert by_pair["A", "B"] == grid.shape[1] - first
    assert by_pair["B", "C"] == grid.shape[1]
    ab = ~np.isnan(grid[0])
    assert result.pairs[0].all_text.kappa == pytest.approx(
        cohen_kappa_score(grid[0][ab].astype(int), grid[1][ab].astype(int)), abs=1e-9)


def test_a_documents_coder_who_was_not_assigned_is_missing_not_disagreeing() -> None:
    # B was assigned only the first interview; A coded both. Counting the second as "B did not
    # code it" would turn A's work there into disagreement.
    docs = [CodedDocument(100, {("c", "A"): [(0, 50)], ("c", "B"): [(0, 50)]}),
            CodedDocument(100, {("c", "A"): [(0, 80)]}, coders=frozenset({"A"}))]
    node = compute_agreement(docs, coders=["A", "B"], nodes=["c"]).nodes[0]
    assert node.pairs[0].all_text == PairTable(50, 0, 0, 50)
    assert node.pairs[0].all_text.kappa == pytest.approx(1.0)
    assert node.alpha_characters == pytest.approx(1.0)


def test_coded_text_kappa_does_not_depend_on_the_other_codes_chosen() -> None:
    doc = CodedDocument(1000, {
        ("trust", "A"): [(0, 90)], ("trust", "B"): [(0, 100)],
        ("delay", "A"): [(100, 150)], ("delay", "B"): [(100, 140)],
    })
    alone = compute_agreement([doc], coders=["A", "B"], nodes=["trust"]).nodes[0].pairs[0]
    together = compute_agreement([doc], coders=["A", "B"], nodes=["trust", "delay"]).nodes[0].pairs[0]
    assert alone.coded_text == together.coded_text == PairTable(90, 0, 10, 50)
    assert alone.coded_kappa == together.coded_kappa == pytest.approx(cohen_kappa_score(
        [1] * 90 + [0] * 10 + [0] * 50, [1] * 100 + [0] * 50))


def test_coded_text_kappa_is_undefined_when_the_code_covers_all_coded_text() -> None:
    # 90 % agreement, but no coded character lies outside the code: kappa would be 0, so n/a.
    doc = CodedDocument(1000, {("trust", "A"): [(0, 90)], ("trust", "B"): [(0, 100)]})
    pair = compute_agreement([doc], coders=["A", "B"], nodes=["trust"]).nodes[0].pairs[0]
    assert pair.coded_text == PairTable(90, 0, 10, 0)
    assert pair.coded_text.percent == pytest.approx(90.0)
    assert pair.coded_text.kappa == pytest.approx(0.0)
    assert pair.coded_kappa is None


def test_bootstrap_intervals_resample_documents_reproducibly() -> None:
    docs, _grid = _ratings(3, 2)
    docs = docs * 4  # enough documents to resample
    result = compute_agreement(docs, coders=["A", "B"], nodes=["code"], resamples=200, seed=7)
    again = compute_agreement(docs, coders=["A", "B"], nodes=["code"], resamples=200, seed=7)
    node = result.nodes[0]
    low, high = node.pairs[0].kappa_interval or (None, None)
    assert low is not None and high is not None and low <= node.pairs[0].all_text.kappa <= high
    alpha_low, alpha_high = node.alpha_interval or (None, None)
    assert alpha_low is not None and alpha_high is not None and alpha_low <= node.alpha_characters <= alpha_high
    assert node.pairs[0].kappa_interval == again.nodes[0].pairs[0].kappa_interval
    assert (result.resamples, result.seed) == (200, 7)
    # The same resamples drawn by hand, each measured from scratch, give the same interval.
    draws = np.random.default_rng(7).multinomial(len(docs), np.full(len(docs), 1 / len(docs)), size=200)
    kappas, alphas = [], []
    for counts in draws:
        sample = [doc for doc, times in zip(docs, counts, strict=True) for _ in range(times)]
        measured = compute_agreement(sample, coders=["A", "B"], nodes=["code"]).nodes[0]
        kappas.append(measured.pairs[0].all_text.kappa)
        alphas.append(measured.alpha_characters)
    assert node.pairs[0].kappa_interval == pytest.approx(tuple(np.percentile(kappas, [2.5, 97.5])))
    assert node.alpha_interval == pytest.approx(tuple(np.percentile(alphas, [2.5, 97.5])))


def test_no_interval_from_a_single_document() -> None:
    docs, _grid = _ratings(1, 2)
    result = compute_agreement(docs[:1], coders=["A", "B"], nodes=["code"], resamples=100)
    assert result.nodes[0].pairs[0].kappa_interval is None and result.resamples == 0


def test_gwet_ac1_of_a_table_without_units_is_undefined() -> None:
    assert gwet_ac1(PairTable(0, 0, 0, 0)) is None and brennan_prediger(PairTable(0, 0, 0, 0)) is None
