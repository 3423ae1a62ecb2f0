"""Theme maps checked for real: measured label boxes never overlap; files open at the asked size."""

from __future__ import annotations

import itertools
import re
import warnings
from pathlib import Path

import pytest
from PIL import Image

from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level
from qualcode.viz.export import image_format, write_figure
from qualcode.viz.theme_map import RenderedMap, render_theme_map
from qualcode.viz.theme_map_data import ColourBy, CountShown, ImageFormat, MapLayout, MapNode, MapOptions

WORDS = ("negotiating", "everyday", "routines", "with", "link", "workers", "and", "community", "groups", "while",
         "managing", "long-term", "conditions", "across", "primary", "care", "and", "voluntary", "sector", "services")


def long_name(seed: int, length: int) -> str:
    """A theme name of about `length` characters (at most 80) made of real words."""
    words, text = itertools.cycle(WORDS[seed % 7:] + WORDS[: seed % 7]), ""
    while len(text) < length:
        text = f"{text} {next(words)}".strip()
    return text[:80].rsplit(" ", 1)[0] if len(text) > 80 else text


def long_network() -> MapNode:
    """1 global, 6 organising and 24 basic themes with names up to 80 characters."""
    ident = itertools.count(1)
    organising = []
    for o in range(6):
        basics = tuple(MapNode(next(ident), long_name(o * 4 + b, 30 + ((o * 4 + b) * 13) % 51), Level.BASIC,
                               codings=3 + b, participants=1 + b) for b in range(4))
        organising.append(MapNode(next(ident), long_name(o + 50, 40 + o * 8), Level.ORGANISING, "#d94801",
                                  codings=20 + o, participants=9, children=basics))
    return MapNode(next(ident), long_name(99, 80), Level.GLOBAL, "#8c2d04", 150, 18, tuple(organising))


def label_boxes(rendered: RenderedMap, dpi: int = 300) -> tuple[list[tuple[str, object]], list[object]]:
    """Every text's extent and every node box's extent, from matplotlib's renderer at `dpi`."""
    figure = rendered.figure
    figure.set_dpi(dpi)
    renderer = figure.canvas.get_renderer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # glyphs no font has: reported by render_theme_map
        texts = [(t.get_text(), t.get_window_extent(renderer)) for t in figure.texts if t.get_text()]
    boxes = [a.get_window_extent(renderer) for a in figure.artists if type(a).__name__ == "FancyBboxPatch"]
    return texts, boxes


def assert_no_overlaps(rendered: RenderedMap, dpis: tuple[int, ...] = (100, 300, 600)) -> None:
    for dpi in dpis:  # on screen, in print, and in a high-resolution export
        _assert_no_overlaps_at(rendered, dpi)


def _assert_no_overlaps_at(rendered: RenderedMap, dpi: int) -> None:
    texts, boxes = label_boxes(rendered, dpi)
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        assert not box_a.overlaps(box_b), f"labels overlap: {a!r} / {b!r}"
    for text, extent in texts:
        holders = [b for b in boxes if b.overlaps(extent)]
        assert len(holders) <= 1, f"label {text!r} runs over another theme's box"
        if holders:  # a label inside its own box stays inside it
            box = holders[0]
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1
    figure_box = rendered.figure.bbox
    for text, extent in texts:
        assert figure_box.x0 <= extent.x0 and extent.x1 <= figure_box.x1, f"{text!r} is cut off"
        assert figure_box.y0 <= extent.y0 and extent.y1 <= figure_box.y1, f"{text!r} is cut off"


@pytest.mark.parametrize("layout", [MapLayout.WEB, MapLayout.TREE])
def test_long_names_never_overlap_each_other_or_other_boxes(layout: MapLayout) -> None:
    network = long_network()
    assert max(len(n.name) for n in network.walk()) == 80 and len(network.walk()) == 31
    rendered = render_theme_map([network], MapOptions(layout=layout, title="Figure 2. A network with long names"))
    assert_no_overlaps(rendered)
    texts, boxes = label_boxes(rendered)
    assert len(boxes) == 31 and len(texts) == 31 * 2 + 1  # name and count per theme, plus the title


def test_concept_map_of_several_networks_keeps_them_apart() -> None:
    first = long_network()
    second = MapNode(1000, "What patients gained", Level.GLOBAL, children=(
        MapNode(1001, "Less lonely, more connected", Level.ORGANISING, children=(
            MapNode(1002, "New friendships through groups", Level.BASIC),)),))
    loose = MapNode(1003, "Digital exclusion", Level.BASIC)
    rendered = render_theme_map([first, second, loose], MapOptions(counts=CountShown.NONE))
    assert_no_overlaps(rendered)
    assert not any(t.get_text().startswith("n = ") for t in rendered.figure.texts)


def test_png_opens_with_the_requested_dpi_and_size(tmp_path: Path) -> None:
    rendered = render_theme_map([long_network()], MapOptions(width=7.0))
    path = tmp_path / "map.png"
    write_figure(rendered.figure, path, ImageFormat.PNG, dpi=300)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (2100, round(rendered.height * 300))
        assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)  # PNG keeps whole pixels per metre
        assert image.getextrema()[0][0] < 100  # something dark was drawn
    assert rendered.width == pytest.approx(7.0)


def test_png_of_a_map_has_exactly_the_pixels_matplotlib_draws_without_an_alpha_channel(tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rendered = render_theme_map([long_network()])
    ours = tmp_path / "map.png"
    write_figure(rendered.figure, ours, ImageFormat.PNG, dpi=150, title="Belonging")
    reference = tmp_path / "reference.png"
    FigureCanvasAgg(rendered.figure)  # matplotlib's own PNG writer, which always keeps alpha
    write_figure(rendered.figure, reference, ImageFormat.PNG, dpi=150, title="Belonging")
    with Image.open(ours) as image, Image.open(reference) as expected:
        assert (image.mode, expected.mode) == ("RGB", "RGBA")
        assert image.size == expected.size
        assert expected.getextrema()[3] == (255, 255)  # every pixel of the map is opaque
        assert image.tobytes() == expected.convert("RGB").tobytes()
        assert image.info["Software"] == "QualCode" and image.info["Title"] == "Belonging"
        assert tuple(round(d) for d in image.info["dpi"]) == (150, 150)


def test_png_of_a_large_map_has_the_same_pixels_dpi_and_text_from_the_fast_writer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from qualcode.viz import canvas

    monkeypatch.setattr(canvas, "LARGE_IMAGE", 0)  # this small map written as a poster would be
    rendered = render_theme_map([long_network()])
    ours = tmp_path / "map.png"
    write_figure(rendered.figure, ours, ImageFormat.PNG, dpi=150, title="Belonging — доверие")
    reference = tmp_path / "reference.png"
    FigureCanvasAgg(rendered.figure)
    write_figure(rendered.figure, reference, ImageFormat.PNG, dpi=150, title="Belonging — доверие")
    with Image.open(ours) as image, Image.open(reference) as expected:
        assert image.mode == "RGB" and image.size == expected.size
        assert image.tobytes() == expected.convert("RGB").tobytes()
        assert image.info == expected.info  # Software, the non-Latin title and the dpi
        assert image.info["Title"] == "Belonging — доверие"


def test_png_of_a_transparent_figure_keeps_its_alpha(tmp_path: Path) -> None:
    rendered = render_theme_map([long_network()])
    path = tmp_path / "map.png"
    rendered.figure.savefig(path, format="png", dpi=72, transparent=True)
    with Image.open(path) as image:
        assert image.mode == "RGBA"
        assert image.getextrema()[3][0] == 0  # the background shows through


def test_svg_keeps_every_label_as_text(tmp_path: Path) -> None:
    network = long_network()
    rendered = render_theme_map([network], MapOptions(title="Network & <friends>"))
    path = tmp_path / "map.svg"
    write_figure(rendered.figure, path, ImageFormat.SVG)
    svg = path.read_text(encoding="utf-8")
    import html

    texts = "".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    squashed = "".join(texts.split())
    for node in network.walk():
        assert "".join(node.name.split()) in squashed, node.name
    assert "Network&<friends>" in squashed


def test_pdf_embeds_searchable_labels(tmp_path: Path) -> None:
    from pypdf import PdfReader

    network = long_network()
    path = tmp_path / "map.pdf"
    write_figure(render_theme_map([network]).figure, path, ImageFormat.PDF)
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "".join(network.children[0].name.split()) in text
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert "Type3" not in fonts  # TrueType fonts, as journals ask


def test_names_with_newlines_rtl_emoji_and_dollars_are_drawn_and_reported(tmp_path: Path) -> None:
    root = MapNode(1, "Line one\nline two\t(tabbed)", Level.GLOBAL, children=(
        MapNode(2, "שיחה עם עובד קישור", Level.BASIC),
        MapNode(3, "تواصل مع المجتمع المحلي", Level.BASIC),
        MapNode(4, "Costs $5 and $10 😀", Level.BASIC),
        MapNode(5, "Peer support 🦄 社区", Level.BASIC),
    ))
    rendered = render_theme_map([root])
    labels = [" ".join(t.get_text().split()) for t in rendered.figure.texts]
    assert "Line one line two (tabbed)" in labels
    assert "Costs $5 and $10 😀" in labels  # no maths mode
    assert len(rendered.warnings) == 1
    assert "🦄" in rendered.warnings[0] and "社" in rendered.warnings[0] and "Peer support" in rendered.warnings[0]
    assert_no_overlaps(rendered)
    write_figure(rendered.figure, tmp_path / "intl.png", ImageFormat.PNG, dpi=100)
    assert (tmp_path / "intl.png").stat().st_size > 1000


def test_colours_by_node_and_grey_and_counts_of_participants() -> None:
    root = MapNode(1, "Global", Level.GLOBAL, "#ffcc00", 10, 4, (MapNode(2, "Basic", Level.BASIC, "#123456", 3, 2),))
    rendered = render_theme_map([root], MapOptions(colour_by=ColourBy.NODE, counts=CountShown.PARTICIPANTS))
    boxes = [a for a in rendered.figure.artists if type(a).__name__ == "FancyBboxPatch"]
    fills = sorted(tuple(round(c, 3) for c in b.get_facecolor()[:3]) for b in boxes)
    assert fills == sorted([(1.0, 0.8, 0.0), (round(0x12 / 255, 3), round(0x34 / 255, 3), round(0x56 / 255, 3))])
    texts = {t.get_text(): t for t in rendered.figure.texts}
    assert {"n = 4", "n = 2"} <= set(texts)
    assert texts["Global"].get_color() == "#111111" and texts["Basic"].get_color() == "#ffffff"  # contrast
    grey = render_theme_map([root], MapOptions(colour_by=ColourBy.GREY))
    for box in (a for a in grey.figure.artists if type(a).__name__ == "FancyBboxPatch"):
        r, g, b, _ = box.get_facecolor()
        assert r == pytest.approx(g) == pytest.approx(b)


def test_size_by_count_makes_busier_themes_bigger() -> None:
    root = MapNode(1, "Global", Level.GLOBAL, codings=40, children=(
        MapNode(2, "Same name", Level.BASIC, codings=1), MapNode(3, "Same name too", Level.BASIC, codings=39)))
    rendered = render_theme_map([root], MapOptions(size_by_count=True))
    sizes = {}
    renderer = rendered.figure.canvas.get_renderer()
    for artist in rendered.figure.artists:
        if type(artist).__name__ == "FancyBboxPatch":
            sizes[round(artist.get_height(), 4)] = artist.get_window_extent(renderer).width
    assert len(sizes) == 3 and len(set(sizes.values())) == 3


def test_narrow_width_warns_when_labels_get_too_small() -> None:
    rendered = render_theme_map([long_network()], MapOptions(width=3.0))
    assert rendered.width == pytest.approx(3.0)
    assert rendered.smallest_font < 6
    assert any("below the 7 pt" in w for w in rendered.warnings)
    assert_no_overlaps(rendered, dpis=(300, 600))  # 3-point type has no meaningful layout at screen resolution


def test_bad_requests_are_refused_with_one_clear_message() -> None:
    with pytest.raises(ValidationError, match="no themes to draw"):
        render_theme_map([])
    with pytest.raises(ValidationError, match="font size of 2 pt"):
        render_theme_map([MapNode(1, "A", Level.BASIC)], MapOptions(font_size=2))
    with pytest.raises(ValidationError, match="without a name"):
        render_theme_map([MapNode(1, " \n ", Level.BASIC)])
    with pytest.raises(ValidationError, match="Unknown image format 'gif'"):
        image_format("x.gif", "gif")
    with pytest.raises(ValidationError, match=r"end the name with \.png"):
        image_format("x.gif")
    assert image_format("Map.SVG") is ImageFormat.SVG
