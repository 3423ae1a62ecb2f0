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

from qualcode.analysis.regions import Region, overlapping
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


def _membership(spans: Sequence[NodeSpan], members: Sequence[frozenset[int]]) -> Any:
    import numpy as np

    column_of: dict[int, list[int]] = defaultdict(list)
    for column, nodes in enumerate(members):
        for node_id in nodes:
            column_of[node_id].append(column)
    matrix = np.zeros((len(spans), len(members)), dtype=np.int64)
    for row, span in enumerate(spans):
        matrix[row, column_of.get(span.node_id, [])] = 1
    return matrix


def cooccurrence_counts(
    spans: Sequence[NodeSpan],
    members: Sequence[frozenset[int]],
    mode: str,
    units: Mapping[int, Sequence[Region]] | None = None,
) -> list[list[int]]:
    """The symmetric count matrix for nodes whose ids (with descendants) are `members`."""
    import numpy as np

    check_mode(mode)
    size = len(members)
    result = np.zeros((size, size), dtype=np.int64)
    by_document: dict[int, list[NodeSpan]] = defaultdict(list)
    for span in spans:
        by_document[span.document_id].append(span)
    for document_id, doc_spans in by_document.items():
        m = _membership(doc_spans, members)
        if not m.any():
            continue
        if mode == "overlap":
            starts = np.array([s.start for s in doc_spans])
            ends = np.array([s.end for s in doc_spans])
            overlaps = (starts[:, None] < ends[None, :]) & (starts[None, :] < ends[:, None])
            np.fill_diagonal(overlaps, False)
            pairs = m.T @ overlaps.astype(np.int64) @ m
            np.fill_diagonal(pairs, m.sum(axis=0))
            result += pairs
        elif mode == "document":
            present = (m.sum(axis=0) > 0).astype(np.int64)
            result += np.outer(present, present)
        else:
            doc_units = (units or {}).get(document_id, ())
            presence = np.zeros((len(doc_units), size), dtype=np.int64)
            for row, span in enumerate(doc_spans):
                for index in overlapping(doc_units, span.start, span.end):
                    presence[index] |= m[row]
            result += presence.T @ presence
    return [[int(v) for v in row] for row in result]


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
