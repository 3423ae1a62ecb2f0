"""Coding queries: combine the codings of several nodes with AND, OR and NOT.

Two ways of reading "together":
- overlap: the query works on coded text. AND keeps the text coded to both, OR the text
  coded to either, NOT the text coded to the first and not to the second.
- same unit (turn or sentence): the query works on whole units. AND keeps the units in
  which both are coded, OR units with either, NOT units with the first and not the second.
Steps apply left to right: `A AND B NOT C` is `(A AND B) NOT C`. Each resulting passage
lists the codings (of the nodes not negated) that lie on it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualcode.analysis.intervals import Interval as Region
from qualcode.analysis.intervals import difference, overlapping, union
from qualcode.analysis.intervals import intersect as intersection
from qualcode.analysis.intervals import merge as merged
from qualcode.domain.errors import ValidationError

OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True, slots=True)
class CodedSpan:
    coding_id: int
    document_id: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Passage:
    document_id: int
    start: int
    end: int
    coding_ids: tuple[int, ...]


def _by_document(spans: Sequence[CodedSpan]) -> dict[int, list[CodedSpan]]:
    grouped: dict[int, list[CodedSpan]] = defaultdict(list)
    for span in spans:
        grouped[span.document_id].append(span)
    return grouped


def _check(steps: Sequence[tuple[str, Sequence[CodedSpan]]]) -> None:
    for operator, _ in steps:
        if operator not in OPERATORS:
            raise ValidationError(f"Unknown operator '{operator}': use AND, OR or NOT.")


def _attach(document_id: int, regions: Sequence[Region], positive: Sequence[CodedSpan]) -> list[Passage]:
    found: list[list[int]] = [[] for _ in regions]
    for span in positive:
        for index in overlapping(regions, span.start, span.end):
            found[index].append(span.coding_id)
    return [Passage(document_id, start, end, tuple(sorted(ids)))
            for (start, end), ids in zip(regions, found, strict=True)]


def combine_overlap(first: Sequence[CodedSpan], steps: Sequence[tuple[str, Sequence[CodedSpan]]]) -> list[Passage]:
    """Region algebra on coded text (see module docs)."""
    _check(steps)
    operands = [_by_document(first), *(_by_document(spans) for _, spans in steps)]
    documents = set(operands[0]).union(*(operands[i + 1] for i, (op, _) in enumerate(steps) if op == "OR"))
    passages: list[Passage] = []
    for document_id in sorted(documents):
        regions = merged((s.start, s.end) for s in operands[0].get(document_id, ()))
        positive = list(operands[0].get(document_id, ()))
        for (operator, _), spans in zip(steps, operands[1:], strict=True):
            other = merged((s.start, s.end) for s in spans.get(document_id, ()))
            if operator == "AND":
                regions = intersection(regions, other)
            elif operator == "OR":
                regions = union(regions, other)
            else:
                regions = difference(regions, other)
            if operator != "NOT":
                positive.extend(spans.get(document_id, ()))
        passages.extend(_attach(document_id, regions, positive))
    return passages


def combine_units(
    first: Sequence[CodedSpan],
    steps: Sequence[tuple[str, Sequence[CodedSpan]]],
    units: Mapping[int, Sequence[Region]],
) -> list[Passage]:
    """Unit algebra: `units` are each document's sorted, disjoint turns or sentences."""
    _check(steps)

    def touched(spans: Sequence[CodedSpan]) -> set[tuple[int, int]]:
        keys = set()
        for span in spans:
            for index in overlapping(units.get(span.document_id, ()), span.start, span.end):
                keys.add((span.document_id, index))
        return keys

    result = touched(first)
    positive = list(first)
    for operator, spans in steps:
        keys = touched(spans)
        if operator == "AND":
            result &= keys
        elif operator == "OR":
            result |= keys
        else:
            result -= keys
        if operator != "NOT":
            positive.extend(spans)
    by_document: dict[int, list[int]] = defaultdict(list)
    for document_id, index in result:
        by_document[document_id].append(index)
    grouped = _by_document(positive)
    passages: list[Passage] = []
    for document_id in sorted(by_document):
        regions = [tuple(units[document_id][i]) for i in sorted(by_document[document_id])]
        passages.extend(_attach(document_id, regions, grouped.get(document_id, ())))  # type: ignore[arg-type]
    return passages


_SPLIT = re.compile(r'"([^"]*)"|(\S+)')


def parse_node_expression(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Read `Trust AND "Access to care" NOT Cost` into the first node name and (operator, name) steps."""
    words = [(m[1], True) if m[1] is not None else (m[2], False) for m in _SPLIT.finditer(text)]
    if text.count('"') % 2:
        raise ValidationError("A quotation mark around a node name is never closed.")
    names: list[list[str]] = [[]]
    operators: list[str] = []
    for word, quoted in words:
        if not quoted and word in OPERATORS:
            if not names[-1]:
                raise ValidationError(f"'{word}' needs a node name before it.")
            operators.append(word)
            names.append([])
        else:
            names[-1].append(word)
    if not names[0]:
        raise ValidationError("Name a node to query, e.g. Trust AND Access.")
    if not names[-1]:
        raise ValidationError(f"'{operators[-1]}' needs a node name after it.")
    joined = [" ".join(parts) for parts in names]
    return joined[0], list(zip(operators, joined[1:], strict=True))
