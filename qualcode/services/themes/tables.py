"""Manuscript tables of a thematic network: themes with example quotes, and the codebook.

The themes table reads "Organising theme | Theme | Example quote(s)", one row per basic
theme, the organising theme's cell merged over its rows; quotes carry the participant
label ("P3: We use an assets…"). With several global themes each gets a section row.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.levels import Level
from qualcode.io.tables import Cell, DataTable, Merge, Run
from qualcode.services.cases.participant_unit import participant_unit
from qualcode.services.themes.quotes import Candidate, Quote, load_quotes, shorten_quote, speakers
from qualcode.services.themes.review import ThemeReview, review_themes
from qualcode.store.models import Coding, Node

CountColumn = Literal["none", "codings", "participants"]
Attribution = Literal["before", "after"]
NO_ORGANISING = "—"


@dataclass(frozen=True)
class QuoteStyle:
    """How quotes print: shortened or not, italic or not, the participant before ("P3: ...")
    or after ("... (P3)") the words."""

    max_chars: int | None = None
    italic: bool = False
    attribution: Attribution = "before"


def _quote_runs(quote: Quote, style: QuoteStyle) -> list[Run]:
    body = shorten_quote(quote.text, style.max_chars)
    if quote.page:  # from a paper: cited as the literature is, "“...” (Smith 2018, p. 4)"
        source = f"{quote.participant}, {quote.page}" if quote.participant else quote.page
        return [Run(f"“{body}”", italic=style.italic), Run(f" ({source})")]
    if not quote.participant:
        return [Run(body, italic=style.italic)]
    if style.attribution == "after":
        return [Run(f"“{body}”", italic=style.italic), Run(f" ({quote.participant})")]
    return [Run(f"{quote.participant}: "), Run(body, italic=style.italic)]


def _quotes_cell(quotes: Sequence[Quote], style: QuoteStyle, *, exemplars_only: bool) -> Cell:
    if not quotes:
        return Cell((Run("(no exemplars marked)" if exemplars_only else "(no codings)", italic=True),))
    runs: list[Run] = []
    for i, quote in enumerate(quotes):
        if i:
            runs.append(Run("\n"))
        runs += _quote_runs(quote, style)
    return Cell(tuple(runs))


def _count_cell(theme: ThemeReview, counts: CountColumn) -> list[Cell]:
    if counts == "none":
        return []
    return [Cell.of(theme.codings if counts == "codings" else theme.participants)]


class _Builder:
    def __init__(self, counts: CountColumn, style: QuoteStyle, columns: int, *, numbered: bool,
                 exemplars: dict[int, list[Quote]] | None) -> None:
        self.rows: list[tuple[Cell, ...]] = []
        self.merges: list[Merge] = []
        self.headings: set[int] = set()
        self.counts, self.style, self.columns = counts, style, columns
        self.numbered, self.exemplars = numbered, exemplars

    def quotes(self, theme: ThemeReview) -> Cell:
        if self.exemplars is None:
            return _quotes_cell(theme.quotes, self.style, exemplars_only=False)
        return _quotes_cell(self.exemplars.get(theme.id, []), self.style, exemplars_only=True)

    def section(self, text: str) -> None:
        self.merges.append(Merge(len(self.rows), 0, 1, self.columns))
        self.headings.add(len(self.rows))
        self.rows.append((Cell((Run(text, bold=True),)), *(Cell() for _ in range(self.columns - 1))))

    def group(self, organising: str, themes: Sequence[ThemeReview]) -> None:
        first = len(self.rows)
        for number, theme in enumerate(themes, start=1):
            name = NO_ORGANISING if theme.name == organising and theme.level is Level.ORGANISING else theme.name
            if self.numbered and name != NO_ORGANISING:
                name = f"{number}. {name}"
            self.rows.append((Cell.of(organising), Cell.of(name), self.quotes(theme),
                              *_count_cell(theme, self.counts)))
        if len(themes) > 1:
            self.merges.append(Merge(first, 0, len(themes), 1))


def themes_table(
    session: Session,
    *,
    global_id: int | None = None,
    quotes_per_theme: int = 2,
    max_quote_chars: int | None = None,
    counts: CountColumn = "none",
    coder_ids: frozenset[int] | None = None,
    title: str | None = None,
    participant_cases: Collection[int] | None = None,
    exemplars_only: bool = False,
    headers: Sequence[str] | None = None,
    numbered: bool = False,
    italic_quotes: bool = False,
    attribution: Attribution = "before",
    global_rows: bool = True,
    note: bool = True,
) -> DataTable:
    """The themes table for one global theme (or organising theme), or for the whole project.

    `exemplars_only`: each theme's quotes are exactly the exemplars the researcher marked, in
    the order set (nothing added to fill slots, `quotes_per_theme` ignored). Quotes are
    verbatim unless `max_quote_chars` asks for shortening. `headers`: the three column
    headers as the journal wants them; `numbered`: "1.", "2." before the themes of each
    organising theme; `global_rows`: a row naming each global theme when there are several.
    """
    if counts not in ("none", "codings", "participants"):
        raise ValidationError(f"Unknown count column '{counts}': use none, codings or participants.")
    if max_quote_chars is not None and max_quote_chars < 20:
        raise ValidationError("Allow at least 20 characters per quote.")
    if attribution not in ("before", "after"):
        raise ValidationError(f"Unknown attribution '{attribution}': use before or after.")
    names = tuple(headers) if headers else ("Organising theme", "Theme", "Example quote(s)")
    if len(names) != 3 or not all(h.strip() for h in names):
        raise ValidationError("Give three column headers: organising theme, theme and quotes, e.g. "
                              "'Organising theme,Basic theme,Illustrative quotes'.")
    unit = participant_unit(session, participant_cases)
    review = review_themes(session, quotes_per_theme=0 if exemplars_only else quotes_per_theme,
                           coder_ids=coder_ids, unit=unit)
    by_id = {t.id: t for t in review}
    children: dict[int | None, list[ThemeReview]] = {}
    for theme in review:
        children.setdefault(theme.parent_id, []).append(theme)
    header = tuple(h.strip() for h in names) + (
        () if counts == "none" else ("Codings" if counts == "codings" else "Participants",))
    builder = _Builder(counts, QuoteStyle(max_quote_chars, italic_quotes, attribution), len(header),
                       numbered=numbered,
                       exemplars=_exemplar_quotes(session, [t.id for t in review], coder_ids)
                       if exemplars_only else None)

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
            if sections > 1 and global_rows:
                builder.section(f"Global theme: {g.name}")
            add_root(g)
        if organising:
            if sections > 1 and global_rows:
                builder.section("Organising themes not under a global theme")
            for o in organising:
                add_root(o)
        if loose:
            if sections > 1 and global_rows:
                builder.section("Basic themes not under an organising theme")
            for b in loose:
                builder.group(NO_ORGANISING, [b])
        caption = "Themes with example quotes" if title is None else title
    widths = (2.0, 2.2, 6.0) + (() if counts == "none" else (1.0,))
    shortened = f", shortened to {max_quote_chars} characters." if max_quote_chars else "."
    text = ("Quotes are the exemplar codings the researchers chose" if exemplars_only
            else "Quotes are the researchers' exemplar codings, otherwise the shortest codings from different "
                 "participants") + shortened
    if counts == "participants":
        text += " " + unit.note()
    return DataTable(header=header, rows=tuple(builder.rows), merges=tuple(builder.merges), title=caption,
                     note=text if note else "", widths=widths, heading_rows=frozenset(builder.headings),
                     sheet_name="Themes")


def _exemplar_quotes(session: Session, theme_ids: Sequence[int],
                     coder_ids: frozenset[int] | None) -> dict[int, list[Quote]]:
    """Each theme's exemplars (its own and those below it), in the researcher's order."""
    parents = dict(session.execute(select(Node.id, Node.parent_id)).tuples().all())
    rows = [r for r in session.execute(
        select(Coding.id, Coding.node_id, Coding.document_id, Coding.start, Coding.end, Coding.coder_id)
        .where(Coding.exemplar).order_by(Coding.exemplar_position, Coding.id)).tuples().all()
        if coder_ids is None or r[5] in coder_ids]
    wanted = set(theme_ids)
    labels = speakers(session).labels
    picked: dict[int, list[Candidate]] = {}
    spans: dict[int, set[tuple[int, int, int]]] = {}
    for coding, node, document, start, end, _coder in rows:
        at: int | None = node
        while at is not None:
            # The same passage marked by two coders is quoted once.
            if at in wanted and (document, start, end) not in spans.setdefault(at, set()):
                spans[at].add((document, start, end))
                picked.setdefault(at, []).append(Candidate(coding, document, start, end, "", True))
            at = parents.get(at)
    quotes = {q.coding_id: q for q in load_quotes(session, [c for cs in picked.values() for c in cs], labels)}
    return {theme: [quotes[c.coding_id] for c in cs] for theme, cs in picked.items()}


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
