"""Sentences of a stored document, for "code this sentence" and sentence-level agreement units.

Segmentation runs inside speaker turns (so "P3:" labels are never part of a sentence) and
on the lines outside any turn (titles, notes). Results are cached by text hash, so they
are computed once per text and recomputed only after the text changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.spans import Span
from qualcode.nlp import sentences as nlp_sentences
from qualcode.services._common import require
from qualcode.store.models import Document, Turn


def regions(text: str, turns: Sequence[Span]) -> list[Span]:
    """Turn spans plus every non-blank line that no turn touches."""
    if not turns:
        return [Span(0, len(text))]
    ordered = sorted(turns, key=lambda s: s.start)
    out = list(ordered)
    position = 0
    index = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        while index < len(ordered) and ordered[index].end < start:
            index += 1
        touched = index < len(ordered) and ordered[index].start <= end
        if line.strip() and not touched:
            out.append(Span(start, end))
    return sorted(out, key=lambda s: s.start)


def sentences_of_text(text: str, turns: Sequence[Span]) -> tuple[Span, ...]:
    return nlp_sentences.sentence_spans(text, regions=regions(text, turns))


def document_sentences(session: Session, *, document_id: int) -> tuple[Span, ...]:
    """The sentence spans of a document, in text order."""
    text = require(session, Document, document_id, "document").text
    rows = session.execute(select(Turn.start, Turn.end).where(Turn.document_id == document_id))
    turns = [Span(start, end) for start, end in rows]
    return sentences_of_text(text, turns)


def sentence_at(session: Session, *, document_id: int, offset: int) -> Span | None:
    """The sentence that contains `offset`, or None between sentences."""
    for span in document_sentences(session, document_id=document_id):
        if span.start <= offset < span.end:
            return span
    return None
