"""Coder copies: the project handed to one coder, to be merged back later.

A coder copy is a consistent copy of the project (SQLite online backup) with the same uids,
so merging it back matches every document, case, node and coding by uid. For blind coding
the other coders' codings, evidence, interpretive memos, journals and audit trail are
removed and the file is compacted, so nothing of their work can be read from it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ProjectError, ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.services.coders import ensure_coder
from qualcode.services.commands import record_audit
from qualcode.services.teamwork.merge_files import check_project_file, scratch_files
from qualcode.store import models as m
from qualcode.store.backup import copy_database
from qualcode.store.project import PROJECT_SUFFIX, Project

# Memos that carry a coder's reading of the data; codebook and project memos stay.
_INTERPRETIVE_MEMOS = ("coding", "document", "case")


@dataclass(frozen=True)
class CoderCopy:
    path: Path
    coder: str
    blind: bool
    codings_kept: int
    codings_removed: int


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
    progress: Progress | None = None,
) -> CoderCopy:
    """Write a copy of the project at `source` for `coder_name` (added if new) to `target`.

    With `blind`, only that coder's own codings, memos, journal and screening decisions remain.
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
            removed = _remove_others_work(session, coder.id) if blind else 0
            kept = int(session.scalar(select(func.count()).select_from(m.Coding)) or 0)
            record_audit(session, "export coder copy", {"coder": coder.name, "blind": blind, "source": source.name,
                                                        "codings_removed": removed}, coder.id)
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
    return CoderCopy(path, coder.name, blind, kept, removed)
