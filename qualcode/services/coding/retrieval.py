"""Retrieval: every passage coded to a node (descendants included) with its document,
participant, coder and the words around it; and the list written to CSV.

A `Segment` is one listed passage. Most are codings; other kinds of tagged passage (CMO
evidence) are listed the same way, with no coding or node behind them and what they were
tagged as in `node_name` and `detail`."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.intervals import difference, merge, overlapping
from qualcode.io.files import atomic_output
from qualcode.services._common import collector_paused
from qualcode.services.coding.codings import codings_of_node_with_texts
from qualcode.services.coding.speakers import interviewer_spans
from qualcode.store.models import Case, case_document


@dataclass(frozen=True)
class Segment:
    coding_id: int | None  # None: a tagged passage that is not a coding
    document_id: int
    document_name: str
    participants: str  # case names of the document, e.g. "P3" or "P3, Site 2"
    start: int
    end: int
    node_id: int | None
    node_name: str  # the node, or what the passage was tagged as (e.g. "CMOC 3 · C")
    coder_id: int
    coder_name: str
    text: str
    before: str  # context preceding the passage
    after: str  # context following it
    memo: str
    exemplar: bool
    detail: str = ""  # e.g. the CMO statement the passage is evidence for, or a paper's page ("p. 4")


def retrieve_segments(
    session: Session,
    *,
    node_id: int,
    include_descendants: bool = True,
    coder_ids: Sequence[int] | None = None,
    context: int = 160,
    exclude_interviewer: bool = False,
    coding_ids: Sequence[int] | None = None,
) -> list[Segment]:
    """Codings of a node in document order, each with up to `context` characters either side.

    With `exclude_interviewer`, the interviewer's turns (marked at import) are left out of each
    passage: the rest is joined with " … ", and a passage that is all interviewer is dropped.
    With `coding_ids`, only those codings, where they belong to the node: what a listing needs
    to bring itself up to date after a change to a few codings.
    """
    listed, texts = codings_of_node_with_texts(
        session, node_id, include_descendants=include_descendants, coder_ids=coder_ids, coding_ids=coding_ids
    )
    participants = _participants(session, set(texts))
    pages = _pages(session, listed)
    with collector_paused():
        segments = [
            Segment(c.id, c.document_id, c.document_name, participants.get(c.document_id, ""), c.start, c.end,
                    c.node_id, c.node_name, c.coder_id, c.coder_name, c.text,
                    *context_around(texts[c.document_id], c.start, c.end, context), c.memo, c.exemplar,
                    pages.get((c.document_id, c.start, c.end), ""))
            for c in listed
        ]
    return leave_out_interviewer(session, segments) if exclude_interviewer else segments


def listing_order(segment: Segment) -> tuple[str, int, int, int, int]:
    """Where a segment sits in a listing: documents by name, then text order."""
    return segment.document_name.lower(), segment.document_id, segment.start, segment.end, segment.coding_id or 0


def leave_out_interviewer(session: Session, segments: Sequence[Segment]) -> list[Segment]:
    """The segments without the interviewer's turns: the rest of each passage is joined with
    " … ", and a passage that is all interviewer is dropped."""
    turns = {doc: merge((s.start, s.end) for s in interviewer_spans(session, doc))  # once a document
             for doc in {s.document_id for s in segments}}
    kept: list[Segment] = []
    for segment in segments:
        regions = turns[segment.document_id]
        within = overlapping(regions, segment.start, segment.end)
        if within:
            pieces = difference([(segment.start, segment.end)], regions[within.start:within.stop])
            text = " … ".join(segment.text[a - segment.start : b - segment.start].strip() for a, b in pieces)
        else:  # most passages: no interviewer in them
            text = segment.text.strip()
        if text.strip():
            kept.append(segment if text == segment.text else replace(segment, text=text))
    return kept


def _pages(session: Session, listed: Sequence[Any]) -> dict[tuple[int, int, int], str]:
    """'p. 4' for codings on documents imported from a PDF with its pages (none for transcripts)."""
    from qualcode.services.documents import page_references
    from qualcode.store.models import DocumentPage

    paged = set(session.scalars(select(DocumentPage.document_id).distinct()))
    if not paged:
        return {}
    return page_references(session, [(c.document_id, c.start, c.end) for c in listed if c.document_id in paged])


def _participants(session: Session, document_ids: set[int]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    query = (select(case_document.c.document_id, Case.name).join(Case, Case.id == case_document.c.case_id)
             .where(case_document.c.document_id.in_(document_ids)).order_by(func.lower(Case.name)))
    for document_id, name in session.execute(query).tuples():
        names.setdefault(document_id, []).append(name)
    return {document_id: ", ".join(values) for document_id, values in names.items()}


def context_around(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """Up to `width` characters either side of `text[start:end]`, within its paragraph and
    cut at whole words: what a reader needs to see the passage in context."""
    return _trim_before(text[max(start - width, 0):start], width), _trim_after(text[end:end + width], width)


def _trim_before(text: str, context: int) -> str:
    """Context before a passage: within its paragraph, starting at a whole word."""
    if "\n" in text:
        return text[text.rindex("\n") + 1:]
    if len(text) >= context and " " in text:
        return text[text.index(" ") + 1:]
    return text


def _trim_after(text: str, context: int) -> str:
    """Context after a passage: within its paragraph, ending at a whole word."""
    if "\n" in text:
        return text[:text.index("\n")]
    if len(text) >= context and " " in text:
        return text[:text.rindex(" ")]
    return text


CSV_HEADER = ("Document", "Participant", "Node", "Coder", "Start", "End", "Passage", "Context before",
              "Context after", "Memo", "Exemplar", "Detail")


def export_segments_csv(segments: Sequence[Segment], path: str | Path) -> Path:
    """Write the segments as a UTF-8 CSV (Excel-friendly BOM); the file appears whole or not at all."""
    with atomic_output(path) as temp, temp.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_HEADER)
        for s in segments:
            writer.writerow((s.document_name, s.participants, s.node_name, s.coder_name, s.start, s.end,
                             s.text, s.before, s.after, s.memo, "yes" if s.exemplar else "", s.detail))
    return Path(path).expanduser().absolute()
