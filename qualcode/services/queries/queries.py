"""Coding queries: where are node A AND/OR/NOT node B coded (overlapping, or within the
same turn or sentence), restricted by coder, document kind and case attributes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.coding_query import CodedSpan, Passage, combine_overlap, combine_units, parse_node_expression
from qualcode.analysis.intervals import merge as merged
from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.services.codebook.nodes import descendant_ids, find_node
from qualcode.services.coding.codings import CodingInfo
from qualcode.services.coding.retrieval import Segment
from qualcode.services.coding.text_units import document_texts, turn_spans, unit_spans
from qualcode.services.queries.options import PROXIMITIES as PROXIMITIES
from qualcode.services.queries.query_scope import QueryScope, describe_scope, document_cases, scoped_documents
from qualcode.store.models import Coder, Coding, Document, Node

_PROXIMITY_LABELS = {"overlap": "overlapping", "turn": "in the same turn", "sentence": "in the same sentence"}


@dataclass(frozen=True)
class QueryPassage:
    document_id: int
    document_name: str
    cases: tuple[str, ...]
    start: int
    end: int
    text: str
    coding_ids: tuple[int, ...]
    nodes: tuple[str, ...]  # nodes of the codings on the passage
    coders: tuple[str, ...]


@dataclass(frozen=True)
class CodingQueryResult:
    heading: str  # e.g. "Trust AND Access (overlapping)"
    scope: str  # e.g. 'site = "Site 2"; coded by Ana'
    passages: tuple[QueryPassage, ...]
    document_count: int
    case_count: int


def node_spans(session: Session, node_id: int, documents: set[int] | None,
               coder_ids: Sequence[int] | None, *, include_descendants: bool = True) -> list[CodedSpan]:
    """Codings of a node (and its descendants) as spans, within the documents and coders given."""
    require(session, Node, node_id, "node")
    ids = descendant_ids(session, node_id) if include_descendants else [node_id]
    query = select(Coding.id, Coding.document_id, Coding.start, Coding.end).where(Coding.node_id.in_(ids))
    if coder_ids is not None:
        query = query.where(Coding.coder_id.in_(list(coder_ids)))
    rows = session.connection().execute(query).tuples()
    return [CodedSpan(*row) for row in rows if documents is None or row[1] in documents]


def codings_by_id(session: Session, coding_ids: Iterable[int]) -> list[CodingInfo]:
    """The codings with these ids, with their text, in document-name and text order."""
    ids = sorted(set(coding_ids))
    found: list[CodingInfo] = []
    for first in range(0, len(ids), 500):
        query = (
            select(Coding.id, Coding.uid, Coding.document_id, Document.name, Coding.start, Coding.end,
                   Coding.node_id, Node.name, Coding.coder_id, Coder.name,
                   func.substr(Document.text, Coding.start + 1, Coding.end - Coding.start),
                   Coding.memo, Coding.exemplar, Coding.created_at)
            .join(Document, Document.id == Coding.document_id).join(Node, Node.id == Coding.node_id)
            .join(Coder, Coder.id == Coding.coder_id).where(Coding.id.in_(ids[first : first + 500]))
        )
        found.extend(CodingInfo(*row) for row in session.execute(query).tuples())
    found.sort(key=lambda c: (c.document_name.lower(), c.document_id, c.start, c.end, c.id))
    return found


def segments_by_id(session: Session, coding_ids: Iterable[int], *, context: int = 160) -> list[Segment]:
    """The codings with these ids as retrieval segments (with participants and context), for
    showing the codings behind a matrix or co-occurrence cell like any retrieved passage."""
    codings = codings_by_id(session, coding_ids)
    doc_ids = {c.document_id for c in codings}
    texts = document_texts(session, doc_ids)
    cases = document_cases(session, doc_ids)
    return [
        Segment(c.id, c.document_id, c.document_name, ", ".join(n for _, n in cases.get(c.document_id, ())),
                c.start, c.end, c.node_id, c.node_name, c.coder_id, c.coder_name, c.text,
                texts[c.document_id][max(0, c.start - context) : c.start],
                texts[c.document_id][c.end : c.end + context], c.memo, c.exemplar)
        for c in codings
    ]


def parse_query(session: Session, expression: str) -> tuple[int, list[tuple[str, int]]]:
    """Node ids for `Trust AND "Access to care" NOT Cost` (names, or Parent/Child paths)."""
    first, steps = parse_node_expression(expression)
    return find_node(session, first).id, [(op, find_node(session, name).id) for op, name in steps]


def _units(session: Session, document_ids: Iterable[int], proximity: str) -> dict[int, list[tuple[int, int]]]:
    ids = set(document_ids)
    texts = document_texts(session, ids)
    turns = turn_spans(session, ids)
    unit = "sentence" if proximity == "sentence" else "turn"
    return {d: merged(unit_spans(texts[d], turns.get(d, []), unit)) for d in ids}  # type: ignore[arg-type]


def coding_query(
    session: Session,
    *,
    node_id: int,
    steps: Sequence[tuple[str, int]] = (),
    proximity: str = "overlap",
    scope: QueryScope | None = None,
) -> CodingQueryResult:
    """Passages where the nodes are coded together (see qualcode.analysis.coding_query)."""
    if proximity not in PROXIMITIES:
        raise ValidationError(f"Unknown proximity '{proximity}': use {', '.join(PROXIMITIES)}.")
    scope = scope or QueryScope()
    documents = None if scope == QueryScope(coder_ids=scope.coder_ids) else scoped_documents(session, scope)
    if scope.coder_ids is not None:
        for coder_id in scope.coder_ids:
            require(session, Coder, coder_id, "coder")
    first = node_spans(session, node_id, documents, scope.coder_ids)
    operands = [(op.upper(), node_spans(session, other, documents, scope.coder_ids)) for op, other in steps]
    if proximity == "overlap":
        passages = combine_overlap(first, operands)
    else:
        involved = {s.document_id for s in first} | {s.document_id for _, spans in operands for s in spans}
        passages = combine_units(first, operands, _units(session, involved, proximity))
    return _result(session, node_id, steps, proximity, scope, passages)


def _result(session: Session, node_id: int, steps: Sequence[tuple[str, int]], proximity: str,
            scope: QueryScope, passages: Sequence[Passage]) -> CodingQueryResult:
    names = dict(session.execute(select(Node.id, Node.name)).tuples().all())
    heading = " ".join([names[node_id], *(f"{op.upper()} {names[other]}" for op, other in steps)])
    if steps:
        heading += f" ({_PROXIMITY_LABELS[proximity]})"
    coder_names = dict(session.execute(select(Coder.id, Coder.name)).tuples().all())
    doc_ids = {p.document_id for p in passages}
    docs = dict(session.execute(select(Document.id, Document.name).where(Document.id.in_(doc_ids))).tuples().all())
    texts = document_texts(session, doc_ids)
    cases = document_cases(session, doc_ids)
    coding_ids = {i for p in passages for i in p.coding_ids}
    owners = {coding: (names[node], coder_names[coder]) for coding, node, coder in session.execute(
        select(Coding.id, Coding.node_id, Coding.coder_id).where(Coding.id.in_(coding_ids))).tuples()}
    out = [
        QueryPassage(
            p.document_id, docs[p.document_id], tuple(name for _, name in cases.get(p.document_id, ())),
            p.start, p.end, texts[p.document_id][p.start : p.end], p.coding_ids,
            tuple(sorted({owners[i][0] for i in p.coding_ids})), tuple(sorted({owners[i][1] for i in p.coding_ids})),
        )
        for p in passages
    ]
    out.sort(key=lambda q: (q.document_name.lower(), q.document_id, q.start))
    case_names = {name for q in out for name in q.cases}
    return CodingQueryResult(heading, describe_scope(scope, coder_names), tuple(out), len(doc_ids), len(case_names))
