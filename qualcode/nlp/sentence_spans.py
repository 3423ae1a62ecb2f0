"""Sentence boundaries by spaCy's rule-based sentencizer (no trained pipeline needed).

Transcripts put each speaker turn on its own line, so a sentence never runs across a line
break; long texts are split at line breaks into chunks that spaCy reads one at a time.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

CHUNK = 100_000
_LINE = re.compile(r"[^\n]+")


@cache
def _pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _chunks(text: str) -> list[tuple[int, str]]:
    chunks, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:  # no line break: cut between words
                cut = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
            end = cut + 1 if cut > start else end
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Half-open code-point spans of the sentences in `text` (shifted by `offset`),
    without surrounding white space, never across a line break."""
    spans: list[tuple[int, int]] = []
    nlp = _pipeline()
    for base, chunk in _chunks(text):
        for sentence in nlp(chunk).sents:
            for line in _LINE.finditer(chunk, sentence.start_char, sentence.end_char):
                start, end = line.start(), line.end()
                while start < end and chunk[start].isspace():
                    start += 1
                while end > start and chunk[end - 1].isspace():
                    end -= 1
                if end > start:
                    spans.append((base + start + offset, base + end + offset))
    return spans
