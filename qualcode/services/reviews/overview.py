"""One row per study record for the References panel: bibliographic fields, screening status
(or, for a blind screener, only their own decisions), the stage a decision now applies to,
and the attached full text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.references import ScreeningStage
from qualcode.services.reviews.references import list_references
from qualcode.services.reviews.screening import Outcome, decisions, outcomes, screening_status
from qualcode.store.models import Document, case_document


@dataclass(frozen=True)
class ReferenceRow:
    reference_id: int
    study: str
    year: int | None
    authors: str
    title: str
    source: str
    database: str
    status: str
    stage: ScreeningStage | None  # where the next decision goes; None when both stages are settled
    document_id: int | None  # the attached full text, if any
    doi: str = ""
    abstract: str = ""


def reference_rows(session: Session, *, coder_id: int | None = None, blind: bool = False) -> list[ReferenceRow]:
    """Study records in author–year order. `blind` shows `coder_id`'s own decisions only."""
    first = outcomes(session, stage=ScreeningStage.TITLE_ABSTRACT)
    status = screening_status(session, title_abstract=first)
    mine: dict[tuple[int, ScreeningStage], str] = {}
    if blind and coder_id is not None:
        for item in decisions(session, coder_id=coder_id):
            mine[(item.reference_id, item.stage)] = item.decision.value + (f" ({item.reason})" if item.reason else "")
    pdfs = dict(session.execute(select(case_document.c.case_id, Document.id)
                                .join(Document, Document.id == case_document.c.document_id)
                                .where(Document.kind == "literature").order_by(Document.id)).tuples().all())
    rows = []
    for info in list_references(session):
        if info.case_id is None:
            continue
        passed = first.get(info.id)
        stage: ScreeningStage | None = ScreeningStage.TITLE_ABSTRACT
        if passed is not None and passed.outcome is Outcome.INCLUDED:
            stage = ScreeningStage.FULL_TEXT
        elif passed is not None and passed.outcome is Outcome.EXCLUDED:
            stage = None
        if blind:
            own_ta = mine.get((info.id, ScreeningStage.TITLE_ABSTRACT))
            own_ft = mine.get((info.id, ScreeningStage.FULL_TEXT))
            shown = (f"full text: you {own_ft}" if own_ft else f"title/abstract: you {own_ta}" if own_ta
                     else "not screened by you")
        else:
            shown = status.get(info.id, "")
        rows.append(ReferenceRow(info.id, info.case_name, info.record.year, "; ".join(info.record.authors),
                                 info.record.title, info.record.source, info.database, shown, stage,
                                 pdfs.get(info.case_id), info.record.doi, info.record.abstract))
    return rows
