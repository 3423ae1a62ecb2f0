"""Queries on the full-text index of document text (`document_fts`, SQLite FTS5).

The index is created by migration 0003 and kept in sync by triggers on `document`; it is
not part of `Base.metadata`. Match positions come from FTS5's own `highlight()`, so the
offsets of a hit follow exactly the tokeniser that found it (case folding, diacritics,
any script), converted to code-point offsets into `Document.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

FTS_TABLE = "document_fts"
FTS_TRIGGERS = ("document_fts_after_insert", "document_fts_after_delete", "document_fts_after_update")

# Unicode noncharacters: never part of interchanged text, so safe as highlight markers.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"


class FullTextSyntaxError(Exception):
    """SQLite rejected a full-text expression (the message is SQLite's)."""


@dataclass(frozen=True, slots=True)
class DocumentHits:
    document_id: int
    spans: tuple[tuple[int, int], ...]  # code-point offsets, half-open, in text order
    text: str  # the document's text


def marked_spans(marked: str) -> tuple[tuple[int, int], ...]:
    """Offsets in the unmarked text of the passages wrapped in highlight markers."""
    spans: list[tuple[int, int]] = []
    removed = 0
    position = marked.find(_OPEN)
    while position >= 0:
        close = marked.find(_CLOSE, position + 1)
        if close < 0:
            break
        spans.append((position - removed, close - removed - 1))
        removed += 2
        position = marked.find(_OPEN, close + 1)
    return tuple(spans)


def _execute(session: Session, sql: str, params: dict[str, object]) -> list[tuple[object, ...]]:
    try:
        return [tuple(row) for row in session.execute(text(sql), params).all()]
    except OperationalError as exc:
        message = str(exc.orig)
        if "fts5" in message or "syntax error" in message or "unterminated" in message:
            raise FullTextSyntaxError(message) from None
        raise


def matching_documents(session: Session, expression: str) -> list[int]:
    """Ids of documents whose text matches an FTS5 expression."""
    rows = _execute(session, f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rowid",
                    {"q": expression})
    return [int(str(row[0])) for row in rows]


def hits(session: Session, expression: str, document_ids: Iterable[int] | None = None) -> Iterator[DocumentHits]:
    """Every matched passage of every matching document (optionally only among `document_ids`)."""
    sql = (f"SELECT rowid, highlight({FTS_TABLE}, 0, :open, :close) FROM {FTS_TABLE} "
           f"WHERE {FTS_TABLE} MATCH :q")
    params: dict[str, object] = {"q": expression, "open": _OPEN, "close": _CLOSE}
    if document_ids is not None:
        wanted = sorted(set(document_ids))
        if not wanted:
            return
        sql += f" AND rowid IN ({', '.join(str(int(i)) for i in wanted)})"
    for row in _execute(session, sql + " ORDER BY rowid", params):
        marked = str(row[1])
        spans = marked_spans(marked)
        if spans:
            yield DocumentHits(int(str(row[0])), spans, marked.replace(_OPEN, "").replace(_CLOSE, ""))


def vocabulary(session: Session) -> list[tuple[str, int]]:
    """Every indexed term with the number of times it occurs, most frequent first."""
    session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_vocab "
                         f"USING fts5vocab(main, {FTS_TABLE}, 'row')"))
    rows = session.execute(text(f"SELECT term, cnt FROM temp.{FTS_TABLE}_vocab ORDER BY cnt DESC, term"))
    return [(str(term), int(count)) for term, count in rows.tuples()]


def rebuild(session: Session) -> None:
    """Re-index every document from scratch (repairs an index out of step with the text)."""
    session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def index_is_consistent(session: Session) -> bool:
    """FTS5's own integrity check of the index against the document text."""
    try:
        session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))
    except DatabaseError as exc:
        message = str(exc.orig).lower()
        if "malformed" in message or "corrupt" in message:
            return False
        raise
    return True
