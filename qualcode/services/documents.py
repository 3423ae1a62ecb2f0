"""Documents: add (normalised, hashed), rename, delete, and the single text-edit operation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import DocumentKind, parse_enum
from qualcode.domain.errors import ValidationError
from qualcode.domain.spans import Span, TextEdit, check_span, remap_span
from qualcode.domain.text import normalise_text, text_sha256
from qualcode.services._common import clean_name, require
from qualcode.services.coding_removal import delete_coding_rows
from qualcode.services.commands import Change, Command, Recorder, version_of
from qualcode.store.models import (
    AttributeValue,
    CmoEvidence,
    Coding,
    Document,
    DocumentPage,
    Memo,
    Turn,
    case_document,
)


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    uid: str
    name: str
    kind: str
    length: int
    text_sha256: str
    source_filename: str
    imported_at: datetime
    memo: str
    version: str = ""  # the row version read: pass it back to edit without overwriting others


@dataclass(frozen=True)
class TurnInfo:
    id: int
    document_id: int
    start: int
    end: int
    speaker: str
    timestamp: float | None


@dataclass(frozen=True)
class TurnSpec:
    """A speaker turn to store with a new document (offsets into the normalised text)."""

    start: int
    end: int
    speaker: str = ""
    timestamp: float | None = None


@dataclass(frozen=True)
class EditOutcome:
    """What the text edit did to the spans on the document."""

    shifted: int  # moved, same length
    resized: int  # trimmed to the text outside the edit, or grown around an insertion
    dropped: int  # wholly inside replaced text


def _info(doc: Document) -> DocumentInfo:
    return DocumentInfo(
        doc.id,
        doc.uid,
        doc.name,
        doc.kind,
        len(doc.text),
        doc.text_sha256,
        doc.source_filename,
        doc.imported_at,
        doc.memo,
        version_of(doc),
    )


def add_document(
    session: Session,
    *,
    name: str,
    text: str,
    kind: str = DocumentKind.INTERVIEW,
    source_filename: str = "",
    turns: Sequence[TurnSpec] = (),
    memo: str = "",
    coder_id: int | None = None,
) -> Change:
    """Add a document; its text is NFC-normalised with '\\n' line ends. Result: the new id."""
    name = clean_name(name, "document")
    kind_value = parse_enum(DocumentKind, kind, "document kind").value
    normalised = normalise_text(text)
    if not normalised.strip():
        raise ValidationError(f"'{name}' has no text.")
    if turns and normalised != text:
        raise ValidationError("Speaker turns must be computed on normalised text (see normalise_text).")
    for turn in turns:
        check_span(turn.start, turn.end, len(normalised), what="speaker turn")

    def run(rec: Recorder) -> int:
        doc_id = rec.insert(
            Document,
            name=name,
            kind=kind_value,
            text=normalised,
            text_sha256=text_sha256(normalised),
            source_filename=source_filename,
            memo=memo,
        )
        rec.insert_many(
            Turn,
            [
                {"document_id": doc_id, "start": t.start, "end": t.end, "speaker": t.speaker, "timestamp": t.timestamp}
                for t in turns
            ],
        )
        return int(doc_id)

    return Command(
        f"Add document '{name}'",
        run,
        action="add document",
        details={"name": name, "characters": len(normalised)},
        coder_id=coder_id,
    ).apply(session)


def update_document(
    session: Session,
    *,
    document_id: int,
    name: str | None = None,
    kind: str | None = None,
    memo: str | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Rename a document, change its kind or its memo. With `expected_version` (from
    DocumentInfo.version), refused with a ConflictError when someone changed it since."""
    doc = require(session, Document, document_id, "document")
    values: dict[str, str] = {}
    if name is not None:
        values["name"] = clean_name(name, "document")
    if kind is not None:
        values["kind"] = parse_enum(DocumentKind, kind, "document kind").value
    if memo is not None:
        values["memo"] = memo
    return Command(
        f"Edit document '{doc.name}'",
        lambda rec: rec.update(Document, document_id, expected_version=expected_version, **values),
        action="edit document",
        details={"document": doc.uid, **values},
        coder_id=coder_id,
    ).apply(session)


def delete_document(session: Session, *, document_id: int, coder_id: int | None = None) -> Change:
    """Delete a document with its turns, codings, evidence, case links and values."""
    doc = require(session, Document, document_id, "document")
    doc_uid = doc.uid

    def run(rec: Recorder) -> None:
        coding_ids = select(Coding.id).where(Coding.document_id == document_id)
        rec.delete_where(
            CmoEvidence, or_(CmoEvidence.document_id == document_id, CmoEvidence.coding_id.in_(coding_ids))
        )
        rec.delete_where(
            Memo,
            Memo.target_type == "coding",
            Memo.target_uid.in_(select(Coding.uid).where(Coding.document_id == document_id)),
        )
        rec.delete_where(Coding, Coding.document_id == document_id)
        rec.delete_where(Turn, Turn.document_id == document_id)
        rec.delete_where(DocumentPage, DocumentPage.document_id == document_id)
        rec.delete_where(case_document, case_document.c.document_id == document_id)
        rec.delete_where(AttributeValue, AttributeValue.document_id == document_id)
        rec.delete_where(Memo, Memo.target_type == "document", Memo.target_uid == doc_uid)
        rec.delete(Document, document_id)

    return Command(
        f"Delete document '{doc.name}'",
        run,
        action="delete document",
        details={"document": doc_uid, "name": doc.name},
        coder_id=coder_id,
    ).apply(session)


def edit_document_text(
    session: Session,
    *,
    document_id: int,
    start: int,
    end: int,
    replacement: str,
    coder_id: int | None = None,
    reason: str = "edit",
    audit_removed_text: bool = True,
) -> Change:
    """The one way a document's text changes: replace `text[start:end]`.

    Every span on the document (codings, turns, CMO evidence, PDF pages) is shifted, trimmed or
    dropped by `remap_span`, so codings keep covering the same words. Result: EditOutcome.
    `audit_removed_text=False` keeps the removed words out of the audit trail (anonymisation
    must not leave the real names in the project).
    """
    doc = require(session, Document, document_id, "document")
    text = doc.text
    if not (0 <= start <= end <= len(text)):
        raise ValidationError(f"The edit {start}-{end} lies outside the text (0-{len(text)}).")
    edit = TextEdit(start, end, normalise_text(replacement))
    new_text = edit.apply(text)
    if not new_text.strip():
        raise ValidationError("An edit cannot remove all of a document's text.")

    def run(rec: Recorder) -> EditOutcome:
        counts = {"shifted": 0, "resized": 0, "dropped": 0}

        def plan(rows: list[Any]) -> tuple[list[int], list[tuple[int, Span]]]:
            """The rows the edit drops (their words are gone, or a coding would duplicate another)
            and where the others move, in an order in which no two rows ever collide midway."""
            rows.sort(key=lambda r: (r.start, r.end), reverse=edit.delta > 0)
            dropped: list[int] = []
            moves: list[tuple[int, Span]] = []
            seen: set[tuple[int, ...]] = set()
            for row in rows:
                new = remap_span(Span(row.start, row.end), edit)
                identity = _identity(row, new)
                if new is None or (identity is not None and identity in seen):
                    dropped.append(row.id)
                    continue
                if identity is not None:
                    seen.add(identity)
                if (new.start, new.end) != (row.start, row.end):
                    counts["shifted" if len(new) == row.end - row.start else "resized"] += 1
                    moves.append((row.id, new))
            counts["dropped"] += len(dropped)
            return dropped, moves

        def move(model: type[Coding] | type[Turn] | type[CmoEvidence] | type[DocumentPage], moves: list[tuple[int, Span]]) -> None:
            for row_id, new in moves:
                rec.update(model, row_id, start=new.start, end=new.end)

        codings = list(session.execute(select(Coding.id, Coding.start, Coding.end, Coding.node_id, Coding.coder_id)
                                       .where(Coding.document_id == document_id)).all())
        dropped, moves = plan(codings)
        delete_coding_rows(rec, dropped)  # with their memos and the evidence citing them
        move(Coding, moves)
        turns = list(session.execute(select(Turn.id, Turn.start, Turn.end).where(Turn.document_id == document_id)))
        evidence = list(session.execute(select(CmoEvidence.id, CmoEvidence.start, CmoEvidence.end).where(
            CmoEvidence.document_id == document_id, CmoEvidence.start.is_not(None))))
        pages = list(session.execute(select(DocumentPage.id, DocumentPage.start, DocumentPage.end).where(
            DocumentPage.document_id == document_id)))
        for model, rows in ((Turn, turns), (CmoEvidence, evidence), (DocumentPage, pages)):
            dropped, moves = plan(rows)
            for row_id in dropped:
                rec.delete(model, row_id)
            move(model, moves)
        rec.update(Document, document_id, text=new_text, text_sha256=text_sha256(new_text))
        return EditOutcome(**counts)

    return Command(
        f"Edit text of '{doc.name}'",
        run,
        action=f"{reason} document text",
        details={
            "document": doc.uid,
            "start": start,
            "end": end,
            **({"removed": text[start:end]} if audit_removed_text else {"removed_characters": end - start}),
            "inserted": edit.replacement,
        },
        coder_id=coder_id,
    ).apply(session)


def _identity(row: object, new: Span | None) -> tuple[int, ...] | None:
    """The unique key a coding would have after the edit (None for other span kinds)."""
    if new is None or not hasattr(row, "node_id"):
        return None
    return (new.start, new.end, row.node_id, row.coder_id)  # type: ignore[attr-defined]


def get_document(session: Session, document_id: int) -> DocumentInfo:
    return _info(require(session, Document, document_id, "document"))


def document_text(session: Session, document_id: int) -> str:
    return require(session, Document, document_id, "document").text


def list_documents(session: Session) -> list[DocumentInfo]:
    docs = session.scalars(select(Document).order_by(func.lower(Document.name), Document.id))
    return [_info(doc) for doc in docs]


def document_ids(session: Session) -> list[int]:
    """Ids of every document in listing order (by name), without reading their texts."""
    return list(session.scalars(select(Document.id).order_by(func.lower(Document.name), Document.id)))


def list_turns(session: Session, document_id: int) -> list[TurnInfo]:
    rows = session.execute(select(Turn.id, Turn.document_id, Turn.start, Turn.end, Turn.speaker, Turn.timestamp)
                           .where(Turn.document_id == document_id).order_by(Turn.start))
    return [TurnInfo(*row) for row in rows]


def find_by_hash(session: Session, sha256: str) -> list[DocumentInfo]:
    """Documents whose text has this hash (for duplicate detection at import)."""
    return [_info(doc) for doc in session.scalars(select(Document).where(Document.text_sha256 == sha256))]


def page_references(session: Session, spans: Sequence[tuple[int, int, int]]) -> dict[tuple[int, int, int], str]:
    """'p. 4' / 'pp. 4–5' for each (document id, start, end) on a document imported from a PDF
    with its pages; spans on documents without pages are left out."""
    from qualcode.domain.references import pages_cited

    wanted = {document_id for document_id, _, _ in spans}
    pages: dict[int, list[tuple[str, int, int]]] = {}
    for document_id, label, start, end in session.execute(
        select(DocumentPage.document_id, DocumentPage.label, DocumentPage.start, DocumentPage.end)
        .where(DocumentPage.document_id.in_(wanted)).order_by(DocumentPage.document_id, DocumentPage.start)
    ).tuples():
        pages.setdefault(document_id, []).append((label, start, end))
    return {span: pages_cited(pages[span[0]], span[1], span[2]) for span in spans if span[0] in pages}
