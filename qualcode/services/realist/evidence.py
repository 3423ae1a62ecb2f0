"""Evidence for CMO statements: a passage of a document, or an existing coding, that a
coder judged to support or refute a statement.

Passage evidence moves with the text when a document is edited (documents.edit_document_text
remaps it); coding evidence follows its coding (through node merges and moves).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from qualcode.domain.cmo import ROLE_NAMES
from qualcode.domain.enums import Stance, parse_enum
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.spans import check_span
from qualcode.services._common import require
from qualcode.services.coding.retrieval import Segment, context_around, leave_out_interviewer
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import (
    Case,
    CmoComponent,
    CmoConfiguration,
    CmoEvidence,
    Coder,
    Coding,
    Document,
    case_document,
)


@dataclass(frozen=True)
class EvidenceSpec:
    """Checked values for one evidence row about to be inserted."""

    component_id: int
    document_id: int
    start: int | None
    end: int | None
    coding_id: int | None
    coder_id: int
    stance: str
    memo: str


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    uid: str
    component_id: int
    configuration_id: int
    configuration_label: str
    concept: str
    role: str
    statement: str
    document_id: int
    document_name: str
    start: int
    end: int
    coding_id: int | None
    coder_id: int
    coder_name: str
    stance: str
    memo: str
    created_at: datetime
    text: str
    before: str  # text just before the passage, for reading it in context
    after: str
    cases: tuple[str, ...]


def require_document(session: Session, document_id: int) -> int:
    """The document's text length, or a clear refusal when it is gone."""
    length = session.scalar(select(func.length(Document.text)).where(Document.id == document_id))
    if length is None:
        raise NotFoundError(
            f"Cannot use a passage of document {document_id} as evidence: that document is not in this "
            "project (it may have been deleted)."
        )
    return int(length)


def prepare_evidence(
    session: Session,
    *,
    component_id: int | None,
    coder_id: int,
    document_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    coding_id: int | None = None,
    stance: str = Stance.SUPPORTS,
    memo: str = "",
) -> EvidenceSpec:
    """Validate evidence before writing. `component_id` None means 'a statement about to be
    created' (tagging), so only the passage, coder and stance are checked."""
    require(session, Coder, coder_id, "coder")
    stance_value = parse_enum(Stance, stance, "evidence stance").value
    if coding_id is not None:
        if document_id is not None or start is not None or end is not None:
            raise ValidationError("Link evidence to a passage or to a coding, not both.")
        coding = session.get(Coding, coding_id)
        if coding is None:
            raise NotFoundError(
                f"The coding {coding_id} is not in this project (it was uncoded or its document deleted)."
            )
        doc_id, span_start, span_end = coding.document_id, None, None
        duplicate = CmoEvidence.coding_id == coding_id
    else:
        if document_id is None or start is None or end is None:
            raise ValidationError("Evidence needs a passage (document, start, end) or a coding.")
        check_span(start, end, require_document(session, document_id), what="evidence passage")
        doc_id, span_start, span_end = document_id, start, end
        duplicate = (CmoEvidence.document_id == document_id) & (CmoEvidence.start == start) & (CmoEvidence.end == end)
    if component_id is not None:
        require(session, CmoComponent, component_id, "configuration statement")
        if session.scalar(select(CmoEvidence.id).where(
                CmoEvidence.component_id == component_id, CmoEvidence.coder_id == coder_id, duplicate)) is not None:
            raise ValidationError("This passage is already evidence for that statement.")
    return EvidenceSpec(component_id or 0, doc_id, span_start, span_end, coding_id, coder_id, stance_value, memo)


def insert_evidence(rec: Recorder, spec: EvidenceSpec, component_id: int | None = None) -> int:
    return int(rec.insert(
        CmoEvidence, component_id=component_id or spec.component_id, document_id=spec.document_id,
        start=spec.start, end=spec.end, coding_id=spec.coding_id, coder_id=spec.coder_id,
        stance=spec.stance, memo=spec.memo,
    ))


def _component_title(session: Session, component_id: int) -> tuple[str, str]:
    row = session.execute(select(CmoComponent.role, CmoConfiguration.label, CmoConfiguration.uid)
                          .join(CmoConfiguration, CmoConfiguration.id == CmoComponent.configuration_id)
                          .where(CmoComponent.id == component_id)).one()
    return f"{row.role} of '{row.label}'", row.uid


def add_evidence(
    session: Session,
    *,
    component_id: int,
    coder_id: int,
    document_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    coding_id: int | None = None,
    stance: str = Stance.SUPPORTS,
    memo: str = "",
) -> Change:
    """Link a passage (document, start, end) or an existing coding to a statement, as
    supporting or refuting it. Result: the new evidence id."""
    spec = prepare_evidence(session, component_id=component_id, coder_id=coder_id, document_id=document_id,
                            start=start, end=end, coding_id=coding_id, stance=stance, memo=memo)
    what, uid = _component_title(session, component_id)
    return Command(f"Add evidence to {what}", lambda rec: insert_evidence(rec, spec), action="add evidence",
                   details={"configuration": uid, "component_id": component_id, "document_id": spec.document_id,
                            "start": start, "end": end, "coding_id": coding_id, "stance": spec.stance},
                   coder_id=coder_id).apply(session)


def update_evidence(
    session: Session,
    *,
    evidence_id: int,
    stance: str | None = None,
    memo: str | None = None,
    component_id: int | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Change whether evidence supports or refutes, its memo, or the statement it backs. With
    `expected_version`, refused with a ConflictError when someone changed it since it was read."""
    row = require(session, CmoEvidence, evidence_id, "evidence")
    values: dict[str, object] = {}
    if stance is not None:
        values["stance"] = parse_enum(Stance, stance, "evidence stance").value
    if memo is not None:
        values["memo"] = memo
    if component_id is not None and component_id != row.component_id:
        require(session, CmoComponent, component_id, "configuration statement")
        values["component_id"] = component_id
    what, _ = _component_title(session, row.component_id)
    return Command(f"Edit evidence for {what}", lambda rec: rec.update(CmoEvidence, evidence_id,
                                                                             expected_version=expected_version, **values),
                   action="edit evidence", details={"evidence": row.uid, **values}, coder_id=coder_id).apply(session)


def delete_evidence(session: Session, *, evidence_id: int, coder_id: int | None = None) -> Change:
    row = require(session, CmoEvidence, evidence_id, "evidence")
    what, _ = _component_title(session, row.component_id)
    return Command(f"Remove evidence from {what}", lambda rec: rec.delete(CmoEvidence, evidence_id),
                   action="delete evidence", details={"evidence": row.uid}, coder_id=coder_id).apply(session)


@cache
def _evidence_query() -> tuple[Select[Any], ColumnElement[int]]:
    """The evidence query in document and text order, with the document it lies in (its
    coding's, for coding evidence) to filter on: built once (opening a transcript reads it,
    and building it cost more than running it)."""
    coding = aliased(Coding)
    doc_col = func.coalesce(CmoEvidence.document_id, coding.document_id)
    start_col = func.coalesce(CmoEvidence.start, coding.start)
    end_col = func.coalesce(CmoEvidence.end, coding.end)
    query = (
        select(CmoEvidence.id, CmoEvidence.uid, CmoEvidence.component_id, CmoComponent.configuration_id,
               CmoConfiguration.label, CmoConfiguration.concept, CmoComponent.role, CmoComponent.statement,
               doc_col, Document.name, start_col, end_col, CmoEvidence.coding_id, CmoEvidence.coder_id,
               Coder.name, CmoEvidence.stance, CmoEvidence.memo, CmoEvidence.created_at)
        .join(CmoComponent, CmoComponent.id == CmoEvidence.component_id)
        .join(CmoConfiguration, CmoConfiguration.id == CmoComponent.configuration_id)
        .outerjoin(coding, coding.id == CmoEvidence.coding_id)
        .join(Document, Document.id == doc_col)
        .join(Coder, Coder.id == CmoEvidence.coder_id)
        .order_by(func.lower(Document.name), doc_col, start_col, end_col, CmoEvidence.id)
    )
    return query, doc_col


def evidence_for(
    session: Session,
    *,
    configuration_id: int | None = None,
    component_id: int | None = None,
    document_id: int | None = None,
    configuration_ids: Sequence[int] | None = None,
    concept: str | None = None,
    context: int = 160,
) -> list[EvidenceInfo]:
    """Evidence with its passage, `context` characters either side, coder and cases, in
    document and text order. Coding evidence takes its coding's current span."""
    query, doc_col = _evidence_query()
    if configuration_id is not None:
        query = query.where(CmoComponent.configuration_id == configuration_id)
    if configuration_ids is not None:
        query = query.where(CmoComponent.configuration_id.in_(list(configuration_ids)))
    if component_id is not None:
        query = query.where(CmoEvidence.component_id == component_id)
    if concept is not None:
        query = query.where(CmoConfiguration.concept == concept)
    if document_id is not None:
        query = query.where(doc_col == document_id)
    rows = list(session.execute(query).tuples())
    if not rows:  # as for most transcripts opened: nothing more to read
        return []
    doc_ids = {row[8] for row in rows}
    texts = dict(session.execute(select(Document.id, Document.text).where(Document.id.in_(doc_ids))).tuples().all())
    cases: dict[int, list[str]] = {}
    for doc, name in session.execute(select(case_document.c.document_id, Case.name)
                                     .join(Case, Case.id == case_document.c.case_id)
                                     .where(case_document.c.document_id.in_(doc_ids)).order_by(Case.name)):
        cases.setdefault(doc, []).append(name)
    infos = []
    for row in rows:
        text = texts[row[8]]
        start, end = row[10], row[11]
        before, after = context_around(text, start, end, context)
        infos.append(EvidenceInfo(*row, text=text[start:end], before=before, after=after,  # type: ignore[misc]
                                  cases=tuple(cases.get(row[8], ()))))
    return infos


def evidence_segments(
    session: Session,
    *,
    configuration_id: int | None = None,
    component_id: int | None = None,
    concept: str | None = None,
    exclude_interviewer: bool = False,
    context: int = 160,
) -> list[Segment]:
    """CMO evidence as retrieval segments, to list beside coded passages: tagged as
    "CMOC 3 · C" (with "refutes" when it does), the statement as the detail, the evidence
    memo as the memo. Coding evidence keeps its coding id. A configuration or statement that
    is gone is refused (NotFoundError), not listed as empty."""
    if configuration_id is not None:
        require(session, CmoConfiguration, configuration_id, "configuration")
    if component_id is not None:
        require(session, CmoComponent, component_id, "configuration statement")
    segments = [
        Segment(item.coding_id, item.document_id, item.document_name, ", ".join(item.cases), item.start, item.end,
                None, f"{item.configuration_label} · {item.role}" + ("" if item.stance == Stance.SUPPORTS else
                                                                         f" ({item.stance})"),
                item.coder_id, item.coder_name, item.text, item.before, item.after, item.memo, False,
                detail=f"{role_title(item.role)}: {item.statement}")
        for item in evidence_for(session, configuration_id=configuration_id, component_id=component_id,
                                 concept=concept, context=context)
    ]
    return leave_out_interviewer(session, segments) if exclude_interviewer else segments


def role_title(role: str) -> str:
    """'Context (C)' for C; a role outside the usual templates by its token alone."""
    name = ROLE_NAMES.get(role.upper())
    return f"{name.capitalize()} ({role})" if name else role
