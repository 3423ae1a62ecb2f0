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

# Unicode noncharacters: never part of interchanged text, so safe as highlight markers (a
# document that contains them anyway is highlighted again with a pair it does not contain).
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_SPARE_MARKERS = [(chr(c), chr(c + 1)) for c in range(0xFDD2, 0xFDF0, 2)]


class FullTextSyntaxError(Exception):
    """SQLite rejected a full-text expression (the message is SQLite's)."""


@dataclass(frozen=True, slots=True)
class DocumentHits:
    document_id: int
    spans: tuple[tuple[int, int], ...]  # code-point offsets, half-open, in text order
    text: str  # the document's text


def marked_spans(marked: str, open_mark: str = _OPEN, close_mark: str = _CLOSE) -> tuple[tuple[int, int], ...]:
    """Offsets in the unmarked text of the passages wrapped in highlight markers."""
    spans: list[tuple[int, int]] = []
    removed = 0
    position = marked.find(open_mark)
    while position >= 0:
        close = marked.find(close_mark, position + 1)
        if close < 0:
            break
        spans.append((position - removed, close - removed - 1))
        removed += 2
        position = marked.find(open_mark, close + 1)
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
    sql = (f"SELECT f.rowid, highlight({FTS_TABLE}, 0, :open, :close), length(d.text) FROM {FTS_TABLE} f "
           f"JOIN document d ON d.id = f.rowid WHERE {FTS_TABLE} MATCH :q")
    params: dict[str, object] = {"q": expression, "open": _OPEN, "close": _CLOSE}
    if document_ids is not None:
        wanted = sorted(set(document_ids))
        if not wanted:
            return
        sql += f" AND f.rowid IN ({', '.join(str(int(i)) for i in wanted)})"
    for row in _execute(session, sql + " ORDER BY f.rowid", params):
        document_id, marked, length = int(str(row[0])), str(row[1]), int(str(row[2]))
        text = marked.replace(_OPEN, "").replace(_CLOSE, "")
        if len(text) + 2 * marked.count(_CLOSE) == len(marked) and len(text) == length:
            spans = marked_spans(marked)
        else:  # the text itself holds the usual markers
            spans, text = _hits_with_spare_markers(session, expression, document_id)
        if spans:
            yield DocumentHits(document_id, spans, text)


def _hits_with_spare_markers(session: Session, expression: str, document_id: int
                             ) -> tuple[tuple[tuple[int, int], ...], str]:
    original = str(session.execute(text("SELECT text FROM document WHERE id = :id"), {"id": document_id}).scalar())
    open_mark, close_mark = next(pair for pair in _SPARE_MARKERS if pair[0] not in original and pair[1] not in original)
    marked = str(_execute(session, f"SELECT highlight({FTS_TABLE}, 0, :open, :close) FROM {FTS_TABLE} "
                                   f"WHERE {FTS_TABLE} MATCH :q AND rowid = :id",
                          {"q": expression, "open": open_mark, "close": close_mark, "id": document_id})[0][0])
    return marked_spans(marked, open_mark, close_mark), original


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def vocabulary(session: Session) -> list[tuple[str, int]]:
    """Every indexed term with the number of times it occurs, most frequent first."""
    if _on_server(session):
        rows = session.execute(text("SELECT word, nentry FROM ts_stat('SELECT qualcode_fts(text) FROM document') "
                                    "ORDER BY nentry DESC, word"))
        return [(str(term), int(count)) for term, count in rows.tuples()]
    # The term list is a table in the connection's own temporary database; a project opened for
    # reading (query_only) may still make it, since nothing of the project file changes.
    query_only = bool(session.execute(text("PRAGMA query_only")).scalar())
    if query_only:
        session.execute(text("PRAGMA query_only = OFF"))
    try:
        session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_vocab "
                             f"USING fts5vocab(main, {FTS_TABLE}, 'row')"))
    finally:
        if query_only:
            session.execute(text("PRAGMA query_only = ON"))
    rows = session.execute(text(f"SELECT term, cnt FROM temp.{FTS_TABLE}_vocab ORDER BY cnt DESC, term"))
    return [(str(term), int(count)) for term, count in rows.tuples()]


def rebuild(session: Session) -> None:
    """Re-index every document from scratch (repairs an index out of step with the text)."""
    if _on_server(session):
        session.execute(text("REINDEX INDEX ix_document_fts"))
        return
    session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


def index_is_consistent(session: Session) -> bool:
    """FTS5's own integrity check of the index against the document text (on a server: the
    GIN index exists and is valid; it is built from the text itself, so it cannot drift)."""
    if _on_server(session):
        valid = session.execute(text("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                                     "to_regclass('ix_document_fts')")).scalar()
        return bool(valid)
    try:
        session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))
    except DatabaseError as exc:
        message = str(exc.orig).lower()
        if "malformed" in message or "corrupt" in message:
            return False
        raise
    return True
