"""What the transcript viewer reads: a document's codings as light rows (no text, no joins;
node and coder names come from the viewer's own lists), and just the codings a change touched."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store.models import Coding


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


def document_codings(session: Session, document_id: int) -> list[SpanCoding]:
    """Every coding on a document, in text order."""
    rows = session.execute(select(*_COLUMNS).where(Coding.document_id == document_id)
                           .order_by(Coding.start, Coding.end, Coding.id)).tuples()
    return [SpanCoding(*row[:7], bool(row[7])) for row in rows]


def span_coding(row: Mapping[str, Any]) -> SpanCoding:
    """A coding as the viewer shows it, from a coding row's image (a change's `row_changes`)."""
    return SpanCoding(int(row["id"]), int(row["document_id"]), int(row["start"]), int(row["end"]),
                      int(row["node_id"]), int(row["coder_id"]), row["memo"] or "", bool(row["exemplar"]))


def codings_by_id(session: Session, coding_ids: Collection[int]) -> list[SpanCoding]:
    """The codings with these ids that still exist (after an apply, undo or redo)."""
    if not coding_ids:
        return []
    rows = session.execute(select(*_COLUMNS).where(Coding.id.in_(list(coding_ids)))).tuples()
    return [SpanCoding(*row[:7], bool(row[7])) for row in rows]
