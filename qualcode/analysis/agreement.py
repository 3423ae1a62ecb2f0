"""Inter-coder agreement per code and overall, from plain spans (no database here).

Character units: every character of the chosen documents is a unit; for one code a coder
either coded it or not. Two variants are reported, labelled:

- *all text*: every character counts, so text nobody coded adds agreement (this is what
  inflates kappa and percentage agreement in tools that only offer this);
- *coded text*: only characters at least one of the two coders coded with any of the
  chosen codes count, so agreement comes from the passages the coders actually worked on.

Krippendorff's alpha (nominal, any number of coders) is computed on character units of
all text and, when sentence boundaries are given, on sentence units (a coder marks a
sentence for a code when any of it is coded). Segment agreement matches each coder's
codings one-to-one by overlap (intersection over union >= threshold) and reports
precision, recall and F1 of coder B against coder A.
Overall figures pool the units of every chosen code (each character-code pair is a unit).

Alpha is computed from weighted units (a unit pattern and how many characters or sentences
share it), so a million characters cost one entry; tests check it against the reference
`krippendorff` package unit by unit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from qualcode.analysis.intervals import Interval, coverage_histogram, intersect, length, merge, union
from qualcode.analysis.reliability import PairTable, binary_units, f1, nominal_alpha
from qualcode.analysis.segments import match_segments
from qualcode.domain.errors import ValidationError

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class CodedDocument:
    """One document's length, its spans per (code, coder), and optionally its sentences."""

    length: int
    spans: Mapping[tuple[Hashable, Hashable], Sequence[Interval]]
    sentences: Sequence[Interval] | None = None


@dataclass(frozen=True, slots=True)
class SegmentCounts:
    """Segments of coder A (reference) and coder B (candidate), and how many matched."""

    reference: int = 0
    candidate: int = 0
    matched: int = 0

    def __add__(self, other: SegmentCounts) -> SegmentCounts:
        return SegmentCounts(self.reference + other.reference, self.candidate + other.candidate,
                             self.matched + other.matched)

    @property
    def precision(self) -> float | None:
        return f1(self.matched, self.reference, self.candidate)[0]

    @property
    def recall(self) -> float | None:
        return f1(self.matched, self.reference, self.candidate)[1]

    @property
    def f1(self) -> float | None:
        return f1(self.matched, self.reference, self.candidate)[2]


@dataclass(frozen=True)
class PairAgreement:
    coder_a: Hashable
    coder_b: Hashable
    all_text: PairTable
    coded_text: PairTable
    segments: SegmentCounts


@dataclass(frozen=True)
class NodeAgreement:
    """Agreement for one code (`node` None: overall, pooled over the chosen codes)."""

    node: Hashable | None
    pairs: tuple[PairAgreement, ...]
    alpha_characters: float | None
    alpha_sentences: float | None
    coded_characters: Mapping[Hashable, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Agreement:
    coders: tuple[Hashable, ...]
    nodes: tuple[NodeAgreement, ...]
    overall: NodeAgreement
    threshold: float
    sentence_units: bool


@dataclass
class _Tally:
    all_text: dict[tuple[int, int], PairTable] = field(default_factory=dict)
    coded_text: dict[tuple[int, int], PairTable] = field(default_factory=dict)
    segments: dict[tuple[int, int], SegmentCounts] = field(default_factory=dict)
    characters: list[int] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    coded: dict[int, int] = field(default_factory=dict)

    def add(self, other: _Tally) -> None:
        for key, table in other.all_text.items():
            self.all_text[key] = self.all_text.get(key, _EMPTY) + table
        for key, table in other.coded_text.items():
            self.coded_text[key] = self.coded_text.get(key, _EMPTY) + table
        for key, counts in other.segments.items():
            self.segments[key] = self.segments.get(key, SegmentCounts()) + counts
        self.characters = _add_lists(self.characters, other.characters)
        self.sentences = _add_lists(self.sentences, other.sentences)
        for coder, value in other.coded.items():
            self.coded[coder] = self.coded.get(coder, 0) + value


_EMPTY = PairTable(0, 0, 0, 0)


def _add_lists(a: list[int], b: list[int]) -> list[int]:
    if not a:
        return list(b)
    if not b:
        return a
    return [x + y for x, y in zip(a, b, strict=True)]


def compute_agreement(
    documents: Sequence[CodedDocument],
    *,
    coders: Sequence[Hashable],
    nodes: Sequence[Hashable],
    threshold: float = DEFAULT_THRESHOLD,
) -> Agreement:
    """Agreement between `coders` (two or more) on `nodes` over `documents`."""
    if len(coders) < 2:
        raise ValidationError("Agreement needs at least two coders.")
    if not 0 < threshold <= 1:
        raise ValidationError(f"The overlap threshold must be above 0 and at most 1 (got {threshold}).")
    pairs = list(combinations(range(len(coders)), 2))
    tallies = {node: _Tally() for node in nodes}
    sentence_units = bool(documents) and all(doc.sentences is not None for doc in documents)
    for doc in documents:
        _tally_document(doc, coders, nodes, pairs, tallies, sentence_units, threshold)
    overall = _Tally()
    for tally in tallies.values():
        overall.add(tally)
    return Agreement(
        coders=tuple(coders),
        nodes=tuple(_result(node, tallies[node], coders, pairs, sentence_units) for node in nodes),
        overall=_result(None, overall, coders, pairs, sentence_units),
        threshold=threshold,
        sentence_units=sentence_units,
    )


def _tally_document(doc: CodedDocument, coders: Sequence[Hashable], nodes: Sequence[Hashable],
                    pairs: list[tuple[int, int]], tallies: dict[Hashable, _Tally], sentence_units: bool,
                    threshold: float) -> None:
    merged = {node: [merge(doc.spans.get((node, coder), ())) for coder in coders] for node in nodes}
    bounds = ([s[0] for s in doc.sentences], [s[1] for s in doc.sentences]) if doc.sentences is not None else None
    per_coder = [union(*(merged[node][c] for node in nodes)) for c in range(len(coders))]
    coded_universe = {(a, b): length(union(per_coder[a], per_coder[b])) for a, b in pairs}
    for node in nodes:
        sets = merged[node]
        tally = tallies[node]
        lengths = [length(s) for s in sets]
        for c, value in enumerate(lengths):
            tally.coded[c] = tally.coded.get(c, 0) + value
        for a, b in pairs:
            both = length(intersect(sets[a], sets[b]))
            either = lengths[a] + lengths[b] - both
            row = (both, lengths[a] - both, lengths[b] - both)
            tally.all_text[a, b] = tally.all_text.get((a, b), _EMPTY) + PairTable(*row, doc.length - either)
            tally.coded_text[a, b] = tally.coded_text.get((a, b), _EMPTY) + PairTable(
                *row, coded_universe[a, b] - either)
            raw_a = doc.spans.get((node, coders[a]), ())
            raw_b = doc.spans.get((node, coders[b]), ())
            counts = SegmentCounts(len(set(raw_a)), len(set(raw_b)), match_segments(raw_a, raw_b, threshold))
            tally.segments[a, b] = tally.segments.get((a, b), SegmentCounts()) + counts
        tally.characters = _add_lists(tally.characters, coverage_histogram(sets, [(0, doc.length)]))
        if sentence_units and doc.sentences is not None:
            tally.sentences = _add_lists(tally.sentences, sentence_histogram(sets, doc.sentences, bounds))


def sentence_histogram(sets: Sequence[Sequence[Interval]], sentences: Sequence[Interval],
                       bounds: tuple[list[int], list[int]] | None = None) -> list[int]:
    """`result[k]` = sentences that exactly k of the (merged) `sets` touch.

    Sentences are sorted and disjoint; only those under some span are visited. `bounds`
    (their starts and ends) may be passed in when the same sentences are used many times.
    """
    starts, ends = bounds or ([sentence[0] for sentence in sentences], [sentence[1] for sentence in sentences])
    marked: dict[int, int] = {}
    for intervals in sets:
        touched: set[int] = set()
        for start, end in intervals:
            touched.update(range(bisect_right(ends, start), bisect_left(starts, end)))
        for index in touched:
            marked[index] = marked.get(index, 0) + 1
    histogram = [0] * (len(sets) + 1)
    for k in marked.values():
        histogram[k] += 1
    histogram[0] = len(sentences) - len(marked)
    return histogram


def _result(node: Hashable | None, tally: _Tally, coders: Sequence[Hashable], pairs: list[tuple[int, int]],
            sentence_units: bool) -> NodeAgreement:
    return NodeAgreement(
        node=node,
        pairs=tuple(
            PairAgreement(coders[a], coders[b], tally.all_text.get((a, b), _EMPTY),
                          tally.coded_text.get((a, b), _EMPTY), tally.segments.get((a, b), SegmentCounts()))
            for a, b in pairs),
        alpha_characters=nominal_alpha(binary_units(tally.characters)) if tally.characters else None,
        alpha_sentences=nominal_alpha(binary_units(tally.sentences)) if sentence_units and tally.sentences else None,
        coded_characters={coders[c]: value for c, value in sorted(tally.coded.items())},
    )
