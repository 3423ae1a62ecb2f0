"""The PRISMA 2020 flow diagram: every label stays inside its box and no two overlap, also with
long database names and exclusion reasons; PNG, SVG and PDF are written."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.viz.export import write_figure
from qualcode.viz.prisma import PrismaFlow, prisma_figure
from qualcode.viz.theme_map_data import ImageFormat

LONG = PrismaFlow(
    databases=(("MEDLINE via Ovid (1946 to November week 3 2026)", 812), ("Embase", 640),
               ("CINAHL Plus with Full Text", 301), ("PsycINFO", 120)),
    registers=14, duplicates=410, automation=22, removed_other=3, screened=1452, screened_excluded=1380, sought=72,
    not_retrieved=4, assessed=68,
    excluded_reasons=(("Not a qualitative or mixed-methods study design", 21),
                      ("Wrong population (not referred via primary care)", 17), ("Conference abstract only", 9),
                      ("Not in English", 5)),
    included=16, reports_included=18)


def test_labels_stay_inside_their_boxes_and_never_overlap() -> None:
    from matplotlib.patches import Rectangle

    figure = prisma_figure(LONG, title="A review")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axes = figure.axes[0]
    boxes = [p.get_window_extent(renderer) for p in axes.patches if isinstance(p, Rectangle)]
    texts = [t for t in axes.texts if t.get_text() and t.get_rotation() == 0 and t.get_text() != "A review"]
    extents = [t.get_window_extent(renderer) for t in texts]
    for text, extent in zip(texts, extents, strict=True):
        assert any(box.contains(extent.x0, extent.y0) and box.contains(extent.x1, extent.y1) for box in boxes), (
            text.get_text())
    for i, a in enumerate(extents):
        for b in extents[i + 1:]:
            assert not a.overlaps(b)
    joined = "\n".join(t.get_text() for t in texts)
    assert "Records screened\n(n = 1,452)" in joined and "Databases (n = 1,873)" in joined


@pytest.mark.parametrize("fmt", [ImageFormat.PNG, ImageFormat.SVG, ImageFormat.PDF])
def test_written_in_each_format(tmp_path: Path, fmt: ImageFormat) -> None:
    path = tmp_path / f"flow.{fmt.value}"
    write_figure(prisma_figure(LONG), path, fmt, dpi=80)
    head = path.read_bytes()[:8]
    assert head.startswith({ImageFormat.PNG: b"\x89PNG", ImageFormat.SVG: b"<?xml", ImageFormat.PDF: b"%PDF"}[fmt])
