"""The programme-theory diagram: shared statements once, readable text, no overlaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import ValidationError
from qualcode.viz.programme_theory import (
    RC_PARAMS,
    ProgrammeTheory,
    TheoryConfiguration,
    TheoryPanel,
    draw_programme_theory,
    label_list,
    save_programme_theory,
)

CMO = (("C", "context"), ("M", "mechanism"), ("O", "outcome"))
LONG = ("When link workers give patients unhurried time in the first meeting, without the pressure of a "
        "fifteen-minute appointment and a queue of other patients waiting outside the door")
THEORY = ProgrammeTheory("Programme theory", (
    TheoryPanel("Engagement", CMO, (
        TheoryConfiguration("CMOC 1", "confirmed", (("C", LONG), ("M", "patients feel listened to"),
                                                    ("O", "so they continue to attend sessions"))),
        TheoryConfiguration("CMOC 2", "refuted", (("C", "When the link worker changes"),
                                                  ("M", "Patients feel listened to."),
                                                  ("O", "so they continue to attend sessions"),
                                                  ("O", "report feeling less alone"))),
        TheoryConfiguration("CMOC 3", "proposed", (("C", "When support ends abruptly"),
                                                   ("O", "so they stop attending"))),
    )),
))


def _texts(figure):  # type: ignore[no-untyped-def]
    return [t for t in figure.axes[0].texts if t.get_text().strip()]


def test_shared_statements_are_drawn_once_and_list_their_configurations() -> None:
    figure = draw_programme_theory(THEORY)
    texts = [t.get_text() for t in _texts(figure)]
    assert texts.count("Patients feel listened to") == 1
    assert texts.count("so they continue to attend sessions") == 1  # a joining word keeps its lower case
    assert "CMOC 1, 2" in texts
    assert "No mechanism stated yet" in texts  # CMOC 3 has no mechanism: a placeholder keeps its chain


def test_text_stays_inside_boxes_and_nothing_overlaps() -> None:
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import FancyBboxPatch

    figure = draw_programme_theory(THEORY)
    figure.set_dpi(150)
    canvas = FigureCanvasAgg(figure)
    with rc_context(RC_PARAMS):  # as when the figure is saved
        canvas.draw()
        renderer = canvas.get_renderer()
        boxes = [p.get_window_extent(renderer) for p in figure.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 8  # 3 contexts, 1 mechanism + 1 placeholder, 3 outcomes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
        texts = [t.get_window_extent(renderer) for t in _texts(figure)]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not a.overlaps(b), "two labels overlap"
    inside = 0
    for text in texts:
        holders = [box for box in boxes if box.x0 <= text.x0 and text.x1 <= box.x1 and box.y0 <= text.y0
                   and text.y1 <= box.y1]
        crossing = [box for box in boxes if box.overlaps(text)]
        assert len(crossing) == len(holders) <= 1, "a label sticks out of its box"
        inside += len(holders)
    assert inside >= 14  # statement lines and configuration lists sit inside boxes
    long_lines = [t.get_text() for t in _texts(figure) if t.get_text() and t.get_text() in LONG]
    assert len(long_lines) >= 4 and " ".join(long_lines) == LONG  # wrapped, every word kept


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_saved_in_each_format_with_searchable_text(tmp_path: Path, suffix: str) -> None:
    path = save_programme_theory(THEORY, tmp_path / f"theory.{suffix}", dpi=100)
    data = path.read_bytes()
    assert data.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[suffix])
    if suffix == "svg":
        assert b"Patients feel listened to" in data
    if suffix == "pdf":
        import pypdf

        text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        assert "Patients feel listened to" in text
    assert [p.name for p in tmp_path.iterdir()] == [f"theory.{suffix}"]


def test_png_has_the_requested_resolution(tmp_path: Path) -> None:
    from PIL import Image

    small = Image.open(save_programme_theory(THEORY, tmp_path / "a.png", dpi=100))
    large = Image.open(save_programme_theory(THEORY, tmp_path / "b.png", dpi=300))
    assert abs(large.size[0] - 3 * small.size[0]) <= 3 and 1000 <= small.size[0] <= 1200


def test_bad_requests_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"use \.png, \.svg or \.pdf"):
        save_programme_theory(THEORY, tmp_path / "theory.jpg")
    with pytest.raises(ValidationError, match="1200"):
        save_programme_theory(THEORY, tmp_path / "theory.png", dpi=5000)
    with pytest.raises(ValidationError, match="no configurations to draw"):
        draw_programme_theory(ProgrammeTheory("", ()))


def test_label_lists_are_compact() -> None:
    assert label_list(["CMOC 1", "CMOC 4", "CMOC 12b"]) == "CMOC 1, 4, 12b"
    assert label_list(["E1", "CMOC 2"]) == "E1, CMOC 2"
    assert label_list(["Trust"]) == "Trust"
