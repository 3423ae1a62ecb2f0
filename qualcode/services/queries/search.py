"""Full-text search over every document, shown as keyword-in-context lines, and coding
of the hits (all or some, widened to sentence, turn or paragraph) in one undoable step."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.analysis.search_query import describe, expand_forms, parse_search, to_fts
from qualcode.domain.errors import ValidationError
from qualcode.services._common import require
from qualcode.services.coding.codings import CodingSpec, apply_codes
from qualcode.services.coding.text_units import check_unit, document_texts, turn_spans, turns_at, widen
from qualcode.services.commands import Change
from qualcode.services.queries import server_search
from qualcode.services.queries.options import DEFAULT_CONTEXT as DEFAULT_CONTEXT
from qualcode.services.queries.options import DEFAULT_LIMIT as DEFAULT_LIMIT
from qualcode.services.queries.query_scope import QueryScope, document_cases, scoped_documents
from qualcode.store import fulltext
from qualcode.store.models import Document, Node

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchHit:
    """One matched passage with its context (white space in the context shown as single spaces)."""

    document_id: int
    document_name: str
    document_kind: str
    cases: tuple[str, ...]
    speaker: str
    start: int
    end: int
    matched: str
    left: str
    right: str


@dataclass(frozen=True)
class HitRef:
    """A hit to code: a passage of a document."""

    document_id: int
    start: int
    end: int


@dataclass(frozen=True)
class SearchResult:
    query: str
    searched: str  # the search as understood, e.g. `"care home" AND (listen | listened)`
    hits: tuple[SearchHit, ...]  # the listed hits (the first `limit`)
    total_hits: int  # before the limit
    document_count: int
    every_hit: tuple[HitRef, ...] = ()  # all `total_hits` hits, listed or not, in the same order

    @property
    def truncated(self) -> bool:
        return self.total_hits > len(self.hits)


def _forms_by_lemma(session: Session) -> Callable[[str], list[str]]:
    from qualcode.nlp.lexicon import lemma

    by_lemma: dict[str, list[str]] = defaultdict(list)
    for term, _count in fulltext.vocabulary(session):
        by_lemma[lemma(term)].append(term)
    return lambda word: by_lemma.get(lemma(word), [])


def _bounds(text: str, turn: tuple[int, int, str] | None, start: int, end: int) -> tuple[int, int]:
    """Where a hit's context may reach: its speaker turn, else its paragraph (line)."""
    if turn is not None and turn[1] >= end:
        return turn[0], turn[1]
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def _left(text: str, start: int, width: int, low: int) -> str:
    """Context before a hit, from `low` at most, starting at a whole word."""
    first = max(start - width, low)
    left = text[first:start]
    if first > low and not text[first - 1].isspace() and " " in left.strip():
        left = left[left.find(" ") :]
    return _SPACE.sub(" ", left).lstrip()


def _right(text: str, end: int, width: int, high: int) -> str:
    """Context after a hit, up to `high` at most, ending at a whole word."""
    last = min(end + width, high)
    right = text[end:last]
    if last < high and not text[last].isspace() and " " in right.strip():
        right = right[: right.rfind(" ")]
    return _SPACE.sub(" ", right).rstrip()


def search_text(
    session: Session,
    *,
    query: str,
    lemmas: bool = False,
    scope: QueryScope | None = None,
    context: int = DEFAULT_CONTEXT,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """Find words, "phrases", prefixes* and AND/OR/NOT combinations in the documents.

    With `lemmas`, each word also matches its other forms found in the project
    ("listen" finds "listening", "listened"). Hits are in document-name then text order.
    """
    expression = parse_search(query)
    if lemmas:
        expression = expand_forms(expression, _forms_by_lemma(session))
    allowed = None if scope is None or scope == QueryScope() else scoped_documents(session, scope)
    try:
        if session.get_bind().dialect.name == "postgresql":
            found = list(server_search.hits(session, expression, allowed))
        else:
            found = list(fulltext.hits(session, to_fts(expression), allowed))
    except fulltext.FullTextSyntaxError as exc:
        raise ValidationError(f"The search '{query}' could not be read ({exc}).") from None
    documents = {row.id: row for row in session.execute(
        select(Document.id, Document.name, Document.kind).where(Document.id.in_([h.document_id for h in found])))}
    found.sort(key=lambda h: (documents[h.document_id].name.lower(), h.document_id))
    every_hit = tuple(HitRef(h.document_id, start, end) for h in found for start, end in h.spans)
    kept = [(ref.document_id, ref.start, ref.end) for ref in every_hit[:max(limit, 0)]]
    ids = {document_id for document_id, _, _ in kept}
    texts = {h.document_id: h.text for h in found if h.document_id in ids}
    turns = turns_at(session, ((document_id, start) for document_id, start, _ in kept))
    cases = document_cases(session, ids)
    hits = []
    for document_id, start, end in kept:
        text, turn = texts[document_id], turns.get((document_id, start))
        low, high = _bounds(text, turn, start, end)
        hits.append(SearchHit(
            document_id, documents[document_id].name, documents[document_id].kind,
            tuple(name for _, name in cases.get(document_id, ())), turn[2] if turn else "", start, end,
            text[start:end], _left(text, start, context, low), _right(text, end, context, high),
        ))
    return SearchResult(query, describe(expression), tuple(hits), len(every_hit), len(found), every_hit)


def code_hits(
    session: Session,
    *,
    hits: Sequence[HitRef],
    node_id: int,
    coder_id: int,
    unit: str = "hit",
) -> Change:
    """Code the hits (widened to `unit`: hit, sentence, turn or paragraph) to a node in one
    undoable step; passages already coded to the node by this coder are skipped.
    Result: the number of codings added."""
    widen_to = check_unit(unit)
    if not hits:
        raise ValidationError("There are no search hits to code: run a search first or select some hits.")
    node = require(session, Node, node_id, "node")
    ids = {hit.document_id for hit in hits}
    for document_id in ids:
        require(session, Document, document_id, "document")
    texts = document_texts(session, ids)
    turns = turn_spans(session, ids)
    specs = []
    for hit in hits:
        start, end = widen(texts[hit.document_id], turns.get(hit.document_id, []), hit.start, hit.end, widen_to)
        specs.append(CodingSpec(hit.document_id, start, end, node_id))
    what = "search hit" if len(hits) == 1 else f"{len(hits)} search hits"
    suffix = "" if widen_to == "hit" else f" ({widen_to}s)"
    return apply_codes(session, specs=specs, coder_id=coder_id, title=f"Code {what}{suffix} to '{node.name}'")
