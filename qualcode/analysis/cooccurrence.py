"""Co-occurrence of nodes: how often two nodes are coded together.

- overlap: pairs (a coding of the first node, a different coding of the second) whose
  passages overlap;
- unit (turn or sentence): units in which both nodes are coded;
- document: documents in which both nodes are coded.
A node counts its descendants' codings. The diagonal holds each node's own total: its
codings (overlap), units or documents. The matrix is symmetric.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.intervals import Interval as Region
from qualcode.analysis.intervals import overlapping
from qualcode.domain.errors import ValidationError

MODES = ("overlap", "turn", "sentence", "document")


@dataclass(frozen=True, slots=True)
class NodeSpan:
    coding_id: int
    document_id: int
    start: int
    end: int
    node_id: int


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValidationError(f"Unknown co-occurrence '{mode}': use {', '.join(MODES)}.")
    return mode


def _node_matrix(members: Sequence[frozenset[int]]) -> tuple[dict[int, int], Any]:
    """Index of every node counted, and a 0/1 matrix: node index -> the columns it counts for."""
    import numpy as np

    node_ids = sorted(set().union(*members)) if members else []
    index = {node_id: i for i, node_id in enumerate(node_ids)}
    matrix = np.zeros((len(node_ids), len(members)))
    for column, nodes in enumerate(members):
        matrix[[index[n] for n in nodes], column] = 1.0
    return index, matrix


def _overlapping_pairs(spans: Sequence[NodeSpan]) -> tuple[Any, Any]:
    """Indices (i, j), i before j, of every two spans of a document that overlap."""
    import numpy as np

    order = sorted(range(len(spans)), key=lambda i: (spans[i].document_id, spans[i].start))
    documents = np.array([spans[i].document_id for i in order], dtype=np.int64)
    starts = np.array([spans[i].start for i in order], dtype=np.int64)
    ends = np.array([spans[i].end for i in order], dtype=np.int64)
    # Sorting by (document, start): a later span j overlaps span i exactly when it starts
    # before i ends in the same document.
    keys = documents * (1 << 40) + starts
    stop = np.searchsorted(keys, documents * (1 << 40) + ends, side="left")
    counts = np.maximum(stop - np.arange(len(order)) - 1, 0)
    first = np.repeat(np.arange(len(order)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + offsets
    original = np.array(order, dtype=np.int64)
    return original[first], original[second]


def _shared_units(spans: Sequence[NodeSpan], nodes: Any, node_matrix: Any, mode: str,
                  units: Mapping[int, Sequence[Region]] | None) -> Any:
    """Column x column counts of the units (documents, turns, sentences) holding both columns.

    Counted as pairs within each unit with `bincount`, with no matrix products: large
    products are slow where the numeric library's threads compete for few cores.
    """
    import numpy as np

    size = node_matrix.shape[1]
    columns_of = [np.flatnonzero(row) for row in node_matrix]
    unit_index: dict[tuple[int, int], int] = {}
    unit_ids: list[int] = []
    leaf_ids: list[int] = []
    for span, leaf in zip(spans, nodes.tolist(), strict=True):
        if mode == "document":
            found: Sequence[int] | range = (0,)
        else:
            found = overlapping((units or {}).get(span.document_id, ()), span.start, span.end)
        for unit in found:
            unit_ids.append(unit_index.setdefault((span.document_id, unit), len(unit_index)))
            leaf_ids.append(leaf)
    if not unit_ids:
        return np.zeros((size, size))
    leaf_array = np.array(leaf_ids, dtype=np.int64)
    per_leaf = np.array([len(c) for c in columns_of], dtype=np.int64)[leaf_array]
    expanded_units = np.repeat(np.array(unit_ids, dtype=np.int64), per_leaf)
    expanded_columns = np.concatenate([columns_of[leaf] for leaf in leaf_array.tolist()])
    keys = np.unique(expanded_units * size + expanded_columns)  # each (unit, column) once, sorted by unit
    unit_of, column_of = keys // size, keys % size
    boundaries = np.flatnonzero(np.diff(unit_of)) + 1
    group_start = np.repeat(np.concatenate(([0], boundaries)), np.diff(np.concatenate(([0], boundaries, [len(keys)]))))
    group_size = np.bincount(unit_of - unit_of.min())[unit_of - unit_of.min()]
    first = np.repeat(np.arange(len(keys)), group_size)
    offsets = np.arange(group_size.sum()) - np.repeat(np.cumsum(group_size) - group_size, group_size)
    second = group_start[first] + offsets
    counts = np.bincount(column_of[first] * size + column_of[second], minlength=size * size)
    return counts.reshape(size, size).astype(float)


def cooccurrence_counts(
    spans: Sequence[NodeSpan],
    members: Sequence[frozenset[int]],
    mode: str,
    units: Mapping[int, Sequence[Region]] | None = None,
) -> list[list[int]]:
    """The symmetric count matrix for nodes whose ids (with descendants) are `members`.

    Works on whole arrays (a few large products rather than one per document).
    """
    import numpy as np

    check_mode(mode)
    index, node_matrix = _node_matrix(members)
    spans = [s for s in spans if s.node_id in index]
    size = len(members)
    if not spans or not size:
        return [[0] * size for _ in range(size)]
    nodes = np.array([index[s.node_id] for s in spans], dtype=np.int64)
    leaves = len(index)
    if mode == "overlap":
        first, second = _overlapping_pairs(spans)
        pairs = np.bincount(nodes[first] * leaves + nodes[second], minlength=leaves * leaves).reshape(leaves, leaves)
        pairs = (pairs + pairs.T).astype(float)  # ordered pairs, both ways
        result = node_matrix.T @ pairs @ node_matrix
        np.fill_diagonal(result, np.bincount(nodes, minlength=leaves) @ node_matrix)
    else:
        result = _shared_units(spans, nodes, node_matrix, mode, units)
    return [[round(v) for v in row] for row in result.tolist()]


def cooccurring_codings(
    spans: Sequence[NodeSpan],
    first: frozenset[int],
    second: frozenset[int],
    mode: str,
    units: Mapping[int, Sequence[Region]] | None = None,
) -> list[int]:
    """Ids of the codings behind one cell: codings of either node that meet one of the other."""
    check_mode(mode)
    by_document: dict[int, list[NodeSpan]] = defaultdict(list)
    for span in spans:
        if span.node_id in first or span.node_id in second:
            by_document[span.document_id].append(span)
    found: set[int] = set()
    for document_id, doc_spans in by_document.items():
        a = [s for s in doc_spans if s.node_id in first]
        b = [s for s in doc_spans if s.node_id in second]
        if not a or not b:
            continue
        if mode == "document":
            found.update(s.coding_id for s in doc_spans)
        elif mode == "overlap":
            for x in a:
                for y in b:
                    if x.coding_id != y.coding_id and x.start < y.end and y.start < x.end:
                        found.update((x.coding_id, y.coding_id))
        else:
            doc_units = (units or {}).get(document_id, ())
            in_a = {i for s in a for i in overlapping(doc_units, s.start, s.end)}
            in_b = {i for s in b for i in overlapping(doc_units, s.start, s.end)}
            shared = in_a & in_b
            found.update(s.coding_id for s in doc_spans
                         if shared.intersection(overlapping(doc_units, s.start, s.end)))
    return sorted(found)
