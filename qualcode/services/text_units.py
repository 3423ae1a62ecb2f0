"""Units of text around a position: the sentence or the speaker turn a click falls in, and
an in-vivo code name taken from the participant's own words."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.spans import Span
from qualcode.services._common import MAX_NAME, require
from qualcode.store.models import Document, Turn

IN_VIVO_WORDS = 8


def _paragraph(text: str, offset: int) -> Span:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return Span(start, len(text) if end < 0 else end)


def turn_at(session: Session, *, document_id: int, offset: int) -> Span:
    """The speaker turn containing `offset`; the paragraph when the document has no turns there."""
    document = require(session, Document, document_id, "document")
    _check_offset(document.text, offset)
    turn = session.execute(
        select(Turn.start, Turn.end).where(Turn.document_id == document_id, Turn.start <= offset, Turn.end > offset)
        .order_by(Turn.start.desc())
    ).first()
    if turn is not None:
        return _strip(document.text, Span(turn.start, turn.end))
    return _strip(document.text, _paragraph(document.text, offset))


def sentence_at(session: Session, *, document_id: int, offset: int) -> Span:
    """The sentence containing `offset` (spaCy sentencizer run on its paragraph only)."""
    from qualcode.nlp.sentences import sentence_spans

    document = require(session, Document, document_id, "document")
    text = document.text
    _check_offset(text, offset)
    paragraph = _paragraph(text, offset)
    spans = sentence_spans(text[paragraph.start:paragraph.end])
    if not spans:
        raise ValidationError("There is no sentence here: click inside some text.")
    for start, end in spans:
        if offset < paragraph.start + end:
            return Span(paragraph.start + start, paragraph.start + end)
    start, end = spans[-1]
    return Span(paragraph.start + start, paragraph.start + end)


def _check_offset(text: str, offset: int) -> None:
    if not 0 <= offset < max(len(text), 1):
        raise ValidationError(f"Position {offset} lies outside the text (0-{len(text)}).")


def _strip(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        raise ValidationError("There is no text here: click inside a passage.")
    return Span(start, end)


def in_vivo_name(passage: str) -> str:
    """A node name from a participant's words: the first few words, quoted marks stripped."""
    words = passage.replace("\n", " ").split()
    if not words:
        raise ValidationError("Select some words to make an in-vivo code.")
    name = " ".join(words[:IN_VIVO_WORDS]).strip("\"'“”‘’.,;:!?-–— ")
    if len(words) > IN_VIVO_WORDS:
        name += " …"
    return name[:MAX_NAME] or " ".join(words)[:MAX_NAME]
