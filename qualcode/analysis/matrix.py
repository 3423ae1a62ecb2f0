"""Matrix coding: nodes (rows) by attribute values, cases or documents (columns).

Each coding lies in a document; a document belongs to columns through its cases (a case's
attribute value, the case itself) or directly (the document, a document attribute). A
cell counts the codings, the distinct documents or the distinct cases that fall in it;
totals count distinct items too, so a row total is not the sum of its cells when a
document belongs to several columns.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from qualcode.domain.errors import ValidationError

MEASURES = ("codings", "documents", "cases")


@dataclass(frozen=True, slots=True)
class CodingFact:
    coding_id: int
    document_id: int
    node_id: int


@dataclass(frozen=True)
class Axis:
    key: Hashable
    label: str


@dataclass(frozen=True)
class Matrix:
    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    measure: str
    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    # What a cell's codings are looked up from: row members, node -> document -> coding ids,
    # document -> columns it belongs to.
    _members: tuple[frozenset[int], ...] = field(repr=False, default=())
    _by_node: Mapping[int, Mapping[int, Sequence[int]]] = field(repr=False, default_factory=dict)
    _doc_columns: Mapping[int, Mapping[int, set[int]]] = field(repr=False, default_factory=dict)

    def codings_at(self, row: int, column: int) -> tuple[int, ...]:
        """Ids of the codings counted in a cell."""
        found: list[int] = []
        for node_id in self._members[row]:
            for document_id, ids in self._by_node.get(node_id, {}).items():
                if column in self._doc_columns[document_id]:
                    found.extend(ids)
        return tuple(sorted(found))


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise ValidationError(f"Unknown measure '{measure}': count {', '.join(MEASURES)}.")
    return measure


def _tally(members: frozenset[int], by_node: Mapping[int, Mapping[int, Sequence[int]]],
           doc_columns: Mapping[int, Mapping[int, set[int]]], width: int, measure: str) -> tuple[list[int], int]:
    """One row's cells and its total (distinct codings, documents or cases)."""
    per_document: dict[int, int] = {}
    for node_id in members:
        for document_id, ids in by_node.get(node_id, {}).items():
            per_document[document_id] = per_document.get(document_id, 0) + len(ids)
    codings, documents = [0] * width, [0] * width
    cases: list[set[int]] = [set() for _ in range(width)]
    all_cases: set[int] = set()
    for document_id, count in per_document.items():
        for column, column_cases in doc_columns[document_id].items():
            codings[column] += count
            documents[column] += 1
            cases[column] |= column_cases
            all_cases |= column_cases
    if measure == "codings":
        return codings, sum(per_document.values())
    if measure == "documents":
        return documents, len(per_document)
    return [len(c) for c in cases], len(all_cases)


def build_matrix(
    rows: Sequence[tuple[Axis, frozenset[int]]],
    columns: Sequence[Axis],
    codings: Sequence[CodingFact],
    memberships: Mapping[int, Sequence[tuple[Hashable, int | None]]],
    measure: str,
) -> Matrix:
    """Count `codings` into cells.

    rows: each row's axis and the node ids it counts (a node and its descendants).
    memberships: document id -> the (column key, case id or None) pairs it belongs to.
    """
    check_measure(measure)
    column_index = {axis.key: i for i, axis in enumerate(columns)}
    doc_columns: dict[int, dict[int, set[int]]] = {}
    for document_id, pairs in memberships.items():
        found: dict[int, set[int]] = {}
        for key, case_id in pairs:
            column = column_index.get(key)
            if column is not None:
                found.setdefault(column, set())
                if case_id is not None:
                    found[column].add(case_id)
        if found:
            doc_columns[document_id] = found
    by_node: dict[int, dict[int, list[int]]] = {}
    for coding in codings:
        if coding.document_id in doc_columns:
            by_node.setdefault(coding.node_id, {}).setdefault(coding.document_id, []).append(coding.coding_id)
    counts, row_totals = [], []
    for _, members in rows:
        cells, total = _tally(members, by_node, doc_columns, len(columns), measure)
        counts.append(tuple(cells))
        row_totals.append(total)
    every = frozenset().union(*(members for _, members in rows))
    column_totals, total = _tally(every, by_node, doc_columns, len(columns), measure)
    return Matrix(tuple(axis for axis, _ in rows), tuple(columns), measure, tuple(counts), tuple(row_totals),
                  tuple(column_totals), total, tuple(members for _, members in rows), by_node, doc_columns)
