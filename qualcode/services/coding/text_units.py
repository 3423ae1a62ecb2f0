"""Units of text around a passage: speaker turns, sentences, paragraphs (lines).

Used to widen search hits before coding them and by queries that look for codings
"within the same turn" or "within the same sentence".
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.spans import Span as TextSpan
from qualcode.nlp.sentences import sentence_spans
from qualcode.services.coding.sentences import sentences_of_text
from qualcode.services.coding.unit_names import UNITS as UNITS
from qualcode.services.coding.unit_names import Unit as Unit
from qualcode.store.models import Document, Turn

Span = tuple[int, int]


def check_unit(unit: str) -> Unit:
    if unit not in UNITS:
        raise ValidationError(f"Unknown unit '{unit}': use {', '.join(UNITS)}.")
    return unit  # type: ignore[return-value]


def turn_spans(session: Session, document_ids: Iterable[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Document id -> its turns as (start, end, speaker), in text order."""
    turns: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    query = (select(Turn.document_id, Turn.start, Turn.end, Turn.speaker)
             .where(Turn.document_id.in_(list(document_ids))).order_by(Turn.document_id, Turn.start, Turn.end))
    for document_id, start, end, speaker in session.connection().execute(query).tuples():  # Core: fast for many rows
        turns[document_id].append((start, end, speaker))
    return dict(turns)


def turns_at(session: Session, places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int, str]]:
    """The turn holding each (document id, offset), looked up in the database for just those
    places (fetching every turn of long documents for a few hits would cost far more)."""
    wanted = sorted(set(places))
    found: dict[tuple[int, int], tuple[int, int, str]] = {}
    for first in range(0, len(wanted), 4000):
        chunk = wanted[first : first + 4000]
        values = ", ".join(f"(:d{i}, :p{i})" for i in range(len(chunk)))
        params = {f"d{i}": d for i, (d, _) in enumerate(chunk)} | {f"p{i}": p for i, (_, p) in enumerate(chunk)}
        rows = session.connection().execute(text(
            f"WITH place(doc, pos) AS (VALUES {values}) "
            'SELECT place.doc, place.pos, turn.start, turn."end", turn.speaker FROM place '
            'JOIN turn ON turn.document_id = place.doc AND turn.start <= place.pos AND turn."end" > place.pos'
        ), params)
        for document_id, position, start, end, speaker in rows.tuples():
            found.setdefault((document_id, position), (start, end, speaker))
    return found


def document_texts(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    rows = session.connection().execute(select(Document.id, Document.text).where(Document.id.in_(list(document_ids))))
    return {int(i): str(t) for i, t in rows.tuples()}


def paragraph_of(text: str, start: int, end: int) -> Span:
    """The line(s) holding `text[start:end]`, without surrounding white space."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", max(start, end - 1))
    last = len(text) if last < 0 else last
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    return (min(first, start), max(last, end))


def _overlapping_turns(turns: list[tuple[int, int, str]], start: int, end: int) -> list[tuple[int, int, str]]:
    index = max(0, bisect.bisect_right(turns, start, key=lambda t: t[0]) - 1)
    while index > 0 and turns[index - 1][1] > start:  # an earlier, longer turn may still cover the hit
        index -= 1
    found = []
    for turn in turns[index:]:
        if turn[0] >= end:
            break
        if start < turn[1]:
            found.append(turn)
    return found


def turn_at(turns: list[tuple[int, int, str]], position: int) -> tuple[int, int, str] | None:
    """The turn holding `position`, if any."""
    index = bisect.bisect_right(turns, position, key=lambda t: t[0]) - 1
    if index >= 0 and turns[index][0] <= position < turns[index][1]:
        return turns[index]
    return None


def speaker_at(turns: list[tuple[int, int, str]], position: int) -> str:
    """The speaker of the turn holding `position`, or ''."""
    turn = turn_at(turns, position)
    return turn[2] if turn else ""


def widen(text: str, turns: list[tuple[int, int, str]], start: int, end: int, unit: Unit) -> Span:
    """The passage to code for a hit at `text[start:end]`, widened to its unit.

    A turn falls back to the paragraph when the document has no speaker turns; sentences
    are looked for within the hit's paragraph and turn.
    """
    if unit == "hit":
        return (start, end)
    in_turns = _overlapping_turns(turns, start, end)
    if unit == "turn" and in_turns:
        return (min(t[0] for t in in_turns), max(t[1] for t in in_turns))
    paragraph = paragraph_of(text, start, end)
    if unit in ("turn", "paragraph"):
        return paragraph
    low, high = paragraph
    if in_turns:
        low, high = max(low, in_turns[0][0]), min(high, max(t[1] for t in in_turns))
        low = _after_speaker_label(text, in_turns[0], low, start)
    low, high = min(low, start), max(high, end)
    around = sentence_spans(text, regions=[TextSpan(low, high)])  # only the hit's paragraph: fast on long texts
    hit_sentences = [(s.start, s.end) for s in around if s.start < end and start < s.end]
    if not hit_sentences:
        return (start, end)
    return (min(start, hit_sentences[0][0]), max(end, hit_sentences[-1][1]))


def _after_speaker_label(text: str, turn: tuple[int, int, str], low: int, limit: int) -> int:
    """Skip a leading 'Speaker:' label so a sentence does not take it along."""
    turn_start, _, speaker = turn
    if turn_start == low and speaker and text.startswith(f"{speaker}:", low):
        low += len(speaker) + 1
        while low < limit and text[low].isspace():
            low += 1
    return low


def unit_spans(text: str, turns: list[tuple[int, int, str]], unit: Literal["turn", "sentence"]) -> list[Span]:
    """Every turn (or, without turns, every paragraph) or every sentence of a text; a
    sentence that opens a turn leaves out the 'Speaker:' label."""
    if unit == "sentence":
        opening = {turn[0]: turn for turn in turns}
        sentences = sentences_of_text(text, [TextSpan(s, e) for s, e, _ in turns])
        return [(_after_speaker_label(text, opening[s.start], s.start, s.end) if s.start in opening else s.start, s.end)
                for s in sentences]
    if turns:
        return [(s, e) for s, e, _ in turns]
    spans, position = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append(paragraph_of(text, position, position + len(line)))
        position += len(line) + 1
    return spans
