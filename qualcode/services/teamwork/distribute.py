"""Coder copies: the project handed to one coder, to be merged back later.

A coder copy is a consistent copy of the project (SQLite online backup) with the same uids,
so merging it back matches every document, case, node and coding by uid. For blind coding
the other coders' codings, evidence, interpretive memos, journals and audit trail are
removed and the file is compacted, so nothing of their work can be read from it.

A copy may be made for some documents only (`documents`): the assignment is recorded in the
copy's audit trail, travels back with the merge, and inter-coder agreement then counts the
other documents as missing for that coder rather than as "not coded" (RECORDED_ACTION).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ProjectError, ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.services.coders import ensure_coder
from qualcode.services.commands import record_audit
from qualcode.services.teamwork.merge_files import check_project_file, scratch_files
from qualcode.store import models as m
from qualcode.store.backup import copy_database
from qualcode.store.project import PROJECT_SUFFIX, Project

RECORDED_ACTION = "export coder copy"

# Memos that carry a coder's reading of the data; codebook and project memos stay.
_INTERPRETIVE_MEMOS = ("coding", "document", "case")


@dataclass(frozen=True)
class CoderCopy:
    path: Path
    coder: str
    blind: bool
    codings_kept: int
    codings_removed: int
    assigned_documents: int | None = None  # None: every document


def _target_path(target: Path) -> Path:
    path = Path(target).expanduser().absolute()
    if path.suffix != PROJECT_SUFFIX:
        path = path.with_name(path.name + PROJECT_SUFFIX)
    if path.exists():
        raise ValidationError(f"'{path}' already exists: choose a new file for the coder copy.")
    if not path.parent.is_dir():
        raise ProjectError(f"Cannot write '{path.name}': the folder {path.parent} does not exist.")
    return path


def _remove_others_work(session: Session, coder_id: int) -> int:
    others_codings = select(m.Coding.id).where(m.Coding.coder_id != coder_id)
    removed = int(session.scalar(select(func.count()).select_from(m.Coding).where(m.Coding.coder_id != coder_id)) or 0)
    session.execute(delete(m.Memo).where(m.Memo.target_type == "coding", m.Memo.target_uid.in_(
        select(m.Coding.uid).where(m.Coding.coder_id != coder_id))))
    session.execute(delete(m.CmoEvidence).where(or_(m.CmoEvidence.coder_id != coder_id,
                                                    m.CmoEvidence.coding_id.in_(others_codings))))
    session.execute(delete(m.Coding).where(m.Coding.coder_id != coder_id))
    session.execute(delete(m.Memo).where(m.Memo.coder_id.is_not(None), m.Memo.coder_id != coder_id,
                                         m.Memo.target_type.in_(_INTERPRETIVE_MEMOS)))
    session.execute(delete(m.JournalEntry).where(m.JournalEntry.coder_id != coder_id))
    # Blind double screening: the others' include/exclude decisions stay out of sight too.
    session.execute(delete(m.ScreeningDecision).where(m.ScreeningDecision.coder_id != coder_id))
    session.execute(delete(m.AuditEvent).where(m.AuditEvent.coder_id.is_not(None), m.AuditEvent.coder_id != coder_id))
    return removed


def export_coder_copy(
    source: Path,
    target: Path,
    *,
    coder_name: str,
    blind: bool = False,
    documents: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> CoderCopy:
    """Write a copy of the project at `source` for `coder_name` (added if new) to `target`.

    With `blind`, only that coder's own codings, memos, journal and screening decisions remain.
    `documents`: the ids of the documents the coder is assigned (recorded for agreement; None:
    all of them).
    """
    progress = progress or NullProgress()
    source = check_project_file(source, role="source")
    path = _target_path(target)
    if not " ".join(coder_name.split()):
        raise ValidationError("A coder copy is made for a named coder: give the coder's name.")
    scratch = path.with_name(path.name + ".part")
    try:
        progress.update(0, 3, f"Copying {source.name}")
        copy_database(source, scratch)
        check_cancelled(progress)
        progress.update(1, 3, f"Preparing the copy for {coder_name}")
        with Project.open(scratch, backup=False) as project, project.session() as session:
            coder = ensure_coder(session, coder_name)
            assigned = _assigned_uids(session, documents)
            removed = _remove_others_work(session, coder.id) if blind else 0
            kept = int(session.scalar(select(func.count()).select_from(m.Coding)) or 0)
            details: dict[str, object] = {"coder": coder.name, "blind": blind, "source": source.name,
                                          "codings_removed": removed}
            if assigned is not None:
                details["assigned_documents"] = assigned
            record_audit(session, RECORDED_ACTION, details, coder.id)
            check_cancelled(progress)
        if blind:
            progress.update(2, 3, "Compacting the copy")
            with closing(sqlite3.connect(scratch, isolation_level=None)) as connection:
                connection.execute("VACUUM")
        scratch.replace(path)
    finally:
        for leftover in scratch_files(scratch):
            leftover.unlink(missing_ok=True)
    progress.update(3, 3, f"Wrote {path.name}")
    return CoderCopy(path, coder.name, blind, kept, removed, None if assigned is None else len(assigned))


def _assigned_uids(session: Session, documents: Sequence[int] | None) -> list[str] | None:
    if documents is None:
        return None
    if not documents:
        raise ValidationError("Assign the coder at least one document.")
    uids = dict(session.execute(select(m.Document.id, m.Document.uid).where(m.Document.id.in_(documents))).tuples().all())
    missing = set(documents) - set(uids)
    if missing:
        raise NotFoundError(f"There is no document with id {min(missing)} in this project.")
    return sorted(uids[d] for d in set(documents))


def recorded_assignments(session: Session, coder_ids: Sequence[int]) -> dict[int, set[int]]:
    """The documents each coder was assigned when their copy was made (the latest copy counts;
    a copy made for every document lifts an earlier assignment). Coders without a record are
    left out: they were assigned every document."""
    import json

    wanted = set(coder_ids)
    latest: dict[int, list[str] | None] = {}
    events = session.execute(select(m.AuditEvent.coder_id, m.AuditEvent.details)
                             .where(m.AuditEvent.action == RECORDED_ACTION)
                             .order_by(m.AuditEvent.at, m.AuditEvent.id)).tuples()
    for coder_id, details in events:
        if coder_id not in wanted:
            continue
        try:
            recorded = json.loads(details or "{}").get("assigned_documents")
        except (ValueError, AttributeError):
            continue
        latest[coder_id] = [str(uid) for uid in recorded] if isinstance(recorded, list) else None
    ids = dict(session.execute(select(m.Document.uid, m.Document.id)).tuples().all())
    return {coder_id: {ids[uid] for uid in uids if uid in ids}
            for coder_id, uids in latest.items() if uids is not None}
