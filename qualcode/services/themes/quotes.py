"""Example quotes for themes: participant labels, the choice of quotes, and shortening.

The researcher's exemplar codings come first. When a theme has too few, the rest are the
shortest readable codings from as many different participants as possible, so a table of
quotes shows the breadth of voices rather than one talkative participant.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.enums import DocumentKind
from qualcode.store.models import Case, Coding, Document, case_document

ELLIPSIS = "…"
MIN_QUOTE_CHARS = 40  # shorter codings make poor quotes; used only when nothing longer exists
_DANGLING = frozenset({"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
                       "so", "than", "that", "the", "to", "which", "who", "with"})
_KIND_SUFFIX = {DocumentKind.FOLLOW_UP.value: "follow-up"}


@dataclass(frozen=True)
class Candidate:
    """A coding that could be quoted, without its text (cheap to hold thousands)."""

    coding_id: int
    document_id: int
    start: int
    end: int
    participant: str  # the key that says whose words these are
    exemplar: bool

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Quote:
    coding_id: int
    document_id: int
    start: int
    end: int
    text: str
    participant: str  # e.g. "P3" or "Site2P03 (follow-up)"
    exemplar: bool
    page: str = ""  # "p. 4" for a passage of a document imported from a PDF with its pages

    def formatted(self, max_chars: int | None = None) -> str:
        """'P3: We use an assets and strength based approach…'; from a paper: '“…” (Smith 2018, p. 4)'."""
        body = shorten_quote(self.text, max_chars)
        if self.page:
            return f"“{body}” ({self.participant}, {self.page})" if self.participant else f"“{body}” ({self.page})"
        return f"{self.participant}: {body}" if self.participant else body


@dataclass(frozen=True)
class Speakers:
    """Who speaks in each document: the participant key (for distinctness) and the label shown."""

    keys: dict[int, str]
    labels: dict[int, str]


def speakers(session: Session) -> Speakers:
    """Each document's participant: its case names (else the document name), plus '(follow-up)'."""
    docs = session.execute(select(Document.id, Document.name, Document.kind)).all()
    cases: dict[int, list[str]] = {}
    for document_id, name in session.execute(
        select(case_document.c.document_id, Case.name)
        .join(Case, Case.id == case_document.c.case_id)
        .order_by(func.lower(Case.name))
    ):
        cases.setdefault(document_id, []).append(name)
    keys, labels = {}, {}
    for document_id, name, kind in docs:
        who = ", ".join(cases.get(document_id, [])) or name
        keys[document_id] = who
        suffix = _KIND_SUFFIX.get(kind)
        labels[document_id] = f"{who} ({suffix})" if suffix else who
    return Speakers(keys, labels)


_CUT_NOTE_START = re.compile(r"^[^\[\]]{1,40}\]\s*")  # "laughs] She refers…": the coding began inside a note
_CUT_NOTE_END = re.compile(r"\s*\[[^\[\]]{0,40}$")  # "…and then [pause": it ended inside one


def shorten_quote(text: str, max_chars: int | None) -> str:
    """One line of text, without a transcription note cut in half at either end, shortened at a
    word boundary with an ellipsis when longer than `max_chars`."""
    flat = _CUT_NOTE_END.sub("", _CUT_NOTE_START.sub("", " ".join(text.split()))) or " ".join(text.split())
    if max_chars is None or len(flat) <= max_chars:
        return flat
    limit = max(1, max_chars - 1)
    cut = flat[:limit]
    space = cut.rfind(" ")
    if flat[limit].isalnum() and space >= limit * 0.6:  # drop the word cut in half
        cut = cut[:space]
    words = cut.split(" ")
    while len(words) > 3 and words[-1].lower().strip(",;:") in _DANGLING:  # "…an hour and…" reads badly
        words.pop()
    return re.sub(r"[\s,;:.\-–—]+$", "", " ".join(words)) + ELLIPSIS


QuoteRow = tuple[int, int, int, int, str, bool]  # as Candidate: coding, document, start, end, participant, exemplar


def _rank(row: QuoteRow) -> tuple[bool, int, int]:
    length = row[3] - row[2]
    return length < MIN_QUOTE_CHARS, length, row[0]


def shortlist(rows: Iterable[QuoteRow], count: int) -> list[QuoteRow]:
    """The few codings `pick_quotes` can choose among: every exemplar, each participant's two
    best, and the best overall. A shortlist of shortlists is the shortlist of the whole, so a
    theme's shortlist can be made from its children's."""
    if count <= 0:
        return []
    rows = list(rows)
    best: dict[str, list[QuoteRow]] = {}
    for row in rows:
        kept = best.setdefault(row[4], [])
        if len(kept) < 2:
            kept.append(row)
            kept.sort(key=_rank)
        elif _rank(row) < _rank(kept[1]):
            kept[1] = row
            kept.sort(key=_rank)
    overall = heapq.nsmallest(2 * count, rows, key=_rank)
    unique = {row[0]: row for row in (r for r in rows if r[5])}
    for row in itertools.chain(overall, *best.values()):
        unique.setdefault(row[0], row)
    return list(unique.values())


def pick_quotes(candidates: Iterable[Candidate], count: int, *, min_chars: int = MIN_QUOTE_CHARS) -> list[Candidate]:
    """Up to `count` quotes: exemplars first, then the shortest readable coding of each
    participant not yet quoted, then further codings if participants run out."""
    if count <= 0:
        return []
    seen_spans: set[tuple[int, int, int]] = set()
    unique: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (not c.exemplar, c.length < min_chars, c.length, c.coding_id)):
        span = (c.document_id, c.start, c.end)
        if span not in seen_spans:
            seen_spans.add(span)
            unique.append(c)
    chosen: list[Candidate] = []
    voices: set[str] = set()

    def take(exemplars_only: bool, new_voices_only: bool) -> None:
        for c in unique:
            if len(chosen) == count:
                return
            if (c.exemplar or not exemplars_only) and (c.participant not in voices or not new_voices_only) \
                    and c not in chosen:
                chosen.append(c)
                voices.add(c.participant)

    # Exemplars of distinct voices, other exemplars, new voices, then anything left.
    for exemplars_only, new_voices_only in ((True, True), (True, False), (False, True), (False, False)):
        take(exemplars_only, new_voices_only)
    return chosen


def load_quotes(session: Session, picked: Sequence[Candidate], labels: dict[int, str]) -> list[Quote]:
    """The text of the picked codings, in the order given."""
    if not picked:
        return []
    ids = [c.coding_id for c in picked]
    texts = dict(session.execute(
        select(Coding.id, func.substr(Document.text, Coding.start + 1, Coding.end - Coding.start))
        .join(Document, Document.id == Coding.document_id)
        .where(Coding.id.in_(ids))
    ).tuples().all())
    from qualcode.services.documents import page_references

    pages = page_references(session, [(c.document_id, c.start, c.end) for c in picked])
    return [Quote(c.coding_id, c.document_id, c.start, c.end, texts.get(c.coding_id, ""),
                  labels.get(c.document_id, ""), c.exemplar, pages.get((c.document_id, c.start, c.end), ""))
            for c in picked]
