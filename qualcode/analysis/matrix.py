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


@dataclass
class _Bucket:
    codings: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)
    cases: set[int] = field(default_factory=set)

    def add(self, coding: CodingFact, case_id: int | None) -> None:
        self.codings.add(coding.coding_id)
        self.documents.add(coding.document_id)
        if case_id is not None:
            self.cases.add(case_id)

    def count(self, measure: str) -> int:
        return len(self.codings if measure == "codings" else self.documents if measure == "documents" else self.cases)


@dataclass(frozen=True)
class Matrix:
    rows: tuple[Axis, ...]
    columns: tuple[Axis, ...]
    measure: str
    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    cell_codings: Mapping[tuple[int, int], tuple[int, ...]]  # (row index, column index) -> coding ids

    def codings_at(self, row: int, column: int) -> tuple[int, ...]:
        return self.cell_codings.get((row, column), ())


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise ValidationError(f"Unknown measure '{measure}': count {', '.join(MEASURES)}.")
    return measure


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
    node_rows: dict[int, list[int]] = {}
    for index, (_, members) in enumerate(rows):
        for node_id in members:
            node_rows.setdefault(node_id, []).append(index)
    cells: dict[tuple[int, int], _Bucket] = {}
    row_buckets = [_Bucket() for _ in rows]
    column_buckets = [_Bucket() for _ in columns]
    everything = _Bucket()
    for coding in codings:
        row_indices = node_rows.get(coding.node_id)
        if not row_indices:
            continue
        for key, case_id in memberships.get(coding.document_id, ()):
            column = column_index.get(key)
            if column is None:
                continue
            column_buckets[column].add(coding, case_id)
            everything.add(coding, case_id)
            for row in row_indices:
                cells.setdefault((row, column), _Bucket()).add(coding, case_id)
                row_buckets[row].add(coding, case_id)
    counts = tuple(
        tuple(cells[(r, c)].count(measure) if (r, c) in cells else 0 for c in range(len(columns)))
        for r in range(len(rows))
    )
    return Matrix(
        tuple(axis for axis, _ in rows), tuple(columns), measure, counts,
        tuple(b.count(measure) for b in row_buckets), tuple(b.count(measure) for b in column_buckets),
        everything.count(measure), {key: tuple(sorted(b.codings)) for key, b in cells.items()},
    )
