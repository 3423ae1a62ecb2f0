"""Layout geometry: the pair-by-pair test of a few segments decides exactly as the array test."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.viz import geometry
from qualcode.viz.geometry import segments_hit_boxes


def random_scene(seed: int) -> tuple[np.ndarray, ...]:
    """Segments and boxes on a coarse grid, so that ends land on box edges and many segments
    are exactly upright, flat or a single point."""
    rng = np.random.default_rng(seed)
    segments = rng.integers(-6, 7, size=(rng.integers(1, 6), 4)).astype(float) / 2
    x, y = (rng.integers(-6, 7, size=3).astype(float) / 2 for _ in range(2))
    w, h = (rng.integers(1, 5, size=3).astype(float) / 2 for _ in range(2))
    return segments, x, y, w, h


@pytest.mark.parametrize("margin", [0.0, 0.1])
def test_few_segment_box_pairs_are_decided_as_by_the_array_test(monkeypatch: pytest.MonkeyPatch,
                                                                margin: float) -> None:
    scenes = [random_scene(seed) for seed in range(3000)]
    exempt = [np.zeros((len(s[0]), len(s[1])), dtype=bool) for s in scenes]
    one_by_one = [segments_hit_boxes(*scene, none, margin) for scene, none in zip(scenes, exempt, strict=True)]
    monkeypatch.setattr(geometry, "_FEW_PAIRS", 0)
    at_once = [segments_hit_boxes(*scene, none, margin) for scene, none in zip(scenes, exempt, strict=True)]
    assert one_by_one == at_once
    assert 0.2 < np.mean(at_once) < 0.8  # both kinds of answer are tested, many times


def test_a_segment_through_a_box_hits_it_unless_exempt() -> None:
    segment = np.array([[-2.0, 0.0, 2.0, 0.0]])
    box = (np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array([1.0]))
    assert segments_hit_boxes(segment, *box, np.array([[False]]), 0.0)
    assert not segments_hit_boxes(segment, *box, np.array([[True]]), 0.0)
    above = np.array([[-2.0, 2.0, 2.0, 2.0]])
    assert not segments_hit_boxes(above, *box, np.array([[False]]), 0.0)
