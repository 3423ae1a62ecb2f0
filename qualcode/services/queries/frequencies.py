"""Frequencies: codings per node (by level, per coder) and per document, and word
frequencies (lemmas, stop words removed), overall or per group."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.analysis.intervals import merge as merged
from qualcode.analysis.matrix import CodingFact
from qualcode.analysis.ordering import NO_CASE, NO_VALUE, UNASSIGNED_NOTE, group_key, natural_key
from qualcode.analysis.word_counts import WordTable, count_forms, merge_counts, word_table
from qualcode.domain.enums import AttributeScope
from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.services.coding.text_units import turn_spans
from qualcode.services.queries.matrices import coding_facts, node_members
from qualcode.services.queries.options import CODING_VIEWS as CODING_VIEWS
from qualcode.services.queries.query_scope import (
    QueryScope,
    attribute_values,
    check_coders,
    describe_scope,
    document_cases,
    find_attribute,
    scoped_documents,
)
from qualcode.store.models import Coder, Coding, Document, Node

GROUPINGS = ("document", "case", "kind")


@dataclass(frozen=True)
class FrequencyTable:
    title: str
    description: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class WordFrequencies:
    title: str
    description: str
    grouped: bool
    table: WordTable
    note: str = ""  # what was counted: speaker labels, text outside turns, documents without a case


def _coder_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Coder.id, Coder.name)).tuples().all())


def coding_frequencies(session: Session, *, by: str = "level", scope: QueryScope | None = None) -> FrequencyTable:
    """Codings per node by level (own and with sub-themes, documents, cases), per node and
    coder, or per document (codings, nodes used, share of the text coded)."""
    if by not in CODING_VIEWS:
        raise ValidationError(f"Unknown view '{by}': use {', '.join(CODING_VIEWS)}.")
    scope = scope or QueryScope()
    check_coders(session, scope.coder_ids)
    documents = scoped_documents(session, scope)
    description = describe_scope(scope, _coder_names(session))
    if by == "document":
        return _per_document(session, documents, scope, description)
    names, members, order = node_members(session)
    if by == "coder":
        return _per_coder(session, names, members, order, documents, scope, description)
    facts = coding_facts(session, documents, scope.coder_ids)
    levels = dict(session.execute(select(Node.id, Node.level)).tuples().all())
    cases = document_cases(session, documents)
    own = Counter(f.node_id for f in facts)
    by_node: dict[int, list[CodingFact]] = defaultdict(list)
    for fact in facts:
        by_node[fact.node_id].append(fact)
    rows = []
    for node_id in sorted(order, key=lambda n: -levels[n]):  # stable: tree order within a level
        below = [f for n in members[node_id] for f in by_node.get(n, ())]
        docs = {f.document_id for f in below}
        case_ids = {c for d in docs for c, _ in cases.get(d, ())}
        rows.append((Level(levels[node_id]).label, names[node_id], own[node_id], len(below), len(docs), len(case_ids)))
    header = ("Level", "Node", "Codings", "With sub-themes", "Documents", "Cases")
    return FrequencyTable("Codings per node by level", description, header, tuple(rows))


def _per_coder(session: Session, names: dict[int, str], members: dict[int, frozenset[int]], order: list[int],
               documents: set[int], scope: QueryScope, description: str) -> FrequencyTable:
    coders = _coder_names(session)
    chosen = list(scope.coder_ids) if scope.coder_ids is not None else sorted(coders, key=lambda c: coders[c].lower())
    query = select(Coding.node_id, Coding.coder_id, Coding.document_id)
    counts: Counter[tuple[int, int]] = Counter(
        (node, coder) for node, coder, doc in session.connection().execute(query).tuples()
        if doc in documents and coder in chosen)
    rows = []
    for node_id in order:
        per = [sum(counts[(n, c)] for n in members[node_id]) for c in chosen]
        rows.append((names[node_id], *per, sum(per)))
    header = ("Node", *(coders[c] for c in chosen), "Total")
    return FrequencyTable("Codings per node and coder (with sub-themes)", description, header, tuple(rows))


def _per_document(session: Session, documents: set[int], scope: QueryScope, description: str) -> FrequencyTable:
    query = select(Coding.document_id, Coding.node_id, Coding.start, Coding.end)
    if scope.coder_ids is not None:
        query = query.where(Coding.coder_id.in_(list(scope.coder_ids)))
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    nodes: dict[int, set[int]] = defaultdict(set)
    for doc, node, start, end in session.connection().execute(query).tuples():
        if doc in documents:
            spans[doc].append((start, end))
            nodes[doc].add(node)
    info = session.execute(select(Document.id, Document.name, func.length(Document.text))
                           .where(Document.id.in_(documents))).tuples().all()
    cases = document_cases(session, documents)
    rows = []
    for doc, name, length in sorted(info, key=lambda r: natural_key(r[1])):
        coded = sum(end - start for start, end in merged(spans.get(doc, [])))
        share = round(100 * coded / length, 1) if length else 0.0
        rows.append((name, ", ".join(n for _, n in cases.get(doc, ())), len(spans.get(doc, [])),
                     len(nodes.get(doc, ())), share))
    header = ("Document", "Cases", "Codings", "Nodes used", "Text coded (%)")
    return FrequencyTable("Codings per document", description, header, tuple(rows))


def _speech(text: str, turns: list[tuple[int, int, str]], skip: set[str]) -> str:
    """The document's words: each turn without its 'Speaker:' label, leaving out skipped
    speakers' turns; text outside any turn (a header line, a note) is kept, as every other
    view keeps it."""
    if not turns:
        return text
    parts = []
    position = 0
    for start, end, speaker in sorted(turns):
        label = f"{speaker}:"
        if start > position:
            gap = text[position:start]
            if speaker and gap.rstrip().endswith(label):  # the label sits just before the turn's words
                gap = gap.rstrip()[: -len(label)]
            parts.append(gap)
        position = max(position, end)
        if speaker.casefold() in skip:
            continue
        begin = start + len(label) if speaker and text.startswith(label, start) else start
        parts.append(text[begin:end])
    parts.append(text[position:])
    return "\n".join(parts)


def _groups_of(session: Session, group_by: str | None, documents: set[int]) -> tuple[dict[int, list[str]], str]:
    names = dict(session.execute(select(Document.id, Document.name).where(Document.id.in_(documents))).tuples().all())
    if group_by is None:
        return {d: ["All documents"] for d in documents}, ""
    if group_by == "document":
        return {d: [names[d]] for d in documents}, "document"
    if group_by == "kind":
        query = select(Document.id, Document.kind).where(Document.id.in_(documents))
        kinds = dict(session.execute(query).tuples().all())
        return {d: [kinds[d].replace("_", "-")] for d in documents}, "document kind"
    cases = document_cases(session, documents)
    if group_by == "case":
        return {d: [n for _, n in cases.get(d, [])] or [NO_CASE] for d in documents}, "case"
    attribute = find_attribute(session, group_by)
    values = attribute_values(session, attribute)
    if attribute.scope is AttributeScope.DOCUMENT:
        return {d: [values.get(d, NO_VALUE)] for d in documents}, attribute.name
    return {d: sorted({values.get(c, NO_VALUE) for c, _ in cases.get(d, [])}) or [NO_VALUE]
            for d in documents}, attribute.name


def word_frequencies(
    session: Session,
    *,
    top: int = 50,
    lemmas: bool = True,
    group_by: str | None = None,
    scope: QueryScope | None = None,
    min_length: int = 3,
    exclude_words: Sequence[str] = (),
    exclude_speakers: Sequence[str] = (),
    progress: Progress | None = None,
) -> WordFrequencies:
    """The most frequent words (by lemma unless `lemmas` is off), stop words removed,
    overall or per group: "document", "case", "kind" or an attribute name (e.g. site).
    Speaker labels are never counted; `exclude_speakers` leaves out whole turns."""
    from qualcode.nlp.lexicon import lemma, stop_words

    if top < 1:
        raise ValidationError("Show at least one word (top must be 1 or more).")
    progress = progress or NullProgress()
    scope = scope or QueryScope()
    documents = scoped_documents(session, scope)
    groups, group_label = _groups_of(session, group_by, documents)
    turns = turn_spans(session, documents)
    skip = {s.casefold() for s in exclude_speakers}
    per_group: dict[str, list[Counter[str]]] = defaultdict(list)
    ordered = sorted(documents)
    for done, doc in enumerate(ordered):
        check_cancelled(progress)
        text = str(session.connection().execute(select(Document.text).where(Document.id == doc)).scalar_one())
        counts = count_forms(_speech(text, turns.get(doc, []), skip))
        for group in groups[doc]:
            per_group[group].append(counts)
        progress.update(done + 1, len(ordered), "Counting words")
    names = sorted(per_group, key=group_key)
    table = word_table({g: merge_counts(per_group[g]) for g in names}, lemma=lemma if lemmas else None,
                       stop_words=stop_words(), min_length=min_length, exclude=exclude_words, top=top)
    title = "Most frequent words" + (f" by {group_label}" if group_label else "")
    kind = "lemmas" if lemmas else "word forms"
    description = f"{kind.capitalize()}, stop words removed; {describe_scope(scope, _coder_names(session))}"
    note = ("Speaker labels are not counted; text outside speaker turns (such as a header line) is"
            + (", but excluded speakers' turns are not." if skip else "."))
    if group_by not in (None, "document", "kind"):
        note += " " + UNASSIGNED_NOTE
    return WordFrequencies(title, description, group_by is not None, table, note)
