"""The unit a one-key coding action takes: the sentence or speaker turn under the cursor, and
an in-vivo code name made of the participant's own words."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.spans import Span
from qualcode.services._common import MAX_NAME, require
from qualcode.services.coding.text_units import turn_spans, widen
from qualcode.store.models import Document

IN_VIVO_WORDS = 8


def _unit_at(session: Session, document_id: int, offset: int, unit: str) -> Span:
    text = require(session, Document, document_id, "document").text
    if not 0 <= offset < len(text):
        raise ValidationError(f"Position {offset} lies outside the text (0-{len(text)}).")
    if text[offset].isspace() and (offset == 0 or text[offset - 1].isspace()):
        raise ValidationError(f"There is no {unit} here: click inside a passage.")
    turns = turn_spans(session, [document_id]).get(document_id, [])
    start, end = widen(text, turns, offset, offset + 1, unit)  # type: ignore[arg-type]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        raise ValidationError(f"There is no {unit} here: click inside a passage.")
    return Span(start, end)


def sentence_at(session: Session, *, document_id: int, offset: int) -> Span:
    """The sentence holding the character at `offset` (spaCy sentencizer, within its turn)."""
    return _unit_at(session, document_id, offset, "sentence")


def turn_at(session: Session, *, document_id: int, offset: int) -> Span:
    """The speaker turn holding `offset`; its paragraph when the document has no turns."""
    return _unit_at(session, document_id, offset, "turn")


def in_vivo_name(passage: str) -> str:
    """A node name from a participant's words: the first few words, surrounding punctuation
    and quotation marks stripped, '…' when the passage is longer."""
    words = passage.replace("\n", " ").split()
    if not words:
        raise ValidationError("Select some words to make an in-vivo code.")
    name = " ".join(words[:IN_VIVO_WORDS]).strip("\"'“”‘’.,;:!?-–— ")
    if len(words) > IN_VIVO_WORDS:
        name += " …"
    return (name or " ".join(words))[:MAX_NAME]


def prepare() -> None:
    """Load the sentence splitter now (e.g. in the background when a project opens), so the
    first "code this sentence" answers at once."""
    from qualcode.nlp.sentences import sentence_spans

    sentence_spans("Ready.")
