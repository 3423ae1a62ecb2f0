"""The search index follows every change of document text: edits, anonymisation, undo and redo."""

from __future__ import annotations

from qualcode.services.commands import Command, Recorder, UndoStack
from qualcode.services.documents import document_text, edit_document_text
from qualcode.services.queries.search import search_text
from qualcode.store import fulltext
from qualcode.store.models import Document
from tests.analysis.study import Study


def _hits(study: Study, query: str) -> list[tuple[str, int, int, str]]:
    with study.project.session() as s:
        result = search_text(s, query=query)
        for hit in result.hits:
            assert document_text(s, hit.document_id)[hit.start : hit.end] == hit.matched
        assert fulltext.index_is_consistent(s)
    return [(h.document_name, h.start, h.end, h.matched) for h in result.hits]


def test_text_edit_moves_hits_and_undo_redo_restore_them(study: Study) -> None:
    stack = UndoStack()
    doc = study.documents["P1 interview"]
    start, end = study.span("P1 interview", "nurse")
    before_bus = _hits(study, "bus")
    with study.project.session() as s:
        stack.push(edit_document_text(s, document_id=doc, start=start, end=end, replacement="district midwife"))
    assert [h[0] for h in _hits(study, "nurse")] == ["P2 follow-up", "P3 interview"]
    assert _hits(study, '"district midwife"') == [("P1 interview", start, start + 16, "district midwife")]
    shifted = _hits(study, "bus")
    assert shifted[0][1] == before_bus[0][1] + len("district midwife") - len("nurse")
    with study.project.session() as s:
        stack.undo(s)
    assert _hits(study, "midwife") == []
    assert _hits(study, "bus") == before_bus
    with study.project.session() as s:
        stack.redo(s)
    assert [h[0] for h in _hits(study, "midwife")] == ["P1 interview"]


def test_anonymising_every_occurrence_keeps_search_in_step(study: Study) -> None:
    """Anonymisation replaces each occurrence of a name through the text-edit operation."""
    stack = UndoStack()
    with study.project.session() as s:
        for hit in reversed(search_text(s, query="nurse").hits):
            stack.push(edit_document_text(s, document_id=hit.document_id, start=hit.start, end=hit.end,
                                          replacement="[Person 1]", reason="anonymise"))
    assert _hits(study, "nurse") == []
    found = _hits(study, '"person 1"')
    assert [(name, text) for name, _, _, text in found] == [
        ("P1 interview", "Person 1"), ("P2 follow-up", "Person 1"), ("P3 interview", "Person 1")]
    with study.project.session() as s:
        while stack.can_undo:
            stack.undo(s)
    assert [h[0] for h in _hits(study, "nurse")] == ["P1 interview", "P2 follow-up", "P3 interview"]
    assert _hits(study, "person") == []


def test_rows_written_directly_by_a_command_are_indexed_and_undone(study: Study) -> None:
    """A command that rewrites the text row itself (as a bulk anonymiser may) and the row
    journal replayed by undo and redo both reach the index through the triggers."""
    doc = study.documents["P2 interview"]
    stack = UndoStack()

    def run(rec: Recorder) -> None:
        rec.update(Document, doc, text=study.text("P2 interview").replace("doctor", "clinician"))

    with study.project.session() as s:
        stack.push(Command("Anonymise", run, action="anonymise").apply(s))
    assert [h[0] for h in _hits(study, "clinician")] == ["P2 interview"]
    assert _hits(study, "doctor") == []
    with study.project.session() as s:
        stack.undo(s)
    assert [h[0] for h in _hits(study, "doctor")] == ["P2 interview"]
    assert _hits(study, "clinician") == []
    with study.project.session() as s:
        stack.redo(s)
    assert _hits(study, "doctor") == []
