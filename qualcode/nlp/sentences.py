"""Sentence spans of a document, computed once per text and cached.

A sentence never crosses a line end (a paragraph or speaker turn in QualCode's text form)
and never includes the white space around it. Callers may restrict segmentation to
regions (e.g. the words of speaker turns, leaving their "P3:" labels out).

The cache is an in-process LRU keyed by the text's SHA-256, the regions and the pipeline,
so an edit to a document's text (which changes its hash) can never return stale spans.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualcode.domain.spans import Span
from qualcode.domain.text import text_sha256

if TYPE_CHECKING:
    from spacy.language import Language

CACHE_SIZE = 512
_cache: OrderedDict[tuple[object, ...], tuple[Span, ...]] = OrderedDict()
_lock = threading.Lock()
_stats = {"hits": 0, "misses": 0}


def sentence_spans(
    text: str, *, regions: Sequence[Span] | None = None, nlp: Language | None = None
) -> tuple[Span, ...]:
    """Half-open sentence spans of `text` in text order (within `regions` if given)."""
    if nlp is None:
        from qualcode.nlp.pipeline import load_pipeline

        nlp = load_pipeline()
    key = (id(nlp), text_sha256(text), tuple((r.start, r.end) for r in regions) if regions is not None else None)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            _stats["hits"] += 1
            return _cache[key]
        _stats["misses"] += 1
    spans = _segment(text, regions if regions is not None else [Span(0, len(text))], nlp)
    with _lock:
        _cache[key] = spans
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return spans


def sentence_at(text: str, offset: int, *, regions: Sequence[Span] | None = None) -> Span | None:
    """The sentence containing `offset` (or starting there), for "code this sentence"."""
    for span in sentence_spans(text, regions=regions):
        if span.start <= offset < span.end:
            return span
    return None


def cache_stats() -> dict[str, int]:
    with _lock:
        return dict(_stats, size=len(_cache))


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _stats.update(hits=0, misses=0)


def _lines(text: str, regions: Sequence[Span]) -> list[tuple[int, str]]:
    pieces = []
    for region in sorted(regions, key=lambda r: r.start):
        offset = region.start
        for line in text[region.start : region.end].split("\n"):
            if line.strip():
                pieces.append((offset, line))
            offset += len(line) + 1
    return pieces


def _keep(nlp: Language) -> set[str]:
    if "sentencizer" in nlp.pipe_names:
        return {"sentencizer"}
    if "senter" in nlp.pipe_names:
        return {"senter", "tok2vec"}
    return {"parser", "tok2vec", "transformer"}


def _segment(text: str, regions: Sequence[Span], nlp: Language) -> tuple[Span, ...]:
    pieces = _lines(text, regions)
    disable = [name for name in nlp.pipe_names if name not in _keep(nlp)]
    spans: list[Span] = []
    docs = nlp.pipe((line for _, line in pieces), batch_size=256, disable=disable)
    for (offset, line), doc in zip(pieces, docs, strict=True):
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and line[start].isspace():
                start += 1
            while end > start and line[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append(Span(offset + start, offset + end))
    return tuple(spans)
