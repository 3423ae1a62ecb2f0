"""Co-occurrence of nodes (overlapping codings, same turn or sentence, same document):
a node-by-node table, each cell opening onto the codings behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.cooccurrence import NodeSpan, check_mode, cooccurrence_counts, cooccurring_codings
from qualcode.analysis.intervals import Interval as Region
from qualcode.analysis.intervals import merge as merged
from qualcode.services._common import require
from qualcode.services.coding.codings import CodingInfo
from qualcode.services.coding.retrieval import Segment
from qualcode.services.coding.text_units import document_texts, turn_spans, unit_spans
from qualcode.services.queries.matrices import node_members
from qualcode.services.queries.queries import codings_by_id, segments_by_id
from qualcode.services.queries.query_scope import QueryScope, check_coders, describe_scope, scoped_documents
from qualcode.store.models import Coder, Coding, Node

_MODE_TITLES = {"overlap": "overlapping codings", "turn": "same turn", "sentence": "same sentence",
                "document": "same document"}
_MODE_UNITS = {"overlap": "coding pairs", "turn": "turns", "sentence": "sentences", "document": "documents"}


@dataclass(frozen=True)
class CooccurrenceResult:
    title: str
    description: str
    mode: str
    unit: str  # what a cell counts: coding pairs, turns, sentences, documents
    node_ids: tuple[int, ...]
    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]

    def table(self) -> tuple[list[str], list[list[object]]]:
        return ["Node", *self.labels], [[label, *row] for label, row in zip(self.labels, self.counts, strict=True)]


def _spans(session: Session, scope: QueryScope) -> list[NodeSpan]:
    documents = None if scope == QueryScope(coder_ids=scope.coder_ids) else scoped_documents(session, scope)
    query = select(Coding.id, Coding.document_id, Coding.start, Coding.end, Coding.node_id)
    if scope.coder_ids is not None:
        query = query.where(Coding.coder_id.in_(list(scope.coder_ids)))
    rows = session.connection().execute(query).tuples()
    return [NodeSpan(*row) for row in rows if documents is None or row[1] in documents]


def _units(session: Session, spans: Sequence[NodeSpan], mode: str) -> dict[int, list[Region]] | None:
    if mode not in ("turn", "sentence"):
        return None
    ids = {s.document_id for s in spans}
    texts, turns = document_texts(session, ids), turn_spans(session, ids)
    return {d: merged(unit_spans(texts[d], turns.get(d, []), mode)) for d in ids}  # type: ignore[arg-type]


def _rows(session: Session, node_ids: Sequence[int] | None
          ) -> tuple[list[int], dict[int, str], dict[int, frozenset[int]]]:
    names, members, order = node_members(session)
    rows = list(node_ids) if node_ids is not None else order
    for node_id in rows:
        require(session, Node, node_id, "node")
    return rows, names, members


def cooccurrence(
    session: Session,
    *,
    node_ids: Sequence[int] | None = None,
    mode: str = "overlap",
    scope: QueryScope | None = None,
) -> CooccurrenceResult:
    """How often each pair of nodes (with their descendants) is coded together."""
    check_mode(mode)
    scope = scope or QueryScope()
    check_coders(session, scope.coder_ids)
    rows, names, members = _rows(session, node_ids)
    row_nodes = frozenset().union(*(members[n] for n in rows)) if rows else frozenset()
    spans = [s for s in _spans(session, scope) if s.node_id in row_nodes]
    counts = cooccurrence_counts(spans, [members[n] for n in rows], mode, _units(session, spans, mode))
    coder_names = dict(session.execute(select(Coder.id, Coder.name)).tuples().all())
    return CooccurrenceResult(
        f"Co-occurrence of nodes ({_MODE_TITLES[mode]})", describe_scope(scope, coder_names), mode,
        _MODE_UNITS[mode], tuple(rows), tuple(names[n] for n in rows), tuple(tuple(r) for r in counts),
    )


def cooccurrence_segments(
    session: Session, *, first_node_id: int, second_node_id: int, mode: str = "overlap",
    scope: QueryScope | None = None,
) -> list[Segment]:
    """The codings behind one cell as retrieval segments (participants and context included)."""
    codings = cooccurrence_cell(session, first_node_id=first_node_id, second_node_id=second_node_id, mode=mode,
                                scope=scope)
    return segments_by_id(session, [c.id for c in codings])


def cooccurrence_cell(
    session: Session,
    *,
    first_node_id: int,
    second_node_id: int,
    mode: str = "overlap",
    scope: QueryScope | None = None,
) -> list[CodingInfo]:
    """The codings behind one cell: codings of either node that meet a coding of the other."""
    check_mode(mode)
    scope = scope or QueryScope()
    check_coders(session, scope.coder_ids)
    _, _, members = _rows(session, [first_node_id, second_node_id])
    first, second = members[first_node_id], members[second_node_id]
    spans = [s for s in _spans(session, scope) if s.node_id in first or s.node_id in second]
    return codings_by_id(session, cooccurring_codings(spans, first, second, mode, _units(session, spans, mode)))
