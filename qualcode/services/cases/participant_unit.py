"""Which cases are participants, so "participants" counts people, not combinations of case names.

Documents are linked to cases of different kinds: a participant ("P01"), a site ("Site A"), a
study. Counting distinct *combinations* of linked case names counts an interview linked to
"P01, Site A" and a follow-up linked to "P01" as two participants; counting distinct
participant *cases* counts P01 once, and a joint interview of P03 and P04 as P03 and P04.

The participant cases are the ones the user names (`unit`), or else, by rule, every case
except those that group other cases' documents (a site, a study): a case each of whose
documents is also linked to another case, where no single other case is linked to all of
them. So "Site A" over P01's and P02's interviews groups them, while P01, whose interview is
also linked to Site A, and P03 and P04, sharing a joint interview, stay participants. (A site
with one participant's documents only cannot be told from a participant by this rule: name
the participant cases then.) A
document linked to no participant case counts as one participant of its own (it is listed by
its document name). `note()` says which cases counted, for the output's notes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError
from qualcode.store.models import Case, Document, case_document


@dataclass(frozen=True)
class ParticipantUnit:
    """Per document, the participants it counts for; which cases count and which do not."""

    by_document: dict[int, frozenset[str]]
    counted: tuple[str, ...]  # participant cases, by name
    grouping: tuple[str, ...]  # cases left out: they group other cases' documents (or were not chosen)
    chosen: bool  # the user named the participant cases

    def count(self, documents: Iterable[int]) -> int:
        """Distinct participants over `documents`."""
        people: set[str] = set()
        for document_id in documents:
            people |= self.by_document.get(document_id, frozenset())
        return len(people)

    def note(self) -> str:
        how = "the cases chosen as participants" if self.chosen else "participant cases"
        text = (f"Participants: distinct {how} ({_listed(self.counted)}), each counted once however many of its "
                "documents are coded; a document linked to no participant case counts as one participant.")
        if self.grouping:
            reason = "not chosen" if self.chosen else "they group other cases' documents"
            text += f" Not counted as participants ({reason}): {_listed(self.grouping)}."
        return text


def _listed(names: Collection[str], limit: int = 12) -> str:
    if not names:
        return "none"
    shown = ", ".join(list(names)[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def participant_unit(session: Session, unit: Collection[int] | None = None) -> ParticipantUnit:
    """The participant cases (`unit`: the case ids the user marks as participants, else by rule)."""
    names = dict(session.execute(select(Case.id, Case.name)).tuples().all())
    links: dict[int, set[int]] = {}  # document -> cases
    for case_id, document_id in session.execute(select(case_document.c.case_id, case_document.c.document_id)):
        links.setdefault(document_id, set()).add(case_id)
    if unit is not None:
        missing = set(unit) - set(names)
        if missing:
            raise NotFoundError(f"There is no case with id {min(missing)} in this project.")
        participants = set(unit)
    else:
        participants = set(names) - _grouping_cases(links)
    documents = dict(session.execute(select(Document.id, Document.name)).tuples().all())
    by_document = {}
    for document_id, document_name in documents.items():
        people = frozenset(names[c] for c in links.get(document_id, set()) if c in participants)
        by_document[document_id] = people or frozenset({f"document {document_name}"})
    order = sorted(names, key=lambda c: names[c].casefold())
    linked = set().union(*links.values()) if links else set()
    return ParticipantUnit(
        by_document,
        tuple(names[c] for c in order if c in participants),
        tuple(names[c] for c in order if c not in participants and c in linked),
        unit is not None,
    )


def _grouping_cases(links: dict[int, set[int]]) -> set[int]:
    documents_of: dict[int, set[int]] = {}
    for document_id, cases in links.items():
        for case_id in cases:
            documents_of.setdefault(case_id, set()).add(document_id)
    grouping = set()
    for case_id, documents in documents_of.items():
        others = [links[d] - {case_id} for d in documents]
        if all(others) and not set.intersection(*others):
            grouping.add(case_id)
    return grouping
