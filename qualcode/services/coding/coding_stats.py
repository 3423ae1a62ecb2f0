"""Counts behind the node tree and the documents panel: codings, documents and cases per node
(rolled up the thematic network), and how densely each document is coded.

Direct counts come from one grouped query; rolling them up the tree is pure Python, so a
view can recount only the nodes a change touched and their ancestors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qualcode.analysis.intervals import merge
from qualcode.services.commands import Change, RowChange
from qualcode.store.models import Coding, Document, Node, case_document


@dataclass(frozen=True)
class NodeDirectStats:
    """Codings made to the node itself, per document (document id -> number of codings)."""

    documents: Mapping[int, int]

    @property
    def codings(self) -> int:
        return sum(self.documents.values())


@dataclass(frozen=True)
class NodeCounts:
    """A node's codings, documents and cases, its descendants included."""

    codings: int
    documents: int
    cases: int


@dataclass(frozen=True)
class DocumentDensity:
    document_id: int
    length: int
    codings: int
    coded_characters: int

    @property
    def fraction(self) -> float:
        """Share of the text covered by at least one coding (0-1)."""
        return self.coded_characters / self.length if self.length else 0.0


@dataclass(frozen=True)
class OpeningCounts:
    """The counts the node tree and the documents panel open a project with, read together
    (off the window's UI thread while it builds the rest)."""

    direct: dict[int, NodeDirectStats]
    cases_of: dict[int, frozenset[int]]
    density: dict[int, DocumentDensity]


def opening_counts(session: Session) -> OpeningCounts:
    return OpeningCounts(direct_node_stats(session), document_cases(session), document_density(session))


def direct_node_stats(session: Session, node_ids: Collection[int] | None = None) -> dict[int, NodeDirectStats]:
    """Per node (every node, or only `node_ids`): its own codings per document."""
    # Grouping by document first lets SQLite read the (document, start, end, node, coder) unique
    # index alone instead of every row. Plain Core rows: no ORM row processing for thousands
    # of (node, document) pairs.
    query = select(Coding.node_id, Coding.document_id, func.count()).group_by(Coding.document_id, Coding.node_id)
    if node_ids is not None:
        query = query.where(Coding.node_id.in_(list(node_ids)))
    connection = session.connection()
    per_node: dict[int, dict[int, int]] = {}
    for node_id, document_id, count in connection.execute(query):
        documents = per_node.get(node_id)
        if documents is None:
            documents = per_node[node_id] = {}
        documents[document_id] = count
    wanted = node_ids if node_ids is not None else connection.execute(select(Node.id)).scalars().all()
    return {node_id: NodeDirectStats(per_node.get(node_id, {})) for node_id in wanted}


def document_cases(session: Session) -> dict[int, frozenset[int]]:
    """Document id -> ids of the cases (participants, sites) it belongs to."""
    links: dict[int, set[int]] = {}
    for case_id, document_id in session.execute(select(case_document.c.case_id, case_document.c.document_id)).tuples():
        links.setdefault(document_id, set()).add(case_id)
    return {document_id: frozenset(ids) for document_id, ids in links.items()}


def roll_up(
    parents: Mapping[int, int | None],
    direct: Mapping[int, NodeDirectStats],
    cases_of: Mapping[int, frozenset[int]],
    *,
    only: Iterable[int] | None = None,
) -> dict[int, NodeCounts]:
    """Counts per node including all descendants. `parents` maps node id -> parent id.

    With `only`, counts just those nodes (e.g. the ancestors of a node whose codings changed).
    """
    children: dict[int | None, list[int]] = {}
    for node_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(node_id)
    documents_below: dict[int, dict[int, int]] = {}

    def gather(node_id: int) -> dict[int, int]:
        if node_id in documents_below:
            return documents_below[node_id]
        stats = direct.get(node_id)
        merged = dict(stats.documents) if stats else {}
        for child in children.get(node_id, ()):
            for document_id, count in gather(child).items():
                merged[document_id] = merged.get(document_id, 0) + count
        documents_below[node_id] = merged
        return merged

    result: dict[int, NodeCounts] = {}
    for node_id in parents if only is None else only:
        if node_id not in parents:
            continue
        documents = gather(node_id)
        cases: set[int] = set()
        for document_id in documents:
            cases.update(cases_of.get(document_id, ()))
        result[node_id] = NodeCounts(sum(documents.values()), len(documents), len(cases))
    return result


def apply_coding_rows(direct: dict[int, NodeDirectStats], rows: Iterable[RowChange]) -> set[int]:
    """Bring per-node direct counts up to date from changed coding rows (a change's
    `row_changes("coding")`), without reading the database; return the nodes they touched."""
    delta: dict[tuple[int, int], int] = {}
    for row in rows:
        for image, step in ((row.before, -1), (row.after, 1)):
            if image is not None:
                key = (int(image["node_id"]), int(image["document_id"]))
                delta[key] = delta.get(key, 0) + step
    touched: set[int] = set()
    for (node_id, document_id), step in delta.items():
        touched.add(node_id)
        if not step:
            continue
        documents = dict(direct[node_id].documents) if node_id in direct else {}
        count = documents.get(document_id, 0) + step
        if count > 0:
            documents[document_id] = count
        else:
            documents.pop(document_id, None)
        direct[node_id] = NodeDirectStats(documents)
    return touched


def touched(rows: Iterable[RowChange], column: str) -> set[int]:
    """The values of `column` ("node_id", "document_id") in changed coding rows, before and after."""
    return {int(image[column]) for row in rows for image in (row.before, row.after) if image is not None}


def nodes_touched_by(change: Change) -> set[int]:
    """Nodes whose codings a change added, removed or moved (read from the rows it carries;
    none when it carries no rows)."""
    return touched(change.row_changes(Coding.__tablename__) or (), "node_id")


def documents_touched_by(change: Change) -> set[int]:
    """Documents whose codings a change added, removed or altered."""
    return touched(change.row_changes(Coding.__tablename__) or (), "document_id")


def apply_span_rows(spans: dict[int, tuple[int, dict[int, tuple[int, int]]]], rows: Iterable[RowChange]) -> None:
    """Bring per-document coding spans (as `coding_spans` reads them) up to date from changed
    coding rows, without reading the database; documents not in `spans` are left out."""
    for row in rows:
        for image, present in ((row.before, False), (row.after, True)):
            if image is None or (found := spans.get(int(image["document_id"]))) is None:
                continue
            if present:
                found[1][int(image["id"])] = (int(image["start"]), int(image["end"]))
            else:
                found[1].pop(int(image["id"]), None)


def coding_spans(session: Session, document_ids: Collection[int]) -> dict[int, tuple[int, dict[int, tuple[int, int]]]]:
    """Per document: its length and the span of each of its codings (by coding id), so a view
    can keep its coded share up to date from changed coding rows (`covered_characters`)."""
    found: dict[int, tuple[int, dict[int, tuple[int, int]]]] = {}
    connection = session.connection()
    for document_id, length in connection.execute(
            select(Document.id, func.length(Document.text)).where(Document.id.in_(list(document_ids)))):
        found[document_id] = (int(length or 0), {})
    query = select(Coding.document_id, Coding.id, Coding.start, Coding.end).where(
        Coding.document_id.in_(list(found)))
    for document_id, coding_id, start, end in connection.execute(query):
        found[document_id][1][coding_id] = (start, end)
    return found


def covered_characters(spans: Iterable[tuple[int, int]]) -> int:
    """Characters covered by at least one of the spans."""
    return sum(end - start for start, end in merge(spans))


def document_density(
    session: Session, coder_ids: Collection[int] | None = None, *, document_ids: Collection[int] | None = None
) -> dict[int, DocumentDensity]:
    """Per document (all, or `document_ids`): its length, number of codings and characters
    covered by any coding (of `coder_ids`, or of every coder)."""
    # The union of the spans is measured by the database in one pass: with the spans in order
    # of start, each adds what reaches beyond the furthest end of the spans before it. Only one
    # row per document comes back.
    spans = select(Coding.document_id, Coding.start, Coding.end)
    length_query = select(Document.id, func.length(Document.text))
    if document_ids is not None:
        length_query = length_query.where(Document.id.in_(list(document_ids)))
        spans = spans.where(Coding.document_id.in_(list(document_ids)))
    if coder_ids is not None:
        spans = spans.where(Coding.coder_id.in_(list(coder_ids)))
    ordered = spans.add_columns(
        func.max(Coding.end).over(
            partition_by=Coding.document_id, order_by=(Coding.start, Coding.end), rows=(None, -1)
        ).label("reached")
    ).subquery()
    from_here = case(
        (ordered.c.reached.is_(None), ordered.c.start),
        (ordered.c.reached > ordered.c.start, ordered.c.reached),
        else_=ordered.c.start,
    )
    added = case((ordered.c.end > from_here, ordered.c.end - from_here), else_=0)
    totals = select(ordered.c.document_id, func.count(), func.coalesce(func.sum(added), 0)).group_by(
        ordered.c.document_id
    )
    connection = session.connection()
    coded = {document_id: (int(count), int(covered)) for document_id, count, covered in connection.execute(totals)}
    return {
        document_id: DocumentDensity(document_id, int(length or 0), *coded.get(document_id, (0, 0)))
        for document_id, length in connection.execute(length_query)
    }
