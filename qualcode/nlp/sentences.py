"""Sentence boundaries with spaCy's rule-based sentencizer (no trained pipeline needed)."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _pipeline() -> Any:
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Half-open code-point spans of the sentences of `text`, surrounding blanks excluded."""
    spans: list[tuple[int, int]] = []
    for sentence in _pipeline()(text).sents:
        start = sentence.start_char
        end = sentence.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
