"""Agreement on character, sentence and segment units, assembled from spans."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest

from qualcode.analysis.agreement import CodedDocument, compute_agreement, sentence_histogram
from qualcode.analysis.intervals import coverage_histogram, merge
from qualcode.analysis.reliability import PairTable, cohen_kappa
from qualcode.analysis.segments import match_segments, overlap_ratio
from qualcode.domain.errors import ValidationError


def test_character_kappa_reproduces_the_wikipedia_example_laid_out_as_text() -> None:
    # Wikipedia "Cohen's kappa" simple example (20 / 5 / 10 / 15 of 50 units, kappa 0.4), with each
    # unit a character: A codes characters 0-24, B codes 0-19 and 25-34.
    doc = CodedDocument(50, {("trust", "A"): [(0, 25)], ("trust", "B"): [(0, 20), (25, 35)]})
    result = compute_agreement([doc], coders=["A", "B"], nodes=["trust"])
    pair = result.nodes[0].pairs[0]
    assert pair.all_text == PairTable(20, 5, 10, 15)
    assert pair.all_text.kappa == pytest.approx(0.4)
    assert pair.all_text.percent == pytest.approx(70.0)
    # Without the 15 characters neither coder touched, agreement is far lower: the honest figure.
    assert pair.coded_text == PairTable(20, 5, 10, 0)
    assert pair.coded_text.percent == pytest.approx(100 * 20 / 35)
    assert pair.coded_text.kappa == pytest.approx(cohen_kappa(PairTable(20, 5, 10, 0)))
    assert pair.coded_text.kappa < 0 < pair.all_text.kappa


def test_coded_text_keeps_text_coded_with_other_codes_as_agreement_on_absence() -> None:
    doc = CodedDocument(1000, {
        ("trust", "A"): [(0, 10)], ("trust", "B"): [(0, 10)],
        ("delay", "A"): [(100, 150)], ("delay", "B"): [(100, 140)],
    })
    trust = compute_agreement([doc], coders=["A", "B"], nodes=["trust", "delay"]).nodes[0].pairs[0]
    assert trust.coded_text == PairTable(10, 0, 0, 50)
    assert trust.all_text == PairTable(10, 0, 0, 990)


def test_character_alpha_reproduces_krippendorff_2011_binary_example() -> None:
    # Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section A (alpha = 0.095):
    # A = 0100000010, B = 1110010000 over ten units, here ten characters coded or not.
    doc = CodedDocument(10, {("c", "A"): [(1, 2), (8, 9)], ("c", "B"): [(0, 3), (5, 6)]})
    result = compute_agreement([doc], coders=["A", "B"], nodes=["c"])
    assert result.nodes[0].alpha_characters == pytest.approx(0.095, abs=5e-4)
    assert result.overall.alpha_characters == pytest.approx(0.095, abs=5e-4)


def test_sentence_units_count_a_sentence_as_coded_when_any_of_it_is_coded() -> None:
    sentences = [(0, 10), (10, 20), (20, 30), (30, 40)]
    doc = CodedDocument(40, {("c", "A"): [(2, 5), (21, 23)], ("c", "B"): [(8, 12)], ("c", "C"): [(25, 26)]},
                        sentences=sentences)
    result = compute_agreement([doc], coders=["A", "B", "C"], nodes=["c"])
    # Sentence values per coder: A 1,0,1,0  B 1,1,0,0  C 0,0,1,0.
    data = np.array([[1, 0, 1, 0], [1, 1, 0, 0], [0, 0, 1, 0]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert result.sentence_units
    assert result.nodes[0].alpha_sentences == pytest.approx(expected)


def test_segments_match_one_to_one_by_overlap() -> None:
    assert overlap_ratio((0, 10), (5, 15)) == pytest.approx(5 / 15)
    # B's long segment overlaps both of A's short ones, but may match only one of them.
    assert match_segments([(0, 10), (10, 20)], [(0, 18)], threshold=0.5) == 1
    assert match_segments([(0, 10)], [(1, 10)], threshold=0.95) == 0
    doc = CodedDocument(100, {("c", "A"): [(0, 10), (50, 60), (80, 90)], ("c", "B"): [(1, 10), (52, 70)]})
    segments = compute_agreement([doc], coders=["A", "B"], nodes=["c"], threshold=0.5).nodes[0].pairs[0].segments
    assert (segments.reference, segments.candidate, segments.matched) == (3, 2, 1)
    assert segments.precision == pytest.approx(0.5)
    assert segments.recall == pytest.approx(1 / 3)
    assert segments.f1 == pytest.approx(2 * 1 / 5)


def test_overall_pools_every_code() -> None:
    doc = CodedDocument(100, {("x", "A"): [(0, 30)], ("x", "B"): [(10, 30)], ("y", "A"): [(50, 60)]})
    result = compute_agreement([doc], coders=["A", "B"], nodes=["x", "y"])
    x, y = (node.pairs[0].all_text for node in result.nodes)
    assert result.overall.pairs[0].all_text == x + y
    assert result.overall.coded_characters == {"A": 40, "B": 20}


def test_three_coders_give_three_pairs() -> None:
    doc = CodedDocument(10, {("c", "A"): [(0, 5)], ("c", "B"): [(0, 5)], ("c", "C"): [(5, 10)]})
    result = compute_agreement([doc], coders=["A", "B", "C"], nodes=["c"])
    assert [(p.coder_a, p.coder_b) for p in result.nodes[0].pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    assert result.nodes[0].pairs[0].all_text.kappa == pytest.approx(1.0)


def test_bad_choices_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ValidationError, match="two coders"):
        compute_agreement([], coders=["A"], nodes=[])
    with pytest.raises(ValidationError, match="threshold"):
        compute_agreement([], coders=["A", "B"], nodes=[], threshold=0)


def test_coverage_histogram_counts_characters_by_number_of_coders() -> None:
    assert coverage_histogram([[(0, 5)], [(3, 8)]], [(0, 10)]) == [2, 6, 2]
    assert coverage_histogram([[(0, 5)], [(3, 8)]], [(4, 6)]) == [0, 1, 1]
    assert merge([(5, 8), (0, 3), (2, 4), (8, 9)]) == [(0, 4), (5, 9)]


@pytest.mark.parametrize("seed", range(10))
def test_character_measures_match_a_brute_force_count_and_the_krippendorff_package(seed: int) -> None:
    rng = random.Random(seed)
    coders = ["A", "B", "C"][: rng.randint(2, 3)]
    nodes = ["n1", "n2"]
    docs, arrays = [], []
    for _ in range(rng.randint(1, 3)):
        n = rng.randint(20, 300)
        spans = {}
        grid = np.zeros((len(nodes), len(coders), n), dtype=int)
        for i, node in enumerate(nodes):
            for j, coder in enumerate(coders):
                chosen = []
                for _ in range(rng.randint(0, 4)):
                    s = rng.randrange(n)
                    e = min(n, s + rng.randint(1, 40))
                    chosen.append((s, e))
                    grid[i, j, s:e] = 1
                spans[node, coder] = chosen
        docs.append(CodedDocument(n, spans))
        arrays.append(grid)
    result = compute_agreement(docs, coders=coders, nodes=nodes)
    full = np.concatenate(arrays, axis=2)  # node x coder x character
    for i, node_result in enumerate(result.nodes):
        a, b = full[i, 0], full[i, 1]
        table = node_result.pairs[0].all_text
        assert table == PairTable(int(np.sum(a & b)), int(np.sum(a & ~b & 1)), int(np.sum(b & ~a & 1)),
                                  int(np.sum((1 - a) & (1 - b))))
        data = full[i].astype(float)
        if len(np.unique(data)) > 1:
            expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
            assert node_result.alpha_characters == pytest.approx(expected, abs=1e-9)
    pooled = np.concatenate([full[i] for i in range(len(nodes))], axis=1).astype(float)
    if len(np.unique(pooled)) > 1:
        expected = krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal")
        assert result.overall.alpha_characters == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_sentence_histogram_matches_checking_every_sentence(seed: int) -> None:
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, 500), 40))
    sentences = [(a + 1, b) for a, b in zip([0, *cuts], cuts, strict=False) if b > a + 1]
    sets = [merge((s, s + rng.randint(1, 30)) for s in rng.sample(range(500), rng.randint(0, 8))) for _ in range(3)]
    expected = [0, 0, 0, 0]
    for start, end in sentences:
        expected[sum(any(s < end and start < e for s, e in spans) for spans in sets)] += 1
    assert sentence_histogram(sets, sentences) == expected
