"""Speakers of a document's turns: which are the interviewer's, and auto-coding by speaker.

Which speakers are interviewers is kept per document as the document attribute
"Interviewer speakers" (e.g. "I; Interviewer"), visible and editable like any attribute.
Retrieval that should leave the interviewer's words out asks `without_interviewer`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import cache

from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.orm import Session

from qualcode.analysis.intervals import difference, merge
from qualcode.domain.enums import AttributeScope, AttributeType
from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level
from qualcode.domain.spans import Span
from qualcode.services._common import require
from qualcode.services.cases import cases as case_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.commands import Change
from qualcode.store.models import Attribute, AttributeValue, Coder, Document, Node, Turn

INTERVIEWER_ATTRIBUTE = "Interviewer speakers"
SPEAKER_NODE_PREFIX = "Speaker: "


def _split(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(";") if part.strip())


def speakers_of(session: Session, document_id: int) -> list[str]:
    """Distinct speakers of a document's turns, in order of first appearance."""
    require(session, Document, document_id, "document")
    rows = session.scalars(select(Turn.speaker).where(Turn.document_id == document_id).order_by(Turn.start))
    return list(dict.fromkeys(s for s in rows if s))


@cache
def _interviewers_of_document() -> Select[tuple[str]]:
    # Built once: every transcript opened reads it, and building it cost more than running it.
    return (select(AttributeValue.value).join(Attribute, Attribute.id == AttributeValue.attribute_id)
            .where(Attribute.name == INTERVIEWER_ATTRIBUTE, Attribute.scope == AttributeScope.DOCUMENT.value,
                   AttributeValue.document_id == bindparam("document_id", type_=Integer)))


def interviewer_speakers(session: Session, document_id: int) -> frozenset[str]:
    """The speakers marked as interviewers on a document (empty if none are)."""
    value = session.scalar(_interviewers_of_document(), {"document_id": document_id})
    return _split(value) if value else frozenset()


def set_interviewer_speakers(
    session: Session, *, document_id: int, speakers: Iterable[str], coder_id: int | None = None
) -> list[Change]:
    """Mark these speakers as the interviewer(s) of a document (an empty list clears it)."""
    require(session, Document, document_id, "document")
    chosen = sorted({" ".join(s.split()) for s in speakers if s.strip()})
    known = set(speakers_of(session, document_id))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ValidationError(f"No turn of this document is spoken by {', '.join(repr(s) for s in unknown)}.")
    changes: list[Change] = []
    attribute_id = session.scalar(select(Attribute.id).where(
        Attribute.name == INTERVIEWER_ATTRIBUTE, Attribute.scope == AttributeScope.DOCUMENT.value))
    if attribute_id is None:
        if not chosen:
            return changes
        change = case_service.create_attribute(session, name=INTERVIEWER_ATTRIBUTE, type=AttributeType.TEXT,
                                               scope=AttributeScope.DOCUMENT, coder_id=coder_id)
        changes.append(change)
        attribute_id = int(change.result)
    changes.append(case_service.set_attribute_value(session, attribute_id=attribute_id, value="; ".join(chosen),
                                                    document_id=document_id, coder_id=coder_id))
    return changes


def interviewer_spans(session: Session, document_id: int) -> list[Span]:
    """The spans of a document's interviewer turns, in text order."""
    return interviewer_spans_of(session, [document_id]).get(document_id, [])


def interviewer_spans_of(session: Session, document_ids: Collection[int]) -> dict[int, list[Span]]:
    """The spans of the interviewer turns of many documents (in text order), read in two
    queries however many documents there are; documents without any are left out."""
    if not document_ids:
        return {}
    marked = session.execute(
        select(AttributeValue.document_id, AttributeValue.value)
        .join(Attribute, Attribute.id == AttributeValue.attribute_id)
        .where(Attribute.name == INTERVIEWER_ATTRIBUTE, Attribute.scope == AttributeScope.DOCUMENT.value,
               AttributeValue.document_id.in_(list(document_ids)))
    ).tuples()
    speakers = {document_id: _split(value) for document_id, value in marked if document_id is not None and value}
    speakers = {document_id: names for document_id, names in speakers.items() if names}
    if not speakers:
        return {}
    rows = session.execute(select(Turn.document_id, Turn.speaker, Turn.start, Turn.end).where(
        Turn.document_id.in_(list(speakers)), Turn.speaker.in_(set().union(*speakers.values())))
        .order_by(Turn.document_id, Turn.start)).tuples()
    spans: dict[int, list[Span]] = {}
    for document_id, speaker, start, end in rows:
        if speaker in speakers[document_id]:
            spans.setdefault(document_id, []).append(Span(start, end))
    return spans


def without_interviewer(session: Session, *, document_id: int, start: int, end: int,
                        turns: Sequence[Span] | None = None) -> list[Span]:
    """The parts of `[start, end)` outside the document's interviewer turns (`turns`, when the
    caller has already read them with `interviewer_spans`)."""
    spans = interviewer_spans(session, document_id) if turns is None else turns
    return [Span(a, b) for a, b in difference([(start, end)], merge((t.start, t.end) for t in spans))]


def autocode_speakers(
    session: Session, *, document_id: int, coder_id: int, speakers: Sequence[str] | None = None
) -> list[Change]:
    """Code each speaker's turns to a top-level code "Speaker: <name>" (created if missing)."""
    require(session, Document, document_id, "document")
    require(session, Coder, coder_id, "coder")
    wanted = speakers if speakers is not None else speakers_of(session, document_id)
    changes: list[Change] = []
    specs: list[coding_service.CodingSpec] = []
    for speaker in wanted:
        name = f"{SPEAKER_NODE_PREFIX}{speaker}"
        node_id = session.scalar(select(Node.id).where(Node.name == name, Node.parent_id.is_(None)))
        if node_id is None:
            change = node_service.create_node(session, name=name, level=Level.CODE, coder_id=coder_id,
                                              definition=f"Everything {speaker} says (coded at import).")
            changes.append(change)
            node_id = int(change.result)
        rows = session.execute(select(Turn.start, Turn.end).where(
            Turn.document_id == document_id, Turn.speaker == speaker))
        specs += [coding_service.CodingSpec(document_id, start, end, node_id) for start, end in rows]
    if specs:
        changes.append(coding_service.apply_codes(session, specs=specs, coder_id=coder_id,
                                                  title="Code turns by speaker"))
    return changes
