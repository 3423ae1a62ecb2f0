"""Inter-coder agreement per code and overall, from plain spans (no database here).

Character units: every character of the chosen documents is a unit; for one code a coder
either coded it or not. Two variants are reported, labelled:

- *all text*: every character counts, so text nobody coded adds agreement (this is what
  inflates kappa and percentage agreement in tools that only offer this);
- *coded text*: only characters at least one of the two coders coded with any code count
  (every code in the documents' spans, not only the chosen ones, so a code's row does not
  change with which other codes are chosen), so agreement comes from the passages the coders
  actually worked on. Cohen's kappa on coded text is undefined (None) when the code covers all
  of that text, i.e. no unit falls outside it for both coders: kappa would be <= 0 however well
  the coders agree.

Krippendorff's alpha (nominal, any number of coders) is computed on character units of
all text and, when sentence boundaries are given, on sentence units (a coder marks a
sentence for a code when any of it is coded). Segment agreement matches each coder's
codings one-to-one by overlap (intersection over union >= threshold) and reports
precision, recall and F1 of coder B against coder A.
Overall figures pool the units of every chosen code (each character-code pair is a unit).

Beside Cohen's kappa: Gwet's AC1 and Brennan and Prediger's kappa (prevalence-robust), each
code's prevalence and number of units, and Fleiss' kappa over all coders. Coders may be
assigned only some documents (`CodedDocument.coders`): a document a coder was not assigned is
missing for that coder (left out of that coder's pairs; its units carry fewer values for alpha
and Fleiss' kappa), not "not coded".

Krippendorff's unitizing alpha (alpha-U, qualcode.analysis.unitizing) compares the units
the coders cut for each code (start and end differences of segments, segments in the
other's gap), on the documents every coder was assigned.

Confidence intervals (95 %, percentile bootstrap) resample documents with replacement, the
units whose codings are independent of one another (characters and sentences of one
document are not): `resamples` draws from a generator seeded with `seed`, so a report is
reproducible. Each draw re-adds the per-document counts, so 1,000 draws cost a matrix product.
With fewer than MIN_RESAMPLED_DOCUMENTS documents no interval is given.

Alpha is computed from weighted units (a unit pattern and how many characters or sentences
share it), so a million characters cost one entry; tests check it against the reference
`krippendorff` package unit by unit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from qualcode.analysis.intervals import Interval, coverage_histogram, intersect, length, merge, union
from qualcode.analysis.reliability import PairTable, f1, fleiss_kappa, nominal_alpha
from qualcode.analysis.segments import match_segments
from qualcode.analysis.unitizing import UnitizingDisagreement, unitizing_disagreement
from qualcode.domain.errors import ValidationError

Array = NDArray[np.float64]
DEFAULT_THRESHOLD = 0.5
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 2024
MIN_RESAMPLED_DOCUMENTS = 5  # fewer documents give no interval worth reading
CONFIDENCE = 0.95


@dataclass(frozen=True)
class CodedDocument:
    """One document's length, its spans per (code, coder), and optionally its sentences.

    `spans` may hold codes that are not compared: they still mark text as coded for the
    coded-text universe. `coders`: the coders assigned this document (None: all of them).
    """

    length: int
    spans: Mapping[tuple[Hashable, Hashable], Sequence[Interval]]
    sentences: Sequence[Interval] | None = None
    coders: frozenset[Hashable] | None = None


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


Interval95 = tuple[float, float]


@dataclass(frozen=True)
class PairAgreement:
    coder_a: Hashable
    coder_b: Hashable
    all_text: PairTable
    coded_text: PairTable
    segments: SegmentCounts
    kappa_interval: Interval95 | None = None

    @property
    def coded_kappa(self) -> float | None:
        """Cohen's kappa on coded text; None when the code covers all of it (nothing outside it)."""
        if self.coded_text.neither == 0:
            return None
        return self.coded_text.kappa


@dataclass(frozen=True)
class NodeAgreement:
    """Agreement for one code (`node` None: overall, pooled over the chosen codes)."""

    node: Hashable | None
    pairs: tuple[PairAgreement, ...]
    alpha_characters: float | None
    alpha_sentences: float | None
    coded_characters: Mapping[Hashable, int] = field(default_factory=dict)
    fleiss_kappa: float | None = None
    alpha_interval: Interval95 | None = None
    unitizing: UnitizingDisagreement | None = None  # Krippendorff's alpha-U (qualcode.analysis.unitizing)

    @property
    def alpha_unitizing(self) -> float | None:
        return self.unitizing.alpha if self.unitizing is not None else None


@dataclass(frozen=True)
class Agreement:
    coders: tuple[Hashable, ...]
    nodes: tuple[NodeAgreement, ...]
    overall: NodeAgreement
    threshold: float
    sentence_units: bool
    resamples: int = 0
    seed: int | None = None
    documents: int = 0


class _Layout:
    """Where each count sits in a document's row of counts for one code.

    Per pair: the all-text table (4), then the coded-text table (4); then the character
    histogram and the sentence histogram, each indexed by (coders assigned m, coders who
    coded k), k <= m.
    """

    def __init__(self, coders: int, pairs: int) -> None:
        self.coders = coders
        self.pairs = pairs
        self.cells = [(m, k) for m in range(coders + 1) for k in range(m + 1)]
        self.cell = {key: index for index, key in enumerate(self.cells)}
        self.characters = 8 * pairs
        self.sentences = self.characters + len(self.cells)
        self.width = self.sentences + len(self.cells)

    def all_text(self, pair: int) -> slice:
        return slice(4 * pair, 4 * pair + 4)

    def coded_text(self, pair: int) -> slice:
        return slice(4 * self.pairs + 4 * pair, 4 * self.pairs + 4 * pair + 4)

    def histogram_units(self, row: Array, offset: int) -> list[tuple[Sequence[int], float]]:
        return [((m - k, k), float(row[offset + index])) for index, (m, k) in enumerate(self.cells)
                if row[offset + index]]


@dataclass
class _Tally:
    rows: dict[int, Array] = field(default_factory=dict)  # document index -> counts
    segments: dict[tuple[int, int], SegmentCounts] = field(default_factory=dict)
    coded: dict[int, int] = field(default_factory=dict)
    continuum: list[tuple[int, Sequence[Sequence[Interval]]]] = field(default_factory=list)  # for alpha-U


def compute_agreement(
    documents: Sequence[CodedDocument],
    *,
    coders: Sequence[Hashable],
    nodes: Sequence[Hashable],
    threshold: float = DEFAULT_THRESHOLD,
    resamples: int = 0,
    seed: int = DEFAULT_SEED,
) -> Agreement:
    """Agreement between `coders` (two or more) on `nodes` over `documents`.

    `resamples` > 0 adds 95 % bootstrap intervals (documents resampled) for kappa and alpha.
    """
    if len(coders) < 2:
        raise ValidationError("Agreement needs at least two coders.")
    if not 0 < threshold <= 1:
        raise ValidationError(f"The overlap threshold must be above 0 and at most 1 (got {threshold}).")
    if resamples < 0:
        raise ValidationError(f"The number of resamples cannot be negative (got {resamples}).")
    pairs = list(combinations(range(len(coders)), 2))
    layout = _Layout(len(coders), len(pairs))
    tallies = {node: _Tally() for node in nodes}
    sentence_units = bool(documents) and all(doc.sentences is not None for doc in documents)
    for index, doc in enumerate(documents):
        _tally_document(index, doc, coders, nodes, pairs, tallies, sentence_units, threshold, layout)
    count = len(documents)
    matrices = {node: _matrix(tallies[node], count, layout) for node in nodes}
    overall_matrix = sum(matrices.values(), np.zeros((count, layout.width)))
    overall = _Tally()
    for tally in tallies.values():
        for key, counts in tally.segments.items():
            overall.segments[key] = overall.segments.get(key, SegmentCounts()) + counts
        for coder, value in tally.coded.items():
            overall.coded[coder] = overall.coded.get(coder, 0) + value
    unitizing = {node: unitizing_disagreement(tallies[node].continuum) for node in nodes}
    pooled = sum(unitizing.values(), UnitizingDisagreement(0.0, 0.0))
    draws = _draws(count, resamples, seed) if resamples and count >= MIN_RESAMPLED_DOCUMENTS else None
    return Agreement(
        coders=tuple(coders),
        nodes=tuple(replace(_result(node, tallies[node], matrices[node], coders, pairs, sentence_units, layout,
                                    draws), unitizing=unitizing[node]) for node in nodes),
        overall=replace(_result(None, overall, overall_matrix, coders, pairs, sentence_units, layout, draws),
                        unitizing=pooled),
        threshold=threshold,
        sentence_units=sentence_units,
        resamples=resamples if draws is not None else 0,
        seed=seed if draws is not None else None,
        documents=count,
    )


def _matrix(tally: _Tally, count: int, layout: _Layout) -> Array:
    matrix = np.zeros((count, layout.width))
    for index, row in tally.rows.items():
        matrix[index] = row
    return matrix


def _draws(count: int, resamples: int, seed: int) -> Array:
    """How often each document is drawn in each resample: a (resamples x documents) matrix."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(count, np.full(count, 1.0 / count), size=resamples).astype(float)


def _tally_document(index: int, doc: CodedDocument, coders: Sequence[Hashable], nodes: Sequence[Hashable],
                    pairs: list[tuple[int, int]], tallies: dict[Hashable, _Tally], sentence_units: bool,
                    threshold: float, layout: _Layout) -> None:
    assigned = [c for c in range(len(coders)) if doc.coders is None or coders[c] in doc.coders]
    merged = {node: [merge(doc.spans.get((node, coder), ())) for coder in coders] for node in nodes}
    bounds = ([s[0] for s in doc.sentences], [s[1] for s in doc.sentences]) if doc.sentences is not None else None
    per_coder = [union(*(spans for (_node, coder), spans in doc.spans.items() if coder == coders[c]))
                 for c in range(len(coders))]
    compared = [(p, a, b) for p, (a, b) in enumerate(pairs) if a in assigned and b in assigned]
    coded_universe = {(a, b): length(union(per_coder[a], per_coder[b])) for _p, a, b in compared}
    m = len(assigned)
    for node in nodes:
        sets = merged[node]
        tally = tallies[node]
        row = np.zeros(layout.width)
        lengths = [length(s) for s in sets]
        for c in assigned:
            tally.coded[c] = tally.coded.get(c, 0) + lengths[c]
        for p, a, b in compared:
            both = length(intersect(sets[a], sets[b]))
            either = lengths[a] + lengths[b] - both
            cells = (both, lengths[a] - both, lengths[b] - both)
            row[layout.all_text(p)] = (*cells, doc.length - either)
            row[layout.coded_text(p)] = (*cells, coded_universe[a, b] - either)
            raw_a = doc.spans.get((node, coders[a]), ())
            raw_b = doc.spans.get((node, coders[b]), ())
            counts = SegmentCounts(len(set(raw_a)), len(set(raw_b)), match_segments(raw_a, raw_b, threshold))
            tally.segments[a, b] = tally.segments.get((a, b), SegmentCounts()) + counts
        chosen_sets = [sets[c] for c in assigned]
        for k, value in enumerate(coverage_histogram(chosen_sets, [(0, doc.length)])):
            row[layout.characters + layout.cell[m, k]] = value
        if sentence_units and doc.sentences is not None:
            for k, value in enumerate(sentence_histogram(chosen_sets, doc.sentences, bounds)):
                row[layout.sentences + layout.cell[m, k]] = value
        tally.rows[index] = row
        if m == len(coders):  # alpha-U compares every coder on every document they all were given
            tally.continuum.append((doc.length, [doc.spans.get((node, coder), ()) for coder in coders]))


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


def kappa_values(tables: Array) -> Array:
    """Cohen's kappa of each row (both, only A, only B, neither); NaN where undefined."""
    n = tables.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (tables[:, 0] + tables[:, 3]) / n
        a_yes = (tables[:, 0] + tables[:, 1]) / n
        b_yes = (tables[:, 0] + tables[:, 2]) / n
        expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
        kappa = (observed - expected) / (1 - expected)
    kappa[(n == 0) | (expected >= 1.0)] = np.nan
    return np.asarray(kappa, dtype=np.float64)


def alpha_values(histograms: Array, layout: _Layout) -> Array:
    """Nominal alpha of each row of (m, k) counts (binary values); NaN where undefined."""
    m = np.array([cell[0] for cell in layout.cells], dtype=float)
    k = np.array([cell[1] for cell in layout.cells], dtype=float)
    pairable = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        disagreeing = np.where(pairable, k * (m - k) / np.where(pairable, m - 1, 1), 0.0)
    n = histograms @ np.where(pairable, m, 0.0)
    coded = histograms @ np.where(pairable, k, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (n - 1) * (histograms @ disagreeing) / (coded * (n - coded))
    alpha[(n <= 1) | (coded == 0) | (coded == n)] = np.nan
    return np.asarray(alpha, dtype=np.float64)


def _interval(values: Array) -> Interval95 | None:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    tail = 100 * (1 - CONFIDENCE) / 2
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _result(node: Hashable | None, tally: _Tally, matrix: Array, coders: Sequence[Hashable],
            pairs: list[tuple[int, int]], sentence_units: bool, layout: _Layout,
            draws: Array | None) -> NodeAgreement:
    totals = matrix.sum(axis=0)
    resampled = draws @ matrix if draws is not None else None

    def table(cells: slice) -> PairTable:
        both, only_a, only_b, neither = (int(value) for value in totals[cells])
        return PairTable(both, only_a, only_b, neither)

    characters = layout.histogram_units(totals, layout.characters)
    sentences = layout.histogram_units(totals, layout.sentences)
    histogram = slice(layout.characters, layout.sentences)
    return NodeAgreement(
        node=node,
        pairs=tuple(
            PairAgreement(coders[a], coders[b], table(layout.all_text(p)), table(layout.coded_text(p)),
                          tally.segments.get((a, b), SegmentCounts()),
                          _interval(kappa_values(resampled[:, layout.all_text(p)]))
                          if resampled is not None else None)
            for p, (a, b) in enumerate(pairs)),
        alpha_characters=nominal_alpha(characters) if characters else None,
        alpha_sentences=nominal_alpha(sentences) if sentence_units and sentences else None,
        coded_characters={coders[c]: value for c, value in sorted(tally.coded.items())},
        fleiss_kappa=fleiss_kappa(characters) if characters else None,
        alpha_interval=_interval(alpha_values(resampled[:, histogram], layout)) if resampled is not None else None,
    )
