"""Retrieval: every passage coded to a node (descendants included) with its document,
participant, coder and the words around it; and the list written to CSV.

A `Segment` is one listed passage. Most are codings; other kinds of tagged passage (CMO
evidence) are listed the same way, with no coding or node behind them and what they were
tagged as in `node_name` and `detail`."""

from __future__ import annotations

import csv
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.intervals import difference, merge, overlapping
from qualcode.io.files import atomic_output
from qualcode.services._common import collector_paused, require
from qualcode.services.codebook.nodes import descendant_ids
from qualcode.services.coding.speakers import interviewer_spans_of
from qualcode.store.models import Case, Coder, Coding, Document, Node, case_document


class Segment(NamedTuple):
    """One listed passage. A named tuple, not a dataclass: a global theme lists over ten
    thousand of them, and a tuple is made several times faster."""

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
    require(session, Node, node_id, "node")
    ids = descendant_ids(session, node_id) if include_descendants else [node_id]
    where: list[Any] = [Coding.node_id.in_(ids)]
    if coder_ids is not None:
        where.append(Coding.coder_id.in_(list(coder_ids)))
    if coding_ids is not None:
        where.append(Coding.id.in_(list(coding_ids)))
    segments = _segments(session, where, context)
    return leave_out_interviewer(session, segments) if exclude_interviewer else segments


def segments_of_codings(
    session: Session, coding_ids: Collection[int], *, context: int = 160, exclude_interviewer: bool = False
) -> list[Segment]:
    """These codings (those that exist) as listed passages, in listing order: what a listing
    that knows which of its codings a change touched reads to bring itself up to date."""
    if not coding_ids:
        return []
    segments = _segments(session, [Coding.id.in_(list(coding_ids))], context)
    return leave_out_interviewer(session, segments) if exclude_interviewer else segments


def _segments(session: Session, where: list[Any], context: int) -> list[Segment]:
    """The codings matching `where` as segments in listing order, with their context.

    Plain rows go straight into segments: no intermediate record per coding, names from the
    small node and coder tables, each document's text read once."""
    connection = session.connection()
    with collector_paused():
        rows = list(connection.execute(select(*_COLUMNS).where(*where)
                                       .order_by(Coding.document_id, Coding.start, Coding.end, Coding.id)))
        if not rows:
            return []
        doc_ids = {row[1] for row in rows}
        documents: dict[int, tuple[str, str]] = {
            id_: (name, text) for id_, name, text in connection.execute(
                select(Document.id, Document.name, Document.text).where(Document.id.in_(doc_ids)))
        }
        node_names = dict(connection.execute(select(Node.id, Node.name)).tuples().all())
        coder_names = dict(connection.execute(select(Coder.id, Coder.name)).tuples().all())
        participants = _participants(session, doc_ids)
        pages = _pages(session, rows)
        rank = {id_: index for index, id_ in enumerate(sorted(documents, key=lambda d: (documents[d][0].lower(), d)))}
        rows.sort(key=lambda row: rank[row[1]])  # stable: text order within each document stays
        segments: list[Segment] = []
        append = segments.append
        for id_, document_id, start, end, node, coder, memo, exemplar in rows:
            name, text = documents[document_id]
            append(Segment(id_, document_id, name, participants.get(document_id, ""), start, end, node,
                           node_names[node], coder, coder_names[coder], text[start:end],
                           _trim_before(text[max(start - context, 0):start], context),
                           _trim_after(text[end:end + context], context), memo, bool(exemplar),
                           pages.get((document_id, start, end), "") if pages else ""))
    return segments


_COLUMNS = (Coding.id, Coding.document_id, Coding.start, Coding.end, Coding.node_id, Coding.coder_id, Coding.memo,
            Coding.exemplar)


def listing_order(segment: Segment) -> tuple[str, int, int, int, int]:
    """Where a segment sits in a listing: documents by name, then text order."""
    return segment.document_name.lower(), segment.document_id, segment.start, segment.end, segment.coding_id or 0


def leave_out_interviewer(session: Session, segments: Sequence[Segment]) -> list[Segment]:
    """The segments without the interviewer's turns: the rest of each passage is joined with
    " … ", and a passage that is all interviewer is dropped."""
    spans = interviewer_spans_of(session, {s.document_id for s in segments})
    turns = {doc: merge((s.start, s.end) for s in found) for doc, found in spans.items()}
    kept: list[Segment] = []
    for segment in segments:
        regions = turns.get(segment.document_id)
        within = overlapping(regions, segment.start, segment.end) if regions else None
        if regions and within:
            pieces = difference([(segment.start, segment.end)], regions[within.start:within.stop])
            text = " … ".join(segment.text[a - segment.start : b - segment.start].strip() for a, b in pieces)
        else:  # most passages: no interviewer in them
            text = segment.text.strip()
        if text.strip():
            kept.append(segment if text == segment.text else segment._replace(text=text))
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
