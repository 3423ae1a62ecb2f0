"""The programme theory as a pathway of stages: 26 configurations in 5 concepts fit a
7 × 9 inch page, no text below 7 pt, no text overlapping other text or leaving the page,
stages in the researcher's order, shared statements drawn once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from qualcode.domain.errors import ValidationError
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import export as cmo_export
from qualcode.store.project import Project
from qualcode.viz.pathway import PathwayOptions, draw_pathway, layout_pathway
from tests.realist_sample import build_sample


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = Project.create(tmp_path_factory.mktemp("pathway") / "sp.qualcode")
    with project.session() as session:
        build_sample(session)
        cmo.create_configuration(session, concept="Linking to community resources", status="new", statements=[
            ("C", "When a group meets near the patient's home"), ("M", "Patients feel it is within reach"),
            ("O", "and so they try a first session")])
    yield project
    project.close()


def _texts(figure: object) -> list[tuple[str, float, object]]:
    from matplotlib.text import Text

    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    found = []
    for artist in figure.axes[0].get_children():  # type: ignore[attr-defined]
        if isinstance(artist, Text) and artist.get_text().strip():
            found.append((artist.get_text(), artist.get_fontsize(), artist.get_window_extent(renderer)))
    return found


def test_26_configurations_fit_seven_by_nine_inches_readable_and_without_overlaps(project: Project) -> None:
    with project.session() as session:
        theory = cmo_export.programme_theory(session)
        assert sum(len(p.configurations) for p in theory.panels) == 26
        assert len({p.concept for p in theory.panels}) == 5
    layout = layout_pathway(theory.panels, PathwayOptions(width=7, height=9))
    figure = draw_pathway(layout)
    width, height = figure.get_size_inches()
    assert width == pytest.approx(7.0) and height <= 9.0
    texts = _texts(figure)
    assert min(size for _t, size, _b in texts) >= 7.0
    page = figure.bbox
    for text, _size, box in texts:
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5, text
        assert page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5, text
    for i, (text, _s, box) in enumerate(texts):
        for other, _s2, other_box in texts[i + 1:]:
            overlap_x = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
            overlap_y = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (text, other)
    shown = [t for t, _s, _b in texts]
    # Stages in first-use order, numbered; a statement three configurations share is drawn once.
    assert [t for t in shown if re.match(r"\d\. ", t)] == [
        "1. Enrolment", "2. Engagement — interpersonal skills", "3. Readiness", "4. Linking to community resources",
        "5. Sustaining change"]
    assert shown.count("so they attend the first appointment") == 1
    assert "[1, 4, 5]" in shown
    # Lower case kept for a statement that opens with "and".
    assert any(t.startswith("and so they try a first session") for t in shown)


def test_stages_follow_the_order_given_and_png_svg_files_keep_the_page(project: Project, tmp_path: Path) -> None:
    with project.session() as session:
        written = cmo_export.export_pathway(session, path=tmp_path / "pt.png", dpi=100, stages=[
            "Sustaining change", "readiness"])
        svg = cmo_export.export_pathway(session, path=tmp_path / "pt.svg", stages=["Sustaining change"])[0]
    with Image.open(written[0]) as image:
        assert image.size[0] == 700 and image.size[1] <= 900
    text = svg.read_text(encoding="utf-8")
    order = [text.index(f"{n}. {name}") for n, name in
             ((1, "Sustaining change"), (2, "Enrolment"), (3, "Engagement"), (4, "Readiness"))]
    assert order == sorted(order)


def test_a_page_too_small_is_refused_and_one_concept_per_page_fits(project: Project, tmp_path: Path) -> None:
    with project.session() as session:
        with pytest.raises(ValidationError, match=r"needs \d+\.\d inches of height at 7 pt, more than the 4 inches"):
            cmo_export.export_pathway(session, path=tmp_path / "small.png", width=5, height=4)
        assert not list(tmp_path.glob("small*"))
        pages = cmo_export.export_pathway(session, path=tmp_path / "page.png", width=5, height=4, per_concept=True,
                                          dpi=60)
        with pytest.raises(ValidationError, match="no concept 'Nope'"):
            cmo_export.export_pathway(session, path=tmp_path / "x.png", stages=["Nope"])
    assert [p.name for p in pages] == ["page-1-enrolment.png", "page-2-engagement-interpersonal-skills.png",
                                       "page-3-readiness.png", "page-4-linking-to-community-resources.png",
                                       "page-5-sustaining-change.png"]
    for page in pages:
        with Image.open(page) as image:
            assert image.size[0] == 300 and image.size[1] <= 240
