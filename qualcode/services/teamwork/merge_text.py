"""Taking a coder's corrected text of a document after a merge kept the base's.

A merge keeps the base's text of a document matched by uid and lists the difference as a
conflict. Taking the incoming text instead goes through the one text-edit operation
(`edit_document_text`), one edit per changed stretch from the end of the text backwards, so
every coding, turn and piece of CMO evidence on the document moves with its words.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError
from qualcode.domain.realign import Alignment
from qualcode.services.documents import edit_document_text
from qualcode.services.teamwork.merge_report import MergeReport, TextDifference
from qualcode.store.models import Document

ALL = "*"


REASON = "take the merged copy's text"


def planned_edits(session: Session, *, document_id: int, text: str) -> list[tuple[int, int, str]]:
    """The edits (start, end, replacement) that turn the document's text into `text`, last
    first, so each applies to the text the previous ones left."""
    current = session.scalar(select(Document.text).where(Document.id == document_id))
    if current is None:
        raise NotFoundError(f"There is no document with id {document_id} in this project.")
    return [(a1, a2, text[b1:b2]) for a1, a2, b1, b2 in reversed(Alignment.of(current, text).differences())]


def document_id_of(session: Session, difference: TextDifference) -> int:
    document_id = session.scalar(select(Document.id).where(Document.uid == difference.document_uid))
    if document_id is None:
        raise NotFoundError(f"The document '{difference.document}' is no longer in the project.")
    return int(document_id)


def take_incoming_text(session: Session, *, document_id: int, text: str, coder_id: int | None = None) -> int:
    """Make the document's text `text` through text edits (each its own undoable command);
    returns how many edits it took."""
    edits = planned_edits(session, document_id=document_id, text=text)
    for start, end, replacement in edits:
        edit_document_text(session, document_id=document_id, start=start, end=end, replacement=replacement,
                           coder_id=coder_id, reason=REASON)
    return len(edits)


def chosen_differences(report: MergeReport, names: Collection[str]) -> list[TextDifference]:
    """The text differences of `report` for the documents named (ALL: every one), last source winning.

    A name that is not among the differing documents is refused, naming it."""
    wanted = {" ".join(name.split()).casefold() for name in names}
    found: dict[str, TextDifference] = {}
    for source in report.sources:
        for difference in source.text_differences:
            if ALL in wanted or difference.document.casefold() in wanted:
                found[difference.document_uid] = difference
    missing = wanted - {ALL} - {d.document.casefold() for d in found.values()}
    if missing:
        listed = sorted({d.document for s in report.sources for d in s.text_differences})
        raise NotFoundError(f"'{sorted(missing)[0]}' is not a document whose text differs in this merge"
                            + (f" (those are: {', '.join(listed)})." if listed else " (no document's text differs)."))
    return list(found.values())


def take_texts(session: Session, differences: Sequence[TextDifference], coder_id: int | None = None) -> list[str]:
    """Take the incoming text of each difference; returns the names of the documents changed."""
    taken = []
    for difference in differences:
        document_id = document_id_of(session, difference)
        if take_incoming_text(session, document_id=document_id, text=difference.incoming_text, coder_id=coder_id):
            taken.append(difference.document)
    return taken
