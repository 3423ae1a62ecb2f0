"""Project-level facts: title, methodology notes, entity counts, the audit trail."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.services.commands import Change, Command, version_of
from qualcode.store import models as m


@dataclass(frozen=True)
class ProjectSummary:
    title: str
    methodology: str
    created_at: datetime
    counts: dict[str, int]
    version: str = ""  # of the title and methodology notes as read: pass it back to edit them


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    coder_id: int | None
    action: str
    details: dict[str, Any]


_COUNTED = {
    "coders": m.Coder,
    "documents": m.Document,
    "turns": m.Turn,
    "cases": m.Case,
    "attributes": m.Attribute,
    "nodes": m.Node,
    "codings": m.Coding,
    "cmo_configurations": m.CmoConfiguration,
    "cmo_evidence": m.CmoEvidence,
    "references": m.Reference,
    "screening_decisions": m.ScreeningDecision,
    "memos": m.Memo,
    "journal_entries": m.JournalEntry,
    "audit_events": m.AuditEvent,
}


def project_title(session: Session) -> str:
    """The project's title, without counting anything (what a window title needs)."""
    return session.scalar(select(m.ProjectInfo.title).order_by(m.ProjectInfo.id).limit(1)) or ""


def summary(session: Session) -> ProjectSummary:
    info = session.scalars(select(m.ProjectInfo).order_by(m.ProjectInfo.id)).first()
    counts = {
        name: int(session.scalar(select(func.count()).select_from(model)) or 0) for name, model in _COUNTED.items()
    }
    return ProjectSummary(
        info.title if info else "", info.methodology if info else "", info.created_at if info else datetime.min, counts,
        version_of(info) if info else "",
    )


def update_project_info(
    session: Session, *, title: str | None = None, methodology: str | None = None, coder_id: int | None = None,
    expected_version: str | None = None,
) -> Change:
    """Change the project's title or methodology notes; with `expected_version`
    (ProjectSummary.version), refused with a ConflictError when someone changed them since."""
    info_id = session.scalar(select(m.ProjectInfo.id).order_by(m.ProjectInfo.id))
    values = {k: v for k, v in (("title", title), ("methodology", methodology)) if v is not None}
    return Command(
        "Edit project details",
        lambda rec: rec.update(m.ProjectInfo, info_id, expected_version=expected_version, **values),
        action="edit project",
        details=values,
        coder_id=coder_id,
    ).apply(session)


def audit_trail(session: Session, *, limit: int = 200) -> list[AuditEntry]:
    """The newest audit events first."""
    rows = session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id.desc()).limit(limit))
    return [AuditEntry(e.id, e.at, e.coder_id, e.action, json.loads(e.details)) for e in rows]
