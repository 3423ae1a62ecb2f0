"""The fast RGB PNG writer: any decoder reads back the same pixels, physical size and text."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

from qualcode.viz.png import write_rgb_png


def opaque_pixels(height: int, width: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    rgba = np.full((height, width, 4), 255, dtype=np.uint8)
    rgba[:, :, :3] = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    rgba[height // 3:, : width // 2, :3] = (31, 59, 87)  # a flat block, as figures mostly are
    return rgba


def test_png_reads_back_with_the_same_colours_over_many_bands(tmp_path: Path) -> None:
    rgba = opaque_pixels(700, 333)  # more rows than one band, an odd width
    path = tmp_path / "figure.png"
    write_rgb_png(path, rgba, dpi=300)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.mode == "RGB" and image.size == (333, 700)
        assert np.array_equal(np.asarray(image), rgba[:, :, :3])


def test_png_carries_its_dpi_and_text_including_non_latin_text() -> None:
    buffer = io.BytesIO()
    write_rgb_png(buffer, opaque_pixels(20, 30), dpi=150, level=1,
                  text={"Software": "QualCode", "Title": "Belonging — доверие, 信頼", "Author": None})
    buffer.seek(0)
    with Image.open(buffer) as image:
        image.load()
        assert tuple(round(d) for d in image.info["dpi"]) == (150, 150)
        assert image.info["Software"] == "QualCode"
        assert image.info["Title"] == "Belonging — доверие, 信頼"
        assert "Author" not in image.info


def test_png_ignores_the_alpha_channel_of_opaque_pixels() -> None:
    rgba = opaque_pixels(10, 10)
    other = rgba.copy()
    other[:, :, 3] = 0
    first, second = io.BytesIO(), io.BytesIO()
    write_rgb_png(first, rgba, dpi=72)
    write_rgb_png(second, other, dpi=72)
    assert first.getvalue() == second.getvalue()
