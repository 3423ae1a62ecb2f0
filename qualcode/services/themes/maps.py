"""Theme maps from a project: the data a figure needs, and writing the figure to a file.

A thematic network is drawn for one global (or organising) theme; the concept map shows
every global theme with anything not yet placed under one. Counts include the codings of
every node below a theme, as in the themes review.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.levels import Level
from qualcode.io.files import atomic_output
from qualcode.services.themes.review import ThemeReview, review_themes
from qualcode.viz.export import DEFAULT_DPI, check_dpi, image_format, write_figure
from qualcode.viz.theme_map import render_theme_map
from qualcode.viz.theme_map_data import MapLink, MapNode, MapOptions


@dataclass(frozen=True)
class MapExport:
    path: Path
    width: float  # inches
    height: float
    dpi: int
    warnings: tuple[str, ...]


def _tree(review: list[ThemeReview], include_codes: bool) -> tuple[dict[int, ThemeReview], dict[int, list[int]]]:
    by_id = {t.id: t for t in review if include_codes or t.level >= Level.BASIC}
    children: dict[int, list[int]] = {}
    for theme in review:
        if theme.id in by_id and theme.parent_id in by_id:
            children.setdefault(theme.parent_id, []).append(theme.id)
    return by_id, children


def map_roots(
    session: Session,
    *,
    root_id: int | None = None,
    include_codes: bool = False,
    coder_ids: frozenset[int] | None = None,
) -> list[MapNode]:
    """The themes to draw: the network under `root_id`, or (None) every top-level theme."""
    review = review_themes(session, quotes_per_theme=0, include_codes=include_codes, coder_ids=coder_ids)
    by_id, children = _tree(review, include_codes)

    def build(theme_id: int) -> MapNode:
        t = by_id[theme_id]
        return MapNode(t.id, t.name, t.level, t.color, t.codings, t.participants,
                       tuple(build(c) for c in children.get(theme_id, [])))

    if root_id is not None:
        root = by_id.get(root_id)
        if root is None:
            raise NotFoundError(f"There is no theme with id {root_id} in this project.")
        if root.level < Level.ORGANISING:
            raise ValidationError(f"'{root.name}' is a {root.level.label.lower()}: a thematic network is drawn "
                                  "for a global or organising theme.")
        if not children.get(root_id):
            below = "organising or basic themes" if root.level is Level.GLOBAL else "basic themes"
            raise ValidationError(f"'{root.name}' has no {below} under it: there is nothing to draw yet.")
        return [build(root_id)]
    tops = [t.id for t in review if t.id in by_id and t.parent_id not in by_id and t.level >= Level.BASIC]
    if not tops:
        raise ValidationError("This project has no themes yet: there is nothing to draw.")
    return [build(t) for t in tops]


def map_links(session: Session, roots: list[MapNode]) -> list[MapLink]:
    """The links drawn between themes, each end moved up to the nearest theme the map shows
    (a link from a code is drawn from its theme); links within one box are dropped."""
    from sqlalchemy import select

    from qualcode.services.themes.links import theme_links
    from qualcode.store.models import Node

    shown = {n.id for r in roots for n in r.walk()}
    parents = dict(session.execute(select(Node.id, Node.parent_id)).tuples().all())

    def drawn(node_id: int | None) -> int | None:
        while node_id is not None and node_id not in shown:
            node_id = parents.get(node_id)
        return node_id

    found: list[MapLink] = []
    seen: set[frozenset[int]] = set()
    for link in theme_links(session):
        a, b = drawn(link.source_id), drawn(link.target_id)
        if a is None or b is None or a == b or frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        found.append(MapLink(a, b, link.label))
    return found


def export_theme_map(
    session: Session,
    *,
    path: str | Path,
    root_id: int | None = None,
    options: MapOptions | None = None,
    format: str | None = None,
    dpi: int = DEFAULT_DPI,
    include_codes: bool = False,
    coder_ids: frozenset[int] | None = None,
) -> MapExport:
    """Draw the map and write it as PNG, SVG or PDF, replacing `path` only once it is complete."""
    fmt = image_format(path, format)
    check_dpi(dpi)
    roots = map_roots(session, root_id=root_id, include_codes=include_codes, coder_ids=coder_ids)
    options = options or MapOptions()
    links = map_links(session, roots) if root_id is None else []
    rendered = render_theme_map(roots, options, links)
    with atomic_output(path) as temp:
        write_figure(rendered.figure, temp, fmt, dpi=dpi, title=options.title)
    return MapExport(Path(path).expanduser().absolute(), rendered.width, rendered.height, dpi, rendered.warnings)


__all__ = ["MapExport", "export_theme_map", "map_links", "map_roots"]
