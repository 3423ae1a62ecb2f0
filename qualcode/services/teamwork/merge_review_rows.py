"""The literature-review part of a merge snapshot: reference records, screening decisions,
the team's exclusion reasons and hand-kept PRISMA counts, keyed by uid (reasons by stage and
text, counts by key)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.store import models as m

# Reference columns copied as they are (besides uid, case and duplicate links).
REFERENCE_FIELDS = ("duplicate_reason", "database", "source_file", "type", "authors", "year", "title", "source",
                    "volume", "issue", "pages", "doi", "url", "abstract", "citation_key", "imported_at")


@dataclass(slots=True)
class ReferenceRow:
    uid: str
    case_uid: str | None
    duplicate_of_uid: str | None
    values: dict[str, Any]  # REFERENCE_FIELDS

    @property
    def label(self) -> str:
        return str(self.values["title"])[:60]


@dataclass(slots=True)
class DecisionRow:
    uid: str
    reference_uid: str
    stage: str
    decision: str
    reason: str
    coder_uid: str
    final: bool
    created_at: datetime

    @property
    def key(self) -> tuple[str, str, str, bool]:
        return (self.reference_uid, self.stage, self.coder_uid, self.final)


@dataclass
class ReviewRows:
    references: dict[str, ReferenceRow] = field(default_factory=dict)
    decisions: dict[str, DecisionRow] = field(default_factory=dict)
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (stage, text) in list order
    counts: dict[str, int] = field(default_factory=dict)


def read_review_rows(session: Session, case_uid: dict[int, str], coder_uid: dict[int, str]) -> ReviewRows:
    reference_uid = dict(session.execute(select(m.Reference.id, m.Reference.uid)).tuples().all())
    references = {
        r.uid: ReferenceRow(r.uid, case_uid.get(r.case_id) if r.case_id is not None else None,
                            reference_uid.get(r.duplicate_of_id) if r.duplicate_of_id is not None else None,
                            {name: getattr(r, name) for name in REFERENCE_FIELDS})
        for r in session.scalars(select(m.Reference).order_by(m.Reference.id))}
    decisions = {
        d.uid: DecisionRow(d.uid, reference_uid[d.reference_id], d.stage, d.decision, d.reason, coder_uid[d.coder_id],
                           d.final, d.created_at)
        for d in session.scalars(select(m.ScreeningDecision).order_by(m.ScreeningDecision.id))}
    reasons = [(stage, text) for stage, text in session.execute(
        select(m.ScreeningReason.stage, m.ScreeningReason.text)
        .order_by(m.ScreeningReason.stage, m.ScreeningReason.position, m.ScreeningReason.id)).tuples()]
    counts = dict(session.execute(select(m.PrismaCount.key, m.PrismaCount.value)).tuples().all())
    return ReviewRows(references, decisions, reasons, counts)
