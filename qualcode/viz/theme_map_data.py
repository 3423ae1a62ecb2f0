"""What a theme map shows, as plain data: the themes to draw and how to draw them.

A service builds `MapNode` trees from a project; the figure code never sees a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from qualcode.domain.levels import Level


class MapLayout(StrEnum):
    WEB = "web"  # Attride-Stirling web: global centre, organising around, basic around each organising
    TREE = "tree"  # hierarchy from left to right


class CountShown(StrEnum):
    CODINGS = "codings"
    PARTICIPANTS = "participants"
    NONE = "none"


class ColourBy(StrEnum):
    LEVEL = "level"
    NODE = "node"  # each theme's own colour
    GREY = "grey"  # for print in black and white


class ImageFormat(StrEnum):
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


@dataclass(frozen=True)
class MapNode:
    id: int
    name: str
    level: Level
    color: str = "#4e79a7"
    codings: int = 0
    participants: int = 0
    children: tuple[MapNode, ...] = ()

    def count(self, shown: CountShown) -> int | None:
        if shown is CountShown.CODINGS:
            return self.codings
        if shown is CountShown.PARTICIPANTS:
            return self.participants
        return None

    def walk(self) -> list[MapNode]:
        """This node and everything below it, parents first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class MapLink:
    """A link the researcher drew between two themes (of different networks), with its label."""

    source_id: int
    target_id: int
    label: str = ""


@dataclass(frozen=True)
class MapOptions:
    layout: MapLayout = MapLayout.WEB
    counts: CountShown = CountShown.CODINGS
    size_by_count: bool = False  # larger boxes for themes with more evidence
    colour_by: ColourBy = ColourBy.LEVEL
    title: str = ""
    font_size: float = 8.0  # points, for basic themes; organising and global themes are larger
    width: float | None = None  # inches; the figure is fitted to this width when given
    # Fitting a width never sets basic themes below this size: the map reflows instead (more
    # rows of networks, labels wrapped narrower).
    min_font: float = 7.0
    font_family: tuple[str, ...] = field(default=("Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"))

    def __post_init__(self) -> None:
        # Accept the plain strings a command line or a combo box hands over.
        object.__setattr__(self, "layout", MapLayout(self.layout))
        object.__setattr__(self, "counts", CountShown(self.counts))
        object.__setattr__(self, "colour_by", ColourBy(self.colour_by))

