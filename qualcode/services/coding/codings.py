"""Codings: a span of a document coded to a node by a coder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.spans import check_span
from qualcode.services._common import collector_paused, require
from qualcode.services.codebook.nodes import descendant_ids
from qualcode.services.coding_removal import delete_coding_rows
from qualcode.services.commands import Change, Command, Recorder, version_of
from qualcode.store.models import Coder, Coding, Document, Node, as_datetime


@dataclass(frozen=True)
class CodingInfo:
    id: int
    uid: str
    document_id: int
    document_name: str
    start: int
    end: int
    node_id: int
    node_name: str
    coder_id: int
    coder_name: str
    text: str
    memo: str
    exemplar: bool
    created_at: datetime


@dataclass(frozen=True)
class CodingSpec:
    """A coding to make in bulk (auto-coding at import, coding all search hits)."""

    document_id: int
    start: int
    end: int
    node_id: int


def _duplicate_message(session: Session, node_id: int, coder_id: int) -> str:
    node = session.get(Node, node_id)
    coder = session.get(Coder, coder_id)
    return (
        f"This passage is already coded to '{node.name if node else node_id}' by {coder.name if coder else coder_id}."
    )


def _exists(session: Session, document_id: int, start: int, end: int, node_id: int, coder_id: int) -> bool:
    return (
        session.scalar(
            select(Coding.id).where(
                Coding.document_id == document_id,
                Coding.start == start,
                Coding.end == end,
                Coding.node_id == node_id,
                Coding.coder_id == coder_id,
            )
        )
        is not None
    )


def apply_code(
    session: Session,
    *,
    document_id: int,
    start: int,
    end: int,
    node_id: int,
    coder_id: int,
    memo: str = "",
    exemplar: bool = False,
) -> Change:
    """Code `text[start:end]` of a document to a node. Result: the new coding id."""
    doc_length = session.scalar(select(func.length(Document.text)).where(Document.id == document_id))
    if doc_length is None:
        require(session, Document, document_id, "document")
    node = require(session, Node, node_id, "node")
    require(session, Coder, coder_id, "coder")
    check_span(start, end, int(doc_length or 0), what="passage")
    if _exists(session, document_id, start, end, node_id, coder_id):
        raise ValidationError(_duplicate_message(session, node_id, coder_id))

    def run(rec: Recorder) -> int:
        return int(
            rec.insert(
                Coding,
                document_id=document_id,
                start=start,
                end=end,
                node_id=node_id,
                coder_id=coder_id,
                memo=memo,
                exemplar=exemplar,
            )
        )

    return Command(
        f"Code passage to '{node.name}'",
        run,
        action="code",
        details={"document_id": document_id, "start": start, "end": end, "node": node.uid},
        coder_id=coder_id,
    ).apply(session)


def apply_codes(
    session: Session, *, specs: Sequence[CodingSpec], coder_id: int, title: str = "Code passages"
) -> Change:
    """Code many spans in one undoable step; spans already coded are skipped. Result: count added."""
    require(session, Coder, coder_id, "coder")
    lengths = dict(
        session.execute(
            select(Document.id, func.length(Document.text)).where(Document.id.in_({s.document_id for s in specs}))
        )
        .tuples()
        .all()
    )
    for node_id in {s.node_id for s in specs}:
        require(session, Node, node_id, "node")
    # What this coder already has on these documents, read once rather than once per span.
    seen: set[tuple[int, int, int, int]] = set(
        session.execute(
            select(Coding.document_id, Coding.start, Coding.end, Coding.node_id).where(
                Coding.coder_id == coder_id, Coding.document_id.in_(lengths)
            )
        ).tuples()
    )
    rows = []
    for spec in specs:
        if spec.document_id not in lengths:
            require(session, Document, spec.document_id, "document")
        check_span(spec.start, spec.end, lengths[spec.document_id], what="passage")
        key = (spec.document_id, spec.start, spec.end, spec.node_id)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "document_id": spec.document_id,
                "start": spec.start,
                "end": spec.end,
                "node_id": spec.node_id,
                "coder_id": coder_id,
            }
        )

    def run(rec: Recorder) -> int:
        rec.insert_many(Coding, rows)
        return len(rows)

    return Command(title, run, action="code many", details={"count": len(rows)}, coder_id=coder_id).apply(session)


def uncode(session: Session, *, coding_id: int, coder_id: int | None = None) -> Change:
    """Remove a coding (with its memo and any CMO evidence that points at it)."""
    coding = require(session, Coding, coding_id, "coding")
    node = session.get(Node, coding.node_id)
    return Command(
        f"Uncode passage from '{node.name if node else ''}'",
        lambda rec: delete_coding_rows(rec, [coding_id]),
        action="uncode",
        details={"coding": coding.uid},
        coder_id=coder_id,
    ).apply(session)


def update_coding(
    session: Session,
    *,
    coding_id: int,
    start: int | None = None,
    end: int | None = None,
    memo: str | None = None,
    exemplar: bool | None = None,
    coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Adjust a coding's boundaries, set its memo, or mark it as an exemplar quote. With
    `expected_version` (from `coding_version`), refused with a ConflictError when someone
    changed the coding since."""
    coding = require(session, Coding, coding_id, "coding")
    values: dict[str, object] = {}
    if start is not None or end is not None:
        new_start = coding.start if start is None else start
        new_end = coding.end if end is None else end
        length = session.scalar(select(func.length(Document.text)).where(Document.id == coding.document_id))
        check_span(new_start, new_end, int(length or 0), what="passage")
        if (new_start, new_end) != (coding.start, coding.end) and _exists(
            session, coding.document_id, new_start, new_end, coding.node_id, coding.coder_id
        ):
            raise ValidationError(_duplicate_message(session, coding.node_id, coding.coder_id))
        values |= {"start": new_start, "end": new_end}
    if memo is not None:
        values["memo"] = memo
    if exemplar is not None:
        values["exemplar"] = exemplar
        if exemplar and not coding.exemplar:  # a new exemplar is quoted after the ones already ordered
            values["exemplar_position"] = int(session.scalar(
                select(func.coalesce(func.max(Coding.exemplar_position) + 1, 0)).where(Coding.exemplar)) or 0)
    title = (
        "Resize coding"
        if "start" in values
        else "Mark exemplar quote"
        if values.get("exemplar")
        else "Edit coding memo"
        if "memo" in values
        else "Edit coding"
    )
    return Command(
        title,
        lambda rec: rec.update(Coding, coding_id, expected_version=expected_version, **values),
        action="edit coding",
        details={"coding": coding.uid, **values},
        coder_id=coder_id,
    ).apply(session)


def coding_version(session: Session, coding_id: int) -> str:
    """The coding's row version as read now: pass it back to edit without overwriting others."""
    return version_of(require(session, Coding, coding_id, "coding"))


_COLUMNS = (
    Coding.id, Coding.uid, Coding.document_id, Coding.start, Coding.end, Coding.node_id, Coding.coder_id,
    Coding.memo, Coding.exemplar,
    # Read as text and parsed below: much faster than the generic DateTime processor.
    type_coerce(Coding.created_at, String),
)


def _listing(where: Iterable[Any]) -> Select[Any]:
    return select(*_COLUMNS).where(*where)


def _rows(session: Session, query: Select[Any]) -> list[CodingInfo]:
    return _rows_and_texts(session, query)[0]


def _rows_and_texts(session: Session, query: Select[Any]) -> tuple[list[CodingInfo], dict[int, str]]:
    """Coding rows with their text, in document-name then text order, and the documents' texts.

    Names come from the small node and coder tables and each document's text is read once,
    not once per row: listing a global theme's ~10,000 codings stays well under 100 ms.
    """
    with collector_paused():  # thousands of rows and records, none of them cyclic
        connection = session.connection()
        rows = list(connection.execute(query.order_by(Coding.document_id, Coding.start, Coding.end, Coding.id)))
        doc_ids = {row[2] for row in rows}
        documents: dict[int, tuple[str, str]] = {
            id_: (name, text)
            for id_, name, text in connection.execute(
                select(Document.id, Document.name, Document.text).where(Document.id.in_(doc_ids))
            )
        } if doc_ids else {}
        node_names = dict(connection.execute(select(Node.id, Node.name)).tuples().all())
        coder_names = dict(connection.execute(select(Coder.id, Coder.name)).tuples().all())
        rank = {id_: index for index, id_ in enumerate(sorted(documents, key=lambda d: (documents[d][0].lower(), d)))}
        rows.sort(key=lambda row: rank[row[2]])  # stable: text order within each document stays
        listed = [
            CodingInfo(
                id=row[0], uid=row[1], document_id=row[2], document_name=documents[row[2]][0], start=row[3], end=row[4],
                node_id=row[5], node_name=node_names[row[5]], coder_id=row[6], coder_name=coder_names[row[6]],
                text=documents[row[2]][1][row[3] : row[4]], memo=row[7], exemplar=bool(row[8]),
                created_at=as_datetime(row[9]),
            )
            for row in rows
        ]
    return listed, {id_: text for id_, (_name, text) in documents.items()}


def codings_of_node(
    session: Session,
    node_id: int,
    *,
    include_descendants: bool = True,
    coder_ids: Sequence[int] | None = None,
) -> list[CodingInfo]:
    """Codings of a node (and, by default, of every node below it), with their text."""
    return codings_of_node_with_texts(
        session, node_id, include_descendants=include_descendants, coder_ids=coder_ids
    )[0]


def codings_of_node_with_texts(
    session: Session,
    node_id: int,
    *,
    include_descendants: bool = True,
    coder_ids: Sequence[int] | None = None,
    coding_ids: Sequence[int] | None = None,
) -> tuple[list[CodingInfo], dict[int, str]]:
    """`codings_of_node`, plus the full text of each document they are on (for context).
    With `coding_ids`, only those of the node's codings (e.g. the ones a change touched)."""
    require(session, Node, node_id, "node")
    ids = descendant_ids(session, node_id) if include_descendants else [node_id]
    where: list[object] = [Coding.node_id.in_(ids)]
    if coder_ids is not None:
        where.append(Coding.coder_id.in_(coder_ids))
    if coding_ids is not None:
        where.append(Coding.id.in_(coding_ids))
    return _rows_and_texts(session, _listing(where))


def codings_of_document(
    session: Session, document_id: int, *, coder_ids: Sequence[int] | None = None
) -> list[CodingInfo]:
    """Codings on a document in text order, with their text."""
    require(session, Document, document_id, "document")
    where: list[object] = [Coding.document_id == document_id]
    if coder_ids is not None:
        where.append(Coding.coder_id.in_(coder_ids))
    return _rows(session, _listing(where))


def get_coding(session: Session, coding_id: int) -> CodingInfo:
    require(session, Coding, coding_id, "coding")
    return _rows(session, _listing([Coding.id == coding_id]))[0]
