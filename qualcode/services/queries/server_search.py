"""Full-text search on a team project's PostgreSQL server, with the hits FTS5 gives locally.

The server finds the matching documents through the GIN index on `qualcode_fts(text)`
(migration 0003): the text folded like FTS5's unicode61 tokeniser (lower case, diacritics
removed, each run of letters and digits one word), searched with a tsquery built from the
same parsed search (`<->` for phrases, `:*` for prefixes, `&`, `|`, `& !`). The passages to
highlight are then found in those documents' text with the same folding, as FTS5's
`highlight()` marks them: every instance of a searched phrase, overlapping ones joined.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.exc import DataError, ProgrammingError
from sqlalchemy.orm import Session

from qualcode.analysis.search_query import Either, Expression, Term
from qualcode.store.fulltext import DocumentHits, FullTextSyntaxError

_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as both engines index it: lower case, without diacritics."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _tokens(value: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(value)]


def _quote(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _term_query(term: Term) -> str:
    words = [fold(w) for w in term.words]
    parts = [_quote(w) for w in words]
    if term.prefix:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def to_tsquery(expression: Expression) -> str:
    """The tsquery text (for `to_tsquery('simple', ...)`) of a parsed search."""
    if isinstance(expression, Term):
        return _term_query(expression)
    if isinstance(expression, Either):
        return "(" + " | ".join(_term_query(term) for term in expression.terms) + ")"
    operator = {"AND": "&", "OR": "|", "NOT": "& !"}[expression.operator]
    return f"({to_tsquery(expression.left)} {operator} {to_tsquery(expression.right)})"


def _phrases(expression: Expression) -> Iterator[Term]:
    """The terms whose instances are highlighted (not those after NOT)."""
    if isinstance(expression, Term):
        yield expression
    elif isinstance(expression, Either):
        yield from expression.terms
    else:
        yield from _phrases(expression.left)
        if expression.operator != "NOT":
            yield from _phrases(expression.right)


def _ascii_pattern(terms: list[Term]) -> re.Pattern[str]:
    """Where any searched phrase may start in ASCII text (then checked token by token)."""
    firsts = sorted({re.escape(fold(term.words[0])) for term in terms if term.words})
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(firsts) + ")", re.IGNORECASE)


def spans(value: str, expression: Expression) -> tuple[tuple[int, int], ...]:
    """Code-point spans of every instance of the searched phrases, overlapping instances joined."""
    terms = list(_phrases(expression))
    if value.isascii() and terms and all(term.words and fold(term.words[0]).isascii() for term in terms):
        # Long transcripts: tokenise only around the places a phrase may start.
        found: list[tuple[int, int]] = []
        for match in _ascii_pattern(terms).finditer(value):
            window = value[match.start() : match.start() + 2000]
            for first, last in _spans_in(window, terms):
                if first == 0:
                    found.append((match.start(), match.start() + last))
        return _joined(found)
    return _spans_in(value, terms)


def _joined(found: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def _spans_in(value: str, terms: list[Term]) -> tuple[tuple[int, int], ...]:
    tokens = _tokens(value)
    words = [token for token, _, _ in tokens]
    instances: list[tuple[int, int]] = []  # token index ranges, inclusive
    for term in terms:
        wanted = [fold(w) for w in term.words]
        if not wanted:
            continue
        size = len(wanted)
        for i in range(len(words) - size + 1):
            if all(words[i + k] == wanted[k] for k in range(size - 1)) and (
                words[i + size - 1].startswith(wanted[-1]) if term.prefix else words[i + size - 1] == wanted[-1]
            ):
                instances.append((i, i + size - 1))
    instances.sort()
    merged: list[list[int]] = []
    for first, last in instances:
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return tuple((tokens[first][1], tokens[last][2]) for first, last in merged)


def hits(session: Session, expression: Expression, document_ids: Iterable[int] | None = None
         ) -> Iterator[DocumentHits]:
    """Every matched passage of every matching document (optionally only among `document_ids`)."""
    sql = "SELECT id, text FROM document WHERE fts @@ to_tsquery('pg_catalog.simple', :q)"
    if document_ids is not None:
        wanted = sorted(set(document_ids))
        if not wanted:
            return
        sql += f" AND id IN ({', '.join(str(int(i)) for i in wanted)})"
    try:
        rows = session.execute(text(sql + " ORDER BY id"), {"q": to_tsquery(expression)}).all()
    except (ProgrammingError, DataError) as exc:
        raise FullTextSyntaxError(str(exc.orig).splitlines()[0]) from None
    for document_id, document_text in rows:
        found = spans(document_text, expression)
        if found:
            yield DocumentHits(int(document_id), found, document_text)
