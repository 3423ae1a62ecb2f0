"""Heatmap and bar chart figures: written as PNG, SVG and PDF, labels kept readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.image import imread

from qualcode.domain.errors import ValidationError
from qualcode.viz.bar_chart import bar_chart
from qualcode.viz.figure_files import save_figure, shorten
from qualcode.viz.heatmap import cooccurrence_heatmap

LABELS = ["Trust", "Access to care", "A very long theme name that would crowd the axis labels", "Cost"]
COUNTS = [[5, 2, 0, 1], [2, 3, 1, 0], [0, 1, 4, 2], [1, 0, 2, 6]]


def test_heatmap_in_three_formats(tmp_path: Path) -> None:
    figure = cooccurrence_heatmap(LABELS, COUNTS, title="Co-occurrence of nodes", value_label="Co-occurring pairs",
                                  subtitle="all documents", emphasise=[True, False, False, False])
    png = imread(save_figure(figure, tmp_path / "h.png", dpi=100))
    assert png.shape[0] > 200 and png.shape[1] > 200
    svg = save_figure(figure, tmp_path / "h.svg").read_text(encoding="utf-8")
    assert "Co-occurrence of nodes" in svg and "Access to care" in svg
    assert "crowd the axis labels" not in svg and shorten(LABELS[2]) in svg
    assert (tmp_path / "h.pdf").exists() is False
    assert save_figure(figure, tmp_path / "h.pdf").read_bytes()[:5] == b"%PDF-"


def test_bar_chart_single_and_stacked(tmp_path: Path) -> None:
    single = bar_chart(["listen", "trust", "nurse"], [3, 2, 1], title="Most frequent words", value_label="Count")
    assert "listen" in save_figure(single, tmp_path / "w.svg").read_text(encoding="utf-8")
    stacked = bar_chart(["listen", "trust"], [[1, 2], [2, 0]], groups=["Site 1", "Site 2"], title="By site",
                        value_label="Count")
    text = save_figure(stacked, tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "Site 1" in text and "Site 2" in text


def test_figure_files_refuse_bad_names_and_resolutions(tmp_path: Path) -> None:
    figure = bar_chart(["a"], [1], title="t", value_label="n")
    with pytest.raises(ValidationError, match=r"Cannot save a figure as '\.jpg'"):
        save_figure(figure, tmp_path / "f.jpg")
    with pytest.raises(ValidationError, match="does not exist"):
        save_figure(figure, tmp_path / "missing" / "f.png")
    with pytest.raises(ValidationError, match="5 dpi is out of range"):
        save_figure(figure, tmp_path / "f.png", dpi=5)
    assert not list(tmp_path.iterdir())
