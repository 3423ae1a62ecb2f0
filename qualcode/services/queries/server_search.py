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
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as both engines index it: lower case, without diacritics."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _tokens(value: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(value)]


def _quote(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _term_query(term: Term, folded: dict[str, str] | None = None) -> str:
    words = [(folded or {}).get(w) or fold(w) for w in term.words]
    parts = [_quote(w) for w in words]
    if term.prefix:
        parts[-1] += ":*"
    return "(" + " <-> ".join(parts) + ")"


def to_tsquery(expression: Expression, folded: dict[str, str] | None = None) -> str:
    """The tsquery text (for `to_tsquery('simple', ...)`) of a parsed search; `folded` gives
    each word as the server's index folds it (`qualcode_fold`)."""
    if isinstance(expression, Term):
        return _term_query(expression, folded)
    if isinstance(expression, Either):
        return "(" + " | ".join(_term_query(term, folded) for term in expression.terms) + ")"
    operator = {"AND": "&", "OR": "|", "NOT": "& !"}[expression.operator]
    return f"({to_tsquery(expression.left, folded)} {operator} {to_tsquery(expression.right, folded)})"


def _all_words(expression: Expression) -> list[str]:
    if isinstance(expression, Term):
        return list(expression.words)
    if isinstance(expression, Either):
        return [w for term in expression.terms for w in term.words]
    return _all_words(expression.left) + _all_words(expression.right)


def _server_folds(session: Session, expression: Expression) -> dict[str, str]:
    """Each searched word folded by the server as its index is (so the documents it finds are
    a superset of FTS5's even where unaccent folds further, e.g. ß; spans then decide)."""
    words = sorted(set(_all_words(expression)))
    rows = session.execute(text("SELECT w, qualcode_fold(w) FROM unnest(CAST(:ws AS text[])) AS t(w)"),
                           {"ws": words})
    return {str(word): " ".join(str(folded).split()) for word, folded in rows}


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


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


def _folded_in_place(value: str) -> str | None:
    """The text folded character by character, if that keeps every offset (almost always:
    None for the rare characters whose folded form is longer or empty)."""
    lowered = value.lower()
    if len(lowered) != len(value):
        return None
    if lowered.isascii():
        return lowered
    folded = _NON_ASCII.sub(lambda match: _fold_char(match.group()), lowered)
    return folded if len(folded) == len(value) else None


def _term_pattern(term: Term) -> str:
    words = [re.escape(fold(w)) for w in term.words]
    last = words.pop() + (r"[^\W_]*" if term.prefix else "")
    body = "".join(word + r"[\W_]+" for word in words) + last
    return body + r"(?![^\W_])"  # starts with the literal word: the scan for it is fast


def spans(value: str, expression: Expression) -> tuple[tuple[int, int], ...]:
    """Code-point spans of every instance of the searched phrases, overlapping instances joined."""
    terms = [term for term in _phrases(expression) if term.words]
    folded = _folded_in_place(value)
    if folded is None or not terms:
        return _spans_in(value, terms)
    # Each phrase as one regular expression over the folded text: word boundaries are where
    # runs of letters and digits begin and end, as for the tokeniser; overlapping instances too.
    found: list[tuple[int, int]] = []
    for term in terms:
        pattern = re.compile(_term_pattern(term))
        position = 0
        while (match := pattern.search(folded, position)) is not None:
            start = match.start()
            if start == 0 or not _is_token_char(folded[start - 1]):  # a word starts here
                found.append((start, match.end()))
            position = start + 1  # instances of one phrase may overlap ("care home care")
    return _joined(found)


def _is_token_char(char: str) -> bool:
    return char.isalnum()


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
        query = to_tsquery(expression, _server_folds(session, expression))
        rows = session.execute(text(sql + " ORDER BY id"), {"q": query}).all()
    except (ProgrammingError, DataError) as exc:
        raise FullTextSyntaxError(str(exc.orig).splitlines()[0]) from None
    for document_id, document_text in rows:
        found = spans(document_text, expression)
        if found:
            yield DocumentHits(int(document_id), found, document_text)
