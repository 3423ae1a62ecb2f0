"""What the transcript viewer reads: a document's codings as light rows (no text, no joins;
node and coder names come from the viewer's own lists), and just the codings a change touched;
and, to open a transcript, all it shows in one go: its text, turns, participants, codings and
interviewers, read with statements built once."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError
from qualcode.services.coding.speakers import interviewer_speakers
from qualcode.services.documents import TurnInfo
from qualcode.store.models import Case, Coding, Document, Turn, case_document


@dataclass(frozen=True, slots=True)
class SpanCoding:
    id: int
    document_id: int
    start: int
    end: int
    node_id: int
    coder_id: int
    memo: str
    exemplar: bool


_COLUMNS = (Coding.id, Coding.document_id, Coding.start, Coding.end, Coding.node_id, Coding.coder_id, Coding.memo,
            Coding.exemplar)


def _span(row: Sequence[Any]) -> SpanCoding:
    id_, document_id, start, end, node_id, coder_id, memo, exemplar = row
    return SpanCoding(id_, document_id, start, end, node_id, coder_id, memo, bool(exemplar))


@cache
def _codings_of_document() -> Select[Any]:
    return (select(*_COLUMNS).where(Coding.document_id == bindparam("document_id", type_=Integer))
            .order_by(Coding.start, Coding.end, Coding.id))


def document_codings(session: Session, document_id: int) -> list[SpanCoding]:
    """Every coding on a document, in text order."""
    return [_span(row) for row in session.execute(_codings_of_document(), {"document_id": document_id}).all()]


def span_coding(row: Mapping[str, Any]) -> SpanCoding:
    """A coding as the viewer shows it, from a coding row's image (a change's `row_changes`)."""
    return SpanCoding(int(row["id"]), int(row["document_id"]), int(row["start"]), int(row["end"]),
                      int(row["node_id"]), int(row["coder_id"]), row["memo"] or "", bool(row["exemplar"]))


def codings_by_id(session: Session, coding_ids: Collection[int]) -> list[SpanCoding]:
    """The codings with these ids that still exist (after an apply, undo or redo)."""
    if not coding_ids:
        return []
    rows = session.execute(select(*_COLUMNS).where(Coding.id.in_(list(coding_ids)))).tuples()
    return [_span(row) for row in rows]


@dataclass(frozen=True, slots=True)
class Transcript:
    """What the viewer shows of a document."""

    name: str
    text: str
    turns: list[TurnInfo]
    participants: list[str]  # the names of the cases it belongs to, by name
    codings: list[SpanCoding]
    interviewers: frozenset[str]  # the speakers marked as the interviewer


@cache
def _transcript_statements() -> tuple[Select[Any], ...]:
    # Core statements on the tables, with the document as a parameter: built and compiled
    # once, where building them each time cost more than running them.
    document_id = bindparam("document_id", type_=Integer)
    documents, turns, cases = Document.__table__, Turn.__table__, Case.__table__
    return (
        select(documents.c.name, documents.c.text).where(documents.c.id == document_id),
        select(turns.c.id, turns.c.document_id, turns.c.start, turns.c.end, turns.c.speaker, turns.c.timestamp)
        .where(turns.c.document_id == document_id).order_by(turns.c.start),
        select(cases.c.name).join(case_document, case_document.c.case_id == cases.c.id)
        .where(case_document.c.document_id == document_id).order_by(func.lower(cases.c.name)),
    )


def transcript(session: Session, document_id: int) -> Transcript:
    """Everything the viewer shows of a document, read at once."""
    document, turns, cases = _transcript_statements()
    connection = session.connection()
    parameters = {"document_id": document_id}
    row = connection.execute(document, parameters).first()
    if row is None:
        raise NotFoundError(f"There is no document with id {document_id} in this project.")
    return Transcript(
        row.name, row.text,
        [TurnInfo(*turn) for turn in connection.execute(turns, parameters).all()],
        list(connection.execute(cases, parameters).scalars()),
        document_codings(session, document_id),
        interviewer_speakers(session, document_id),
    )
