"""Removing codings together with what hangs on them: their memos and the CMO evidence that
cites them. Every removal of codings goes through here, so undo brings all of it back
(a database cascade would not be journaled)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from qualcode.services.commands import Recorder
from qualcode.store.models import CmoEvidence, Coding, Memo


def delete_coding_rows(rec: Recorder, coding_ids: Collection[int]) -> None:
    if not coding_ids:
        return
    ids = list(coding_ids)
    uids = select(Coding.uid).where(Coding.id.in_(ids))
    rec.delete_where(Memo, Memo.target_type == "coding", Memo.target_uid.in_(uids))
    rec.delete_where(CmoEvidence, CmoEvidence.coding_id.in_(ids))
    rec.delete_where(Coding, Coding.id.in_(ids))
