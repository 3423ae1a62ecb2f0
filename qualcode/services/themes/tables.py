"""Manuscript tables of a thematic network: themes with example quotes, and the codebook.

The themes table reads "Organising theme | Theme | Example quote(s)", one row per basic
theme, the organising theme's cell merged over its rows; quotes carry the participant
label ("P3: We use an assets…"). With several global themes each gets a section row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.levels import Level
from qualcode.io.tables import Cell, DataTable, Merge, Run
from qualcode.services.cases.participant_unit import participant_unit
from qualcode.services.themes.review import ThemeReview, review_themes

CountColumn = Literal["none", "codings", "participants"]
NO_ORGANISING = "—"


def _quotes_cell(theme: ThemeReview, max_chars: int | None) -> Cell:
    if not theme.quotes:
        return Cell((Run("(no codings)", italic=True),))
    return Cell((Run("\n".join(q.formatted(max_chars) for q in theme.quotes)),))


def _count_cell(theme: ThemeReview, counts: CountColumn) -> list[Cell]:
    if counts == "none":
        return []
    return [Cell.of(theme.codings if counts == "codings" else theme.participants)]


class _Builder:
    def __init__(self, counts: CountColumn, max_chars: int | None, columns: int) -> None:
        self.rows: list[tuple[Cell, ...]] = []
        self.merges: list[Merge] = []
        self.headings: set[int] = set()
        self.counts, self.max_chars, self.columns = counts, max_chars, columns

    def section(self, text: str) -> None:
        self.merges.append(Merge(len(self.rows), 0, 1, self.columns))
        self.headings.add(len(self.rows))
        self.rows.append((Cell((Run(text, bold=True),)), *(Cell() for _ in range(self.columns - 1))))

    def group(self, organising: str, themes: Sequence[ThemeReview]) -> None:
        first = len(self.rows)
        for theme in themes:
            name = NO_ORGANISING if theme.name == organising and theme.level is Level.ORGANISING else theme.name
            self.rows.append((Cell.of(organising), Cell.of(name), _quotes_cell(theme, self.max_chars),
                              *_count_cell(theme, self.counts)))
        if len(themes) > 1:
            self.merges.append(Merge(first, 0, len(themes), 1))


def themes_table(
    session: Session,
    *,
    global_id: int | None = None,
    quotes_per_theme: int = 2,
    max_quote_chars: int | None = 250,
    counts: CountColumn = "none",
    coder_ids: frozenset[int] | None = None,
    title: str | None = None,
    participant_cases: Collection[int] | None = None,
) -> DataTable:
    """The themes table for one global theme (or organising theme), or for the whole project."""
    if counts not in ("none", "codings", "participants"):
        raise ValidationError(f"Unknown count column '{counts}': use none, codings or participants.")
    if max_quote_chars is not None and max_quote_chars < 20:
        raise ValidationError("Allow at least 20 characters per quote.")
    review = review_themes(session, quotes_per_theme=quotes_per_theme, coder_ids=coder_ids,
                           participant_cases=participant_cases)
    by_id = {t.id: t for t in review}
    children: dict[int | None, list[ThemeReview]] = {}
    for theme in review:
        children.setdefault(theme.parent_id, []).append(theme)
    header = ("Organising theme", "Theme", "Example quote(s)") + (
        () if counts == "none" else ("Codings" if counts == "codings" else "Participants",))
    builder = _Builder(counts, max_quote_chars, len(header))

    def add_root(root: ThemeReview) -> None:
        if root.level is Level.ORGANISING:
            builder.group(root.name, children.get(root.id, []) or [root])
            return
        for child in children.get(root.id, []):
            if child.level is Level.ORGANISING:
                builder.group(child.name, children.get(child.id, []) or [child])
            else:
                builder.group(NO_ORGANISING, [child])

    if global_id is not None:
        root = by_id.get(global_id)
        if root is None:
            raise NotFoundError(f"There is no theme with id {global_id} in this project.")
        if root.level < Level.ORGANISING:
            raise ValidationError(
                f"'{root.name}' is a {root.level.label.lower()}: choose a global or organising theme.")
        if not children.get(root.id):
            raise ValidationError(f"'{root.name}' has no themes under it: there is nothing to tabulate.")
        add_root(root)
        caption = f"Themes of '{root.name}'" if title is None else title
    else:
        tops = [t for t in review if t.parent_id is None or t.parent_id not in by_id]
        globals_ = [t for t in tops if t.level is Level.GLOBAL]
        organising = [t for t in tops if t.level is Level.ORGANISING]
        loose = [t for t in tops if t.level is Level.BASIC]
        sections = len(globals_) + bool(organising) + bool(loose)
        if not review:
            raise ValidationError("This project has no themes yet: there is nothing to tabulate.")
        for g in globals_:
            if sections > 1:
                builder.section(f"Global theme: {g.name}")
            add_root(g)
        if organising:
            if sections > 1:
                builder.section("Organising themes not under a global theme")
            for o in organising:
                add_root(o)
        if loose:
            if sections > 1:
                builder.section("Basic themes not under an organising theme")
            for b in loose:
                builder.group(NO_ORGANISING, [b])
        caption = "Themes with example quotes" if title is None else title
    widths = (2.0, 2.2, 6.0) + (() if counts == "none" else (1.0,))
    note = ("Quotes are the researchers' exemplar codings, otherwise the shortest codings from different "
            "participants" + (f", shortened to {max_quote_chars} characters." if max_quote_chars else "."))
    if counts == "participants":
        note += " " + participant_unit(session, participant_cases).note()
    return DataTable(header=header, rows=tuple(builder.rows), merges=tuple(builder.merges), title=caption,
                     note=note, widths=widths, heading_rows=frozenset(builder.headings), sheet_name="Themes")


def codebook_table(
    session: Session,
    *,
    include_codes: bool = True,
    coder_ids: frozenset[int] | None = None,
    title: str = "Codebook",
    participant_cases: Collection[int] | None = None,
) -> DataTable:
    """Every theme (and code) in tree order: level, definition, criteria and counts."""
    review = review_themes(session, quotes_per_theme=0, include_codes=include_codes, coder_ids=coder_ids,
                           participant_cases=participant_cases)
    if not review:
        raise ValidationError("This project has no codes or themes yet: the codebook would be empty.")
    rows = tuple(
        (Cell((Run(t.name, bold=t.level >= Level.ORGANISING),), indent=t.depth), Cell.of(t.level.label),
         Cell.of(t.definition.strip()), Cell.of(t.inclusion.strip()), Cell.of(t.exclusion.strip()),
         Cell.of(t.codings), Cell.of(t.participants))
        for t in review
    )
    header = ("Name", "Level", "Definition", "Include when", "Exclude when", "Codings", "Participants")
    return DataTable(header=header, rows=rows, title=title, widths=(2.6, 1.3, 3.6, 2.4, 2.4, 0.9, 1.1),
                     landscape=True, sheet_name="Codebook",
                     note="Counts include the codings of every code and theme below each entry. "
                     + participant_unit(session, participant_cases).note())


__all__ = ["codebook_table", "themes_table"]
