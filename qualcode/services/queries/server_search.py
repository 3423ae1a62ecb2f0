"""Full-text search on a team project's PostgreSQL server, with the hits FTS5 gives locally.

The server narrows the search to candidate documents through the GIN index on
`qualcode_fts(text)` (migration 0003): the text folded like FTS5's unicode61 tokeniser (lower
case, diacritics removed, each run of letters and digits one word). A tsvector keeps word
positions only up to 16,383 and at most 256 positions of one word, so in a long transcript
a phrase (`<->`) late in the text, or after a common word's 256th use, would be missed. The
candidates are therefore found with each phrase's words anywhere in the document (`&`,
`:*` for prefixes, `|`; a NOT part does not narrow), and the whole search is then decided
in each candidate's text with the same folding, as FTS5 decides it; the passages to
highlight are every instance of a searched phrase, overlapping ones joined, as FTS5's
`highlight()` marks them.
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


def _candidate_term(term: Term, folded: dict[str, str] | None = None) -> str:
    """A phrase's words anywhere in the document (no positions: those a tsvector may lack)."""
    words = [(folded or {}).get(w) or fold(w) for w in term.words]
    parts = [_quote(w) for w in words]
    if term.prefix and parts:
        parts[-1] += ":*"
    return "(" + " & ".join(parts) + ")"


def candidate_tsquery(expression: Expression, folded: dict[str, str] | None = None) -> str | None:
    """The tsquery of the documents that may match: every document FTS5 would find matches it
    (None: the search cannot narrow, e.g. it is all NOT)."""
    if isinstance(expression, Term):
        return _candidate_term(expression, folded)
    if isinstance(expression, Either):
        return "(" + " | ".join(_candidate_term(term, folded) for term in expression.terms) + ")"
    left = candidate_tsquery(expression.left, folded)
    if expression.operator == "NOT":
        return left
    right = candidate_tsquery(expression.right, folded)
    if expression.operator == "AND":
        return left if right is None else right if left is None else f"({left} & {right})"
    return None if left is None or right is None else f"({left} | {right})"


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


def _terms(expression: Expression, *, negated: bool = True) -> Iterator[Term]:
    """Every term of the search; with `negated=False` not those after NOT (the terms whose
    instances are highlighted)."""
    if isinstance(expression, Term):
        yield expression
    elif isinstance(expression, Either):
        yield from expression.terms
    else:
        yield from _terms(expression.left, negated=negated)
        if negated or expression.operator != "NOT":
            yield from _terms(expression.right, negated=negated)


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
    phrases = list(dict.fromkeys(_terms(expression, negated=False)))
    found = _instances(value, phrases)
    return _joined([span for term in phrases for span in found[term]])


def matched_spans(value: str, expression: Expression) -> tuple[tuple[int, int], ...] | None:
    """As FTS5 decides for one document: None when the text does not match the search,
    otherwise the spans to highlight (as `spans`)."""
    found = _instances(value, list(dict.fromkeys(_terms(expression))))
    if not _holds(expression, found):
        return None
    return _joined([span for term in dict.fromkeys(_terms(expression, negated=False)) for span in found[term]])


def _holds(expression: Expression, found: dict[Term, list[tuple[int, int]]]) -> bool:
    if isinstance(expression, Term):
        return bool(found[expression])
    if isinstance(expression, Either):
        return any(found[term] for term in expression.terms)
    left = _holds(expression.left, found)
    if expression.operator == "AND":
        return left and _holds(expression.right, found)
    if expression.operator == "OR":
        return left or _holds(expression.right, found)
    return left and not _holds(expression.right, found)


def _instances(value: str, terms: list[Term]) -> dict[Term, list[tuple[int, int]]]:
    """Every instance of each phrase in the text (a phrase without words has none)."""
    found: dict[Term, list[tuple[int, int]]] = {term: [] for term in terms}
    wanted = [term for term in terms if term.words]
    folded = _folded_in_place(value)
    if folded is None:
        for term in wanted:
            found[term] = list(_spans_in(value, [term]))
        return found
    # Each phrase as one regular expression over the folded text: word boundaries are where
    # runs of letters and digits begin and end, as for the tokeniser; overlapping instances too.
    for term in wanted:
        pattern = re.compile(_term_pattern(term))
        position = 0
        while (match := pattern.search(folded, position)) is not None:
            start = match.start()
            if start == 0 or not _is_token_char(folded[start - 1]):  # a word starts here
                found[term].append((start, match.end()))
            position = start + 1  # instances of one phrase may overlap ("care home care")
    return found


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
    try:
        query = candidate_tsquery(expression, _server_folds(session, expression))
        sql = "SELECT id, text FROM document WHERE " + (
            "fts @@ to_tsquery('pg_catalog.simple', :q)" if query is not None else "true")
        if document_ids is not None:
            wanted = sorted(set(document_ids))
            if not wanted:
                return
            sql += f" AND id IN ({', '.join(str(int(i)) for i in wanted)})"
        rows = session.execute(text(sql + " ORDER BY id"), {"q": query} if query is not None else {}).all()
    except (ProgrammingError, DataError) as exc:
        raise FullTextSyntaxError(str(exc.orig).splitlines()[0]) from None
    for document_id, document_text in rows:
        found = matched_spans(document_text, expression)
        if found:
            yield DocumentHits(int(document_id), found, document_text)
