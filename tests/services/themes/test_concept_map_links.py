"""Links between themes of different networks: kept through merges, deletes and undo, drawn
on the whole-project concept map; the map fits a width by reflowing, never below 7 pt."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from qualcode.cli.main import main
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services.codebook import nodes
from qualcode.services.commands import UndoStack
from qualcode.services.themes.links import link_themes, theme_links, unlink_themes
from qualcode.services.themes.maps import map_links, map_roots
from qualcode.store.project import Project
from qualcode.viz.theme_map import LINK_COLOUR, render_theme_map
from qualcode.viz.theme_map_data import MapOptions
from tests.example_networks import open_social_prescribing


@pytest.fixture
def study(tmp_path: Path) -> tuple[Project, dict[str, int]]:
    project, ids = open_social_prescribing(tmp_path)
    yield project, ids
    project.close()


def _link(project: Project, ids: dict[str, int]) -> None:
    with project.session() as s:
        link_themes(s, source_id=ids["Warm handovers rather than signposting"],
                    target_id=ids["New friendships through groups"], label="leads to")
        link_themes(s, source_id=ids["Help with benefits and debt"], target_id=ids["Being treated as a whole person"],
                    label="frees time for")
        link_themes(s, source_id=ids["Bus fares and travel costs"], target_id=ids["Feeling part of the neighbourhood"])


def test_links_are_one_step_each_and_follow_merges_and_deletes(study: tuple[Project, dict[str, int]]) -> None:
    project, ids = study
    _link(project, ids)
    with project.session() as s:
        with pytest.raises(ValidationError, match="cannot be linked to itself"):
            link_themes(s, source_id=ids["Digital exclusion"], target_id=ids["Digital exclusion"])
        stack = UndoStack()
        stack.push(link_themes(s, source_id=ids["New friendships through groups"],
                               target_id=ids["Warm handovers rather than signposting"], label="makes possible"))
        assert len(theme_links(s)) == 3 and theme_links(s)[0].label == "makes possible"
        stack.undo(s)
        assert theme_links(s)[0].label == "leads to"
        # Merging a linked theme passes its link to the theme that remains.
        nodes.merge_nodes(s, source_id=ids["Housing repairs and moves"], target_id=ids["Help with benefits and debt"])
        stack.push(nodes.merge_nodes(s, source_id=ids["Help with benefits and debt"],
                                     target_id=ids["Practical problems resolved"]))
        assert (ids["Practical problems resolved"], ids["Being treated as a whole person"], "frees time for") in {
            (link.source_id, link.target_id, link.label) for link in theme_links(s)}
        stack.undo(s)
        assert ids["Help with benefits and debt"] in {link.source_id for link in theme_links(s)}
        stack.push(nodes.delete_node(s, node_id=ids["New friendships through groups"]))
        assert len(theme_links(s)) == 2
        stack.undo(s)
        assert len(theme_links(s)) == 3
        unlink_themes(s, source_id=ids["Feeling part of the neighbourhood"], target_id=ids["Bus fares and travel costs"])
        with pytest.raises(NotFoundError, match="are not linked"):
            unlink_themes(s, source_id=ids["Bus fares and travel costs"],
                          target_id=ids["Feeling part of the neighbourhood"])


def _texts(figure: object) -> list[tuple[str, float, object]]:
    from matplotlib.text import Text

    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    return [(t.get_text(), t.get_fontsize(), t.get_window_extent(renderer))
            for t in figure.findobj(Text) if t.get_text().strip()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [7.0, 6.0])
def test_concept_map_draws_the_links_fits_the_width_and_keeps_text_readable(
        study: tuple[Project, dict[str, int]], width: float) -> None:
    project, ids = study
    _link(project, ids)
    with project.session() as s:
        roots = map_roots(s)
        links = map_links(s, roots)
    # The code 'Bus fares' is not drawn: its link starts from its theme.
    assert (ids["Barriers of cost and transport"], ids["Feeling part of the neighbourhood"]) in {
        (link.source_id, link.target_id) for link in links}
    rendered = render_theme_map(roots, MapOptions(width=width), links)
    figure = rendered.figure
    assert rendered.width == pytest.approx(width) and rendered.warnings == ()
    texts = _texts(figure)
    assert min(size for _t, size, _b in texts) >= 7.0 - 1e-6
    page = figure.bbox
    for i, (text, _s, box) in enumerate(texts):
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 - 0.5 <= box.y0 \
            and box.y1 <= page.y1 + 0.5, text
        for other, _s2, other_box in texts[i + 1:]:
            overlap = min(box.x1, other_box.x1) - max(box.x0, other_box.x0), \
                min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            assert overlap[0] <= 0.5 or overlap[1] <= 0.5, (text, other)
    from matplotlib.colors import to_hex
    from matplotlib.patches import FancyArrowPatch

    arcs = [p for p in figure.findobj(FancyArrowPatch) if to_hex(p.get_edgecolor()) == LINK_COLOUR]
    assert len(arcs) == 3
    shown = [t for t, _s, _b in texts]
    assert "leads to" in shown and "frees time for" in shown


def test_cli_links_themes_and_draws_the_concept_map_at_seven_inches(study: tuple[Project, dict[str, int]],
                                                                     tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project, _ids = study
    path = str(project.path)
    project.close()
    assert main(["theme", "link", path, "Warm handovers rather than signposting", "New friendships through groups",
                 "--label", "leads to"]) == 0
    assert capsys.readouterr().out == "Link 'Warm handovers rather than signposting' to 'New friendships through " \
                                      "groups'\n"
    out = tmp_path / "concept.png"
    assert main(["export", "map", path, "--concept-map", "--width", "7", "--dpi", "100", "-o", str(out)]) == 0
    with Image.open(out) as image:
        assert image.size[0] == 700
    assert main(["theme", "unlink", path, "Digital exclusion", "New friendships through groups"]) == 1
    assert "are not linked" in capsys.readouterr().err
