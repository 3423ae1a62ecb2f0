"""Memos on any entity, and each coder's dated reflexive journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.enums import MemoTarget, parse_enum
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, version_of
from qualcode.store.models import Coder, JournalEntry, Memo, utcnow


@dataclass(frozen=True)
class MemoInfo:
    id: int
    uid: str
    target_type: str
    target_uid: str
    title: str
    text: str
    coder_id: int | None
    created_at: datetime
    updated_at: datetime
    version: str = ""  # the row version read: pass it back to edit without overwriting others


@dataclass(frozen=True)
class JournalEntryInfo:
    id: int
    uid: str
    coder_id: int
    created_at: datetime
    title: str
    text: str


def add_memo(
    session: Session, *, target_type: str, target_uid: str = "", title: str = "", text: str, coder_id: int | None = None
) -> Change:
    """Write a memo on a project, document, case, node, coding or configuration. Result: id."""
    kind = parse_enum(MemoTarget, target_type, "memo target").value
    return Command(
        "Add memo",
        lambda rec: int(
            rec.insert(Memo, target_type=kind, target_uid=target_uid, title=title, text=text, coder_id=coder_id)
        ),
        action="add memo",
        details={"target_type": kind, "target_uid": target_uid},
        coder_id=coder_id,
    ).apply(session)


def update_memo(
    session: Session, *, memo_id: int, title: str | None = None, text: str | None = None, coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Edit a memo's title or text. With `expected_version` (from MemoInfo.version), refused
    with a ConflictError when someone changed the memo since it was read."""
    memo = require(session, Memo, memo_id, "memo")
    values: dict[str, object] = {"updated_at": utcnow()}
    if title is not None:
        values["title"] = title
    if text is not None:
        values["text"] = text
    return Command(
        "Edit memo",
        lambda rec: rec.update(Memo, memo_id, expected_version=expected_version, **values),
        action="edit memo",
        details={"memo": memo.uid},
        coder_id=coder_id,
    ).apply(session)


def delete_memo(session: Session, *, memo_id: int, coder_id: int | None = None) -> Change:
    memo = require(session, Memo, memo_id, "memo")
    return Command(
        "Delete memo",
        lambda rec: rec.delete(Memo, memo_id),
        action="delete memo",
        details={"memo": memo.uid, "title": memo.title},
        coder_id=coder_id,
    ).apply(session)


def memos_for(session: Session, *, target_type: str, target_uid: str = "") -> list[MemoInfo]:
    kind = parse_enum(MemoTarget, target_type, "memo target").value
    rows = session.scalars(
        select(Memo).where(Memo.target_type == kind, Memo.target_uid == target_uid).order_by(Memo.created_at, Memo.id)
    )
    return [
        MemoInfo(m.id, m.uid, m.target_type, m.target_uid, m.title, m.text, m.coder_id, m.created_at, m.updated_at,
                 version_of(m))
        for m in rows
    ]


def add_journal_entry(session: Session, *, coder_id: int, text: str, title: str = "") -> Change:
    """A dated entry in the coder's reflexive journal. Result: the new id."""
    require(session, Coder, coder_id, "coder")
    return Command(
        "Add journal entry",
        lambda rec: int(rec.insert(JournalEntry, coder_id=coder_id, title=title, text=text)),
        action="add journal entry",
        details={"title": title},
        coder_id=coder_id,
    ).apply(session)


def update_journal_entry(
    session: Session, *, entry_id: int, title: str | None = None, text: str | None = None, coder_id: int | None = None
) -> Change:
    entry = require(session, JournalEntry, entry_id, "journal entry")
    values = {k: v for k, v in (("title", title), ("text", text)) if v is not None}
    return Command(
        "Edit journal entry",
        lambda rec: rec.update(JournalEntry, entry_id, **values),
        action="edit journal entry",
        details={"entry": entry.uid},
        coder_id=coder_id,
    ).apply(session)


def delete_journal_entry(session: Session, *, entry_id: int, coder_id: int | None = None) -> Change:
    entry = require(session, JournalEntry, entry_id, "journal entry")
    return Command(
        "Delete journal entry",
        lambda rec: rec.delete(JournalEntry, entry_id),
        action="delete journal entry",
        details={"entry": entry.uid},
        coder_id=coder_id,
    ).apply(session)


def journal(session: Session, *, coder_id: int | None = None) -> list[JournalEntryInfo]:
    """Journal entries, oldest first; one coder's when `coder_id` is given."""
    query = select(JournalEntry).order_by(JournalEntry.created_at, JournalEntry.id)
    if coder_id is not None:
        query = query.where(JournalEntry.coder_id == coder_id)
    return [JournalEntryInfo(e.id, e.uid, e.coder_id, e.created_at, e.title, e.text) for e in session.scalars(query)]
