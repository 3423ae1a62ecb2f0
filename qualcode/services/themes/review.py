"""The themes review: per theme its definition, criteria, evidence counts, quotes and flags.

Counts include the codings of every node below a theme (retrieving a theme includes its
descendants' codings). Flags point at what a researcher usually fixes before writing up:
a theme with no codings, a basic theme that no organising theme holds, an organising
theme with a single child.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.levels import Level
from qualcode.services.cases.participant_unit import ParticipantUnit, participant_unit
from qualcode.services.themes.quotes import Candidate, Quote, QuoteRow, load_quotes, pick_quotes, shortlist, speakers
from qualcode.store.models import Node, case_document


class ThemeFlag(StrEnum):
    NO_CODINGS = "no_codings"
    BASIC_WITHOUT_ORGANISING = "basic_without_organising"
    ORGANISING_ONE_CHILD = "organising_one_child"
    ORGANISING_WITHOUT_GLOBAL = "organising_without_global"
    GLOBAL_WITHOUT_ORGANISING = "global_without_organising"

    @property
    def message(self) -> str:
        return _FLAG_MESSAGES[self]


_FLAG_MESSAGES = {
    ThemeFlag.NO_CODINGS: "No codings yet",
    ThemeFlag.BASIC_WITHOUT_ORGANISING: "Basic theme not under an organising theme",
    ThemeFlag.ORGANISING_ONE_CHILD: "Organising theme with only one theme under it",
    ThemeFlag.ORGANISING_WITHOUT_GLOBAL: "Organising theme not under a global theme",
    ThemeFlag.GLOBAL_WITHOUT_ORGANISING: "Global theme with no organising themes",
}


@dataclass(frozen=True)
class ThemeReview:
    id: int
    name: str
    level: Level
    parent_id: int | None
    depth: int
    color: str
    definition: str
    inclusion: str
    exclusion: str
    children: int  # direct sub-themes and codes
    codings: int
    documents: int
    cases: int
    participants: int  # distinct participant cases (services.cases.participant_unit), or unlinked documents
    coders: int
    quotes: tuple[Quote, ...]
    flags: tuple[ThemeFlag, ...]


@dataclass
class _Tally:
    codings: int = 0
    documents: set[int] = field(default_factory=set)
    coders: set[int] = field(default_factory=set)
    quotes: list[QuoteRow] = field(default_factory=list)  # a shortlist (see quotes.shortlist)

    def absorb(self, other: _Tally) -> None:
        self.codings += other.codings
        self.documents |= other.documents
        self.coders |= other.coders
        self.quotes += other.quotes


def _own_tallies(session: Session, nodes: Iterable[int], keys: dict[int, str], quotes: int,
                 coder_ids: frozenset[int] | None) -> dict[int, _Tally]:
    """Each node's own codings (not its descendants'), read straight from the driver: this
    loop sees every coding of the project, so it stays lean."""
    tallies = {node_id: _Tally() for node_id in nodes}
    rows: dict[int, list[QuoteRow]] = {node_id: [] for node_id in tallies}
    sql = 'SELECT id, node_id, document_id, coder_id, start, "end", exemplar FROM coding'
    params: tuple[int, ...] = ()
    if coder_ids is not None:
        params = tuple(sorted(coder_ids))
        sql += f" WHERE coder_id IN ({', '.join('?' * len(params))})" if params else " WHERE 0"
    cursor = session.connection().connection.cursor()
    try:
        for coding_id, node_id, document_id, coder_id, start, end, exemplar in cursor.execute(sql, params):
            tally = tallies[node_id]
            tally.codings += 1
            tally.documents.add(document_id)
            tally.coders.add(coder_id)
            if quotes:
                rows[node_id].append((coding_id, document_id, start, end, keys.get(document_id, ""), bool(exemplar)))
    finally:
        cursor.close()
    if quotes:
        for node_id, tally in tallies.items():
            tally.quotes = shortlist(rows[node_id], quotes)
    return tallies


def _flags(level: Level, parent_level: Level | None, theme_children: int, codings: int) -> tuple[ThemeFlag, ...]:
    flags = []
    if codings == 0:
        flags.append(ThemeFlag.NO_CODINGS)
    if level is Level.BASIC and parent_level is not Level.ORGANISING:
        flags.append(ThemeFlag.BASIC_WITHOUT_ORGANISING)
    if level is Level.ORGANISING:
        if theme_children == 1:
            flags.append(ThemeFlag.ORGANISING_ONE_CHILD)
        if parent_level is not Level.GLOBAL:
            flags.append(ThemeFlag.ORGANISING_WITHOUT_GLOBAL)
    if level is Level.GLOBAL and theme_children == 0:
        flags.append(ThemeFlag.GLOBAL_WITHOUT_ORGANISING)
    return tuple(flags)


def review_themes(
    session: Session,
    *,
    quotes_per_theme: int = 3,
    include_codes: bool = False,
    coder_ids: frozenset[int] | None = None,
    participant_cases: Collection[int] | None = None,
    unit: ParticipantUnit | None = None,
) -> list[ThemeReview]:
    """Every theme (and, optionally, code) in tree order with counts, quotes and flags.

    Participants are distinct participant cases (`participant_cases`, else by the rule in
    qualcode.services.cases.participant_unit), or the `unit` the caller has already worked out."""
    unit = unit or participant_unit(session, participant_cases)
    rows = session.execute(select(Node.id, Node.name, Node.level, Node.parent_id, Node.color, Node.definition,
                                  Node.inclusion, Node.exclusion).order_by(Node.position, Node.id)).all()
    by_id = {r.id: r for r in rows}
    kids: dict[int | None, list[int]] = {}
    for r in rows:
        kids.setdefault(r.parent_id, []).append(r.id)
    order: list[tuple[int, int]] = []
    stack = [(node_id, 0) for node_id in reversed(kids.get(None, []))]
    while stack:
        node_id, depth = stack.pop()
        order.append((node_id, depth))
        stack.extend((child, depth + 1) for child in reversed(kids.get(node_id, [])))

    who = speakers(session)
    tallies = _own_tallies(session, by_id, who.keys, quotes_per_theme, coder_ids)
    for node_id, _depth in reversed(order):  # children before parents: each theme counts what is below it
        parent = by_id[node_id].parent_id
        if parent is not None:
            tallies[parent].absorb(tallies[node_id])
            tallies[parent].quotes = shortlist(tallies[parent].quotes, quotes_per_theme)
    doc_cases: dict[int, set[int]] = {}
    for case_id, document_id in session.execute(select(case_document.c.case_id, case_document.c.document_id)):
        doc_cases.setdefault(document_id, set()).add(case_id)

    min_level = Level.CODE if include_codes else Level.BASIC
    reviews: list[ThemeReview] = []
    picks: dict[int, list[Candidate]] = {}
    for node_id, _depth in order:
        if by_id[node_id].level >= min_level:
            picks[node_id] = pick_quotes([Candidate(*row) for row in tallies[node_id].quotes], quotes_per_theme)
    quotes = {q.coding_id: q for q in load_quotes(session, [c for cs in picks.values() for c in cs], who.labels)}
    for node_id, depth in order:
        r = by_id[node_id]
        level = Level(r.level)
        if level < min_level:
            continue
        tally = tallies[node_id]
        cases: set[int] = set().union(*(doc_cases.get(d, set()) for d in tally.documents))
        parent_level = Level(by_id[r.parent_id].level) if r.parent_id is not None else None
        theme_children = sum(1 for c in kids.get(node_id, []) if by_id[c].level >= Level.BASIC)
        reviews.append(ThemeReview(
            node_id, r.name, level, r.parent_id, depth, r.color, r.definition, r.inclusion, r.exclusion,
            len(kids.get(node_id, [])), tally.codings, len(tally.documents), len(cases), unit.count(tally.documents),
            len(tally.coders), tuple(quotes[c.coding_id] for c in picks[node_id]),
            _flags(level, parent_level, theme_children, tally.codings),
        ))
    return reviews


__all__ = ["ThemeFlag", "ThemeReview", "review_themes"]
