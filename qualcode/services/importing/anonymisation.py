"""Anonymising transcripts: propose pseudonyms, let the user review them, apply the accepted ones.

    load_terms(path) -> list[Term]                  the user's list (CSV: term, category, replacement)
    load_key(path) -> PseudonymKey                  a key exported earlier, to keep pseudonyms stable
    propose_anonymisation(session, *, document_ids=None, terms=(), key=None,
                          categories=None, progress=None) -> AnonymisationPlan
    apply_anonymisation(session, *, proposals, coder_id=None, progress=None) -> list[Change]
    keep_original(project) -> tuple[Path, str]      a backup kept for good before applying, and what to say
    export_key(key, path) -> Path                   written only when the user asks
    store_key_in_project(session, *, key, coder_id=None) -> Change   likewise

Proposals come from `qualcode.nlp.anonymise`; the same real name gets the same pseudonym
across all documents of one plan (and across plans when the earlier key is loaded).
Applying goes through `edit_document_text`, the single text-edit operation, once per
accepted proposal, so codings, turns and CMO evidence stay anchored to the same words.
The removed words are kept out of the audit trail; speaker labels of turns that named a
replaced person take the pseudonym too. The key (real name -> pseudonym) is never
written into the project unless `store_key_in_project` is called.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.io.casesheet import read_sheet
from qualcode.io.files import atomic_output
from qualcode.nlp.anonymise import PseudonymKey, Term, find_identifiers, normalise_name
from qualcode.services import documents as document_service
from qualcode.services import memos as memo_service
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Document, Turn
from qualcode.store.project import Project

KEY_MEMO_TITLE = "Anonymisation key"
CONTEXT = 40


@dataclass(frozen=True)
class Proposal:
    id: int
    document_id: int
    document_name: str
    start: int
    end: int
    original: str
    category: str
    pseudonym: str
    source: str  # "list", "pattern" or "entity"
    context: str  # the words around it, for review
    accepted: bool = True


@dataclass(frozen=True)
class AnonymisationPlan:
    proposals: tuple[Proposal, ...]
    key: PseudonymKey

    def decide(self, *, rejected: Iterable[int] = (), accepted: Iterable[int] | None = None) -> AnonymisationPlan:
        """The plan with these proposal ids rejected (or only these accepted)."""
        rejected_ids = set(rejected)
        keep = set(accepted) if accepted is not None else None
        return AnonymisationPlan(tuple(
            replace(p, accepted=(p.id not in rejected_ids) and (keep is None or p.id in keep))
            for p in self.proposals), self.key)

    @property
    def accepted(self) -> list[Proposal]:
        return [p for p in self.proposals if p.accepted]


def load_terms(path: str | Path) -> list[Term]:
    """The user's names and places: a .csv/.xlsx with columns term[, category[, replacement]]."""
    sheet = read_sheet(path)
    columns = [c.lower() for c in sheet.header]
    if "term" not in columns:
        raise ValidationError(f"'{Path(path).name}' needs a 'term' column (and optionally 'category', 'replacement').")
    index = {name: columns.index(name) for name in ("term", "category", "replacement") if name in columns}
    terms = []
    for row in sheet.rows:
        value = row[index["term"]]
        if value is None:
            continue
        category = str(row[index["category"]] or "person").strip().lower() if "category" in index else "person"
        replacement = str(row[index["replacement"]]).strip() if "replacement" in index and row[
            index["replacement"]] is not None else None
        terms.append(Term(str(value).strip(), category, replacement or None))
    return terms


def load_key(path: str | Path) -> PseudonymKey:
    """A key written by `export_key`, so new proposals reuse its pseudonyms."""
    sheet = read_sheet(path)
    if [c.lower() for c in sheet.header[:3]] != ["category", "original", "pseudonym"]:
        raise ValidationError(f"'{Path(path).name}' is not an anonymisation key (columns category, original, "
                              "pseudonym).")
    key = PseudonymKey()
    for category, original, pseudonym, *_ in sheet.rows:
        if original is not None and pseudonym is not None:
            key.learn(str(category or "person"), str(original), str(pseudonym))
    return key


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT) : start].split("\n")[-1]
    after = text[end : end + CONTEXT].split("\n")[0]
    return f"{before}[[{text[start:end]}]]{after}"


def propose_anonymisation(
    session: Session,
    *,
    document_ids: Sequence[int] | None = None,
    terms: Sequence[Term] = (),
    key: PseudonymKey | None = None,
    categories: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> AnonymisationPlan:
    """Identifying spans with pseudonyms, for review. Nothing is changed."""
    progress = progress or NullProgress()
    key = key if key is not None else PseudonymKey()
    if document_ids is None:
        document_ids = list(session.scalars(select(Document.id).order_by(func.lower(Document.name), Document.id)))
    chosen = list(categories) if categories is not None else None
    proposals: list[Proposal] = []
    for done, document_id in enumerate(document_ids):
        check_cancelled(progress)
        doc = require(session, Document, document_id, "document")
        progress.update(done, len(document_ids), f"Searching {doc.name}")
        for finding in find_identifiers(doc.text, terms=terms, categories=chosen):
            pseudonym = key.pseudonym(finding.category, finding.text, finding.replacement)
            proposals.append(Proposal(len(proposals) + 1, doc.id, doc.name, finding.start, finding.end,
                                      finding.text, finding.category, pseudonym, finding.source,
                                      _context(doc.text, finding.start, finding.end)))
    progress.update(len(document_ids), len(document_ids), "Proposals ready")
    return AnonymisationPlan(tuple(proposals), key)


def apply_anonymisation(
    session: Session,
    *,
    proposals: Sequence[Proposal],
    coder_id: int | None = None,
    progress: Progress | None = None,
) -> list[Change]:
    """Replace each accepted proposal's words by its pseudonym (one text edit each)."""
    progress = progress or NullProgress()
    accepted = [p for p in proposals if p.accepted]
    by_document: dict[int, list[Proposal]] = {}
    for proposal in accepted:
        by_document.setdefault(proposal.document_id, []).append(proposal)
    for document_id, items in by_document.items():
        doc = require(session, Document, document_id, "document")
        items.sort(key=lambda p: p.start)
        for previous, current in itertools.pairwise(items):
            if current.start < previous.end:
                raise ValidationError(f"'{doc.name}': proposals {previous.id} and {current.id} overlap; "
                                      "reject one of them.")
        for item in items:
            if doc.text[item.start : item.end] != item.original:
                raise ValidationError(f"'{doc.name}' has changed since the proposals were made: "
                                      "search for identifiers again.")
    # Deleted text is overwritten on disk, not left in free pages of the project file. (On a
    # team server old row versions stay in its files until VACUUM: see the README.)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete=ON"))
    changes: list[Change] = []
    for done, (document_id, items) in enumerate(by_document.items()):
        check_cancelled(progress)
        progress.update(done, len(by_document), f"Anonymising {items[0].document_name}")
        for item in sorted(items, key=lambda p: p.start, reverse=True):  # from the end: offsets stay valid
            changes.append(document_service.edit_document_text(
                session, document_id=document_id, start=item.start, end=item.end, replacement=item.pseudonym,
                coder_id=coder_id, reason="anonymise", audit_removed_text=False))
        renamed = _rename_speakers(session, document_id, items, coder_id)
        if renamed is not None:
            changes.append(renamed)
    progress.update(len(by_document), len(by_document), "Anonymised")
    return changes


def _rename_speakers(session: Session, document_id: int, items: Sequence[Proposal],
                     coder_id: int | None) -> Change | None:
    """Speaker labels that are a replaced name take its pseudonym ("DENNIS" -> "[Person 1]")."""
    names = {normalise_name(p.original): p.pseudonym for p in items}
    turns = session.execute(select(Turn.id, Turn.speaker).where(Turn.document_id == document_id)).all()
    renames = [(turn_id, names[normalise_name(speaker)]) for turn_id, speaker in turns
               if normalise_name(speaker) in names]
    if not renames:
        return None

    def run(rec: Recorder) -> int:
        for turn_id, pseudonym in renames:
            rec.update(Turn, turn_id, speaker=pseudonym)
        return len(renames)

    return Command("Anonymise speaker labels", run, action="anonymise speakers",
                   details={"document_id": document_id, "turns": len(renames)}, coder_id=coder_id).apply(session)


def key_csv(key: PseudonymKey) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["category", "original", "pseudonym"])
    writer.writerows(key.rows())
    return buffer.getvalue()


def export_key(key: PseudonymKey, path: str | Path) -> Path:
    """Write the key to a CSV file of its own, readable by its owner only (it holds real
    names), atomically: the file appears whole or not at all."""
    with atomic_output(path, private=True) as temp:
        temp.write_text(key_csv(key), encoding="utf-8", newline="")
    return Path(path).expanduser().absolute()


def store_key_in_project(session: Session, *, key: PseudonymKey, coder_id: int | None = None) -> Change:
    """Keep the key inside the project as a project memo (only when the user asks for it)."""
    return memo_service.add_memo(session, target_type="project", title=KEY_MEMO_TITLE, text=key_csv(key),
                                 coder_id=coder_id)


def keep_original(project: Project) -> tuple[Path, str]:
    """Keep a copy of the project as it is before anonymising (rotating backups are gone after
    a few opens); return it and the note that tells the user where it is and what it holds."""
    backup = project.keep_backup("anonymisation")
    return backup, (
        f"A copy of the project from before anonymisation is kept at {backup}. "
        "It still holds the original names: keep it as safe as the key, or delete it."
    )
