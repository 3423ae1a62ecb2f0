"""Disagreement review: the places where coders coded a code differently, and decisions on them.

A place is a stretch of a document where, for one code, the chosen coders' codings overlap
each other but are not identical (or only some coders coded it). A reviewer accepts one
coder's version, both (all) versions, or neither. Each decision is one undoable command:
it is recorded as an AuditEvent and, optionally, as codings of a "consensus" coder that
replace the consensus coder's earlier codings of that code in that place.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.enums import parse_enum
from qualcode.domain.errors import ValidationError
from qualcode.services._common import clean_name
from qualcode.services.coding_removal import delete_coding_rows
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import AuditEvent, Coder, Coding, Document, Node

ACTION = "review disagreement"
CONSENSUS = "Consensus"


class Decision(StrEnum):
    ACCEPT = "accept"  # one coder's version
    BOTH = "both"  # every version: the union of their spans
    NEITHER = "neither"  # no coding here


@dataclass(frozen=True)
class Version:
    """One coder's codings of the code in the place (none: the coder did not code it)."""

    coder_id: int
    coder: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Disagreement:
    key: str
    document_id: int
    document: str
    node_id: int
    node: str
    start: int
    end: int
    versions: tuple[Version, ...]
    before: str  # context before the place
    text: str
    after: str
    decision: str | None  # the standing decision, e.g. "accept Ann", "both", "neither"

    def version(self, coder_id: int) -> Version:
        return next(v for v in self.versions if v.coder_id == coder_id)


def _clusters(spans: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Group (start, end, coder) spans into runs that overlap one another."""
    groups: list[list[tuple[int, int, int]]] = []
    reach = -1
    for item in sorted(spans):
        if groups and item[0] < reach:
            groups[-1].append(item)
            reach = max(reach, item[1])
        else:
            groups.append([item])
            reach = item[1]
    return groups


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    lo, hi = max(0, start - width), min(len(text), end + width)
    if lo > 0 and " " in text[lo:start]:
        lo = text.index(" ", lo, start) + 1
    if hi < len(text) and " " in text[end:hi]:
        hi = text.rindex(" ", end, hi)
    return (("…" if lo > 0 else "") + text[lo:start], text[start:end], text[end:hi] + ("…" if hi < len(text) else ""))


def standing_decisions(session: Session) -> dict[str, str]:
    """Place key -> its decision now, replaying reviews, undos and redos in order."""
    stacks: dict[str, list[str]] = {}
    rows = session.execute(select(AuditEvent.action, AuditEvent.details).where(
        AuditEvent.action.in_([ACTION, f"undo {ACTION}", f"redo {ACTION}"])).order_by(AuditEvent.id)).tuples()
    for action, details in rows:
        facts = json.loads(details)
        stack = stacks.setdefault(str(facts.get("place", "")), [])
        if action.startswith("undo"):
            if stack:
                stack.pop()
        else:
            stack.append(str(facts.get("decision", "")))
    return {key: stack[-1] for key, stack in stacks.items() if stack}


def list_disagreements(
    session: Session,
    *,
    coder_ids: Sequence[int],
    node_ids: Sequence[int] | None = None,
    document_ids: Sequence[int] | None = None,
    context: int = 120,
) -> list[Disagreement]:
    """Every place where the chosen coders coded a code differently, in document order."""
    if len(set(coder_ids)) < 2:
        raise ValidationError("Choose at least two different coders to compare.")
    coders = dict(session.execute(select(Coder.id, Coder.name).where(Coder.id.in_(coder_ids))).tuples().all())
    missing = [c for c in coder_ids if c not in coders]
    if missing:
        raise ValidationError(f"There is no coder with id {missing[0]} in this project.")
    query = select(Coding.document_id, Coding.node_id, Coding.start, Coding.end, Coding.coder_id).where(
        Coding.coder_id.in_(coder_ids))
    if node_ids is not None:
        query = query.where(Coding.node_id.in_(node_ids))
    if document_ids is not None:
        query = query.where(Coding.document_id.in_(document_ids))
    grouped: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for doc_id, node_id, start, end, coder_id in session.execute(query).tuples():
        grouped.setdefault((doc_id, node_id), []).append((start, end, coder_id))
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_({k[0] for k in grouped})))}
    node_rows = {n.id: n for n in session.scalars(select(Node).where(Node.id.in_({k[1] for k in grouped})))}
    decisions = standing_decisions(session)
    places: list[Disagreement] = []
    for (doc_id, node_id), spans in grouped.items():
        doc, node = docs[doc_id], node_rows[node_id]
        for cluster in _clusters(spans):
            versions = tuple(Version(c, coders[c], tuple(sorted({(s, e) for s, e, who in cluster if who == c})))
                             for c in coder_ids)
            if len({v.spans for v in versions}) == 1:
                continue  # every coder coded exactly the same
            start, end = min(s for s, _, _ in cluster), max(e for _, e, _ in cluster)
            key = f"{doc.uid}:{node.uid}:{start}-{end}"
            places.append(Disagreement(key, doc_id, doc.name, node_id, node.name, start, end, versions,
                                       *_context(doc.text, start, end, context), decisions.get(key)))
    places.sort(key=lambda p: (p.document.casefold(), p.document_id, p.start, p.node.casefold()))
    return places


def _union(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def resolve_disagreement(
    session: Session,
    *,
    place: Disagreement,
    decision: Decision | str,
    accepted_coder_id: int | None = None,
    consensus: str | None = CONSENSUS,
    reviewer_id: int | None = None,
) -> Change:
    """Record the reviewer's decision on a place; with `consensus`, also as that coder's codings."""
    choice = decision if isinstance(decision, Decision) else parse_enum(Decision, decision, "decision")
    if choice is Decision.ACCEPT:
        if accepted_coder_id is None or all(v.coder_id != accepted_coder_id for v in place.versions):
            raise ValidationError("Say whose version is accepted: one of the coders compared here.")
        spans = list(place.version(accepted_coder_id).spans)
        label = f"accept {place.version(accepted_coder_id).coder}"
    elif choice is Decision.BOTH:
        spans = _union([span for version in place.versions for span in version.spans])
        label = "both"
    else:
        spans = []
        label = "neither"
    consensus_name = clean_name(consensus, "coder", max_length=200) if consensus else None
    if consensus_name and any(v.coder.casefold() == consensus_name.casefold() for v in place.versions):
        raise ValidationError(f"'{consensus_name}' is one of the coders being compared: record the consensus "
                              "under another name.")
    existing = session.scalar(select(Coder.id).where(Coder.name == consensus_name)) if consensus_name else None

    def run(rec: Recorder) -> int | None:
        if consensus_name is None:
            return None
        consensus_id = existing if existing is not None else int(rec.insert(Coder, name=consensus_name,
                                                                             color="#7f7f7f"))
        earlier = session.scalars(select(Coding.id).where(
            Coding.coder_id == consensus_id, Coding.document_id == place.document_id,
            Coding.node_id == place.node_id, Coding.start < place.end, Coding.end > place.start)).all()
        delete_coding_rows(rec, list(earlier))
        for start, end in spans:
            rec.insert(Coding, document_id=place.document_id, start=start, end=end, node_id=place.node_id,
                       coder_id=consensus_id)
        return consensus_id

    details = {"place": place.key, "decision": label, "document": place.document, "node": place.node,
               "start": place.start, "end": place.end, "consensus": consensus_name,
               "versions": {v.coder: [list(s) for s in v.spans] for v in place.versions}}
    title = f"Review '{place.node}' in {place.document}: {label}"
    return Command(title, run, action=ACTION, details=details, coder_id=reviewer_id).apply(session)
