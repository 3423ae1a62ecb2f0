"""Reliability coefficients against published, hand-worked examples and the reference implementation."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest

from qualcode.analysis.reliability import PairTable, binary_units, cohen_kappa, nominal_alpha


def test_kappa_of_the_wikipedia_worked_example_is_0_40() -> None:
    # Wikipedia, "Cohen's kappa", section "Simple example": 50 grant proposals, readers A and B;
    # both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
    table = PairTable(both=20, only_a=5, only_b=10, neither=15)
    assert table.percent == pytest.approx(70.0)
    assert cohen_kappa(table) == pytest.approx(0.4)


@pytest.mark.parametrize(("table", "expected"), [
    # Wikipedia, "Cohen's kappa", "Same percentages but different numbers": both tables have
    # p_o = 0.60 but kappa 0.1304 and 0.2593 because their marginals differ.
    (PairTable(45, 15, 25, 15), 0.1304),
    (PairTable(25, 35, 5, 35), 0.2593),
])
def test_kappa_depends_on_the_marginals_not_only_on_observed_agreement(table: PairTable, expected: float) -> None:
    assert table.percent == pytest.approx(60.0)
    assert cohen_kappa(table) == pytest.approx(expected, abs=5e-5)


def test_kappa_is_undefined_when_both_coders_never_use_the_code() -> None:
    table = PairTable(0, 0, 0, 1000)
    assert table.percent == 100.0
    assert table.kappa is None


def test_alpha_of_krippendorff_2011_binary_two_observer_example_is_0_095() -> None:
    # Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Section A: binary data,
    # two observers, no missing data, ten units. Published result: alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    units = [((2 - x - y, x + y), 1.0) for x, y in zip(a, b, strict=True)]
    assert nominal_alpha(units) == pytest.approx(0.095, abs=5e-4)


def test_alpha_of_krippendorff_2011_nominal_four_observer_example_with_missing_data_is_0_743() -> None:
    # Krippendorff (2011), Section C: nominal data, four observers, twelve units, missing values.
    # Published result: alpha = 0.743.
    nan = math.nan
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    units = []
    for column in zip(*data, strict=True):
        counts = [sum(1 for v in column if v == value) for value in range(1, 6)]
        units.append((counts, 1.0))
    assert nominal_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_weighted_units_equal_repeated_units() -> None:
    repeated = [((1, 1), 1.0)] * 3 + [((2, 0), 1.0)] * 7 + [((0, 2), 1.0)] * 5
    weighted = [((1, 1), 3.0), ((2, 0), 7.0), ((0, 2), 5.0)]
    assert nominal_alpha(weighted) == pytest.approx(nominal_alpha(repeated))


def test_alpha_is_undefined_without_variation() -> None:
    assert nominal_alpha([((3, 0), 10.0)]) is None


@pytest.mark.parametrize("seed", range(12))
def test_alpha_matches_the_krippendorff_package_on_random_binary_data(seed: int) -> None:
    rng = random.Random(seed)
    coders = rng.randint(2, 5)
    n_units = rng.randint(5, 200)
    bias = [rng.random() for _ in range(coders)]
    data = np.array([[1.0 if rng.random() < bias[c] else 0.0 for _ in range(n_units)] for c in range(coders)])
    for c in range(coders):  # some missing values
        for u in rng.sample(range(n_units), n_units // 10):
            data[c, u] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=[0.0, 1.0])
    units = []
    for u in range(n_units):
        column = data[:, u]
        units.append(((int(np.sum(column == 0)), int(np.sum(column == 1))), 1.0))
    ours = nominal_alpha(units)
    if math.isnan(expected):
        assert ours is None
    else:
        assert ours == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_from_a_coverage_histogram_matches_the_package(seed: int) -> None:
    rng = random.Random(100 + seed)
    coders = rng.randint(2, 4)
    histogram = [rng.randint(0, 50) for _ in range(coders + 1)]
    rows = [[1] * k + [0] * (coders - k) for k, count in enumerate(histogram) for _ in range(count)]
    data = np.array(rows, dtype=float).T
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=[0.0, 1.0])
    assert nominal_alpha(binary_units(histogram)) == pytest.approx(expected, abs=1e-9)


def test_kappa_matches_a_direct_count_on_random_units() -> None:
    rng = random.Random(3)
    a = [rng.random() < 0.3 for _ in range(500)]
    b = [x if rng.random() < 0.8 else not x for x in a]
    n = len(a)
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    pairs = list(zip(a, b, strict=True))
    table = PairTable(sum(x and y for x, y in pairs), sum(x and not y for x, y in pairs),
                      sum(y and not x for x, y in pairs), sum(not x and not y for x, y in pairs))
    assert cohen_kappa(table) == pytest.approx((po - pe) / (1 - pe))
