"""Bulk import into a real project file: per-file transactions, duplicates, cancel, speakers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import ValidationError
from qualcode.domain.progress import RecordingProgress
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services.cases import cases as case_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.coding import speakers as speaker_service
from qualcode.services.commands import UndoStack
from qualcode.services.importing.importing import (
    ImportOptions,
    ImportStatus,
    file_id,
    import_document,
    import_files,
    preview_file,
)
from qualcode.store.models import Case, Document, Turn
from qualcode.store.project import Project
from tests.filemakers import write_docx, write_vtt

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(project: Project, model: type) -> int:
    with project.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_bad_file_is_reported_and_the_rest_land(project: Project, tmp_path: Path) -> None:
    good1 = write(tmp_path / "P1.txt", "I: Hello?\nR: Hi there.")
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a word document at all")
    good2 = write_docx(tmp_path / "P2.docx", ["I: Tell me more.", "R: Well, Zoë said so."])
    progress = RecordingProgress()
    report = import_files(project, paths=[good1, bad, good2], progress=progress)
    assert [o.status for o in report.outcomes] == [ImportStatus.IMPORTED, ImportStatus.FAILED, ImportStatus.IMPORTED]
    assert report.failed[0].message.startswith("'broken.docx': is not a .docx file")
    assert report.summary() == "2 imported, 1 failed."
    assert progress.updates == [(0, 3, "Importing P1.txt"), (1, 3, "Importing broken.docx"),
                                (2, 3, "Importing P2.docx"), (3, 3, "Import finished")]
    with project.session() as session:
        docs = document_service.list_documents(session)
        assert [(d.name, d.source_filename) for d in docs] == [("P1", "P1.txt"), ("P2", "P2.docx")]
        assert document_service.document_text(session, docs[1].id) == "I: Tell me more.\nR: Well, Zoë said so."
        assert [(t.speaker, t.start, t.end) for t in document_service.list_turns(session, docs[0].id)] == \
            [("I", 3, 9), ("R", 13, 22)]


def test_duplicates_are_skipped_or_copied_as_the_caller_chooses(project: Project, tmp_path: Path) -> None:
    first = write(tmp_path / "a.txt", "I: Same words.\nR: Same answer.")
    again = write(tmp_path / "b.txt", "I: Same words.\r\nR: Same answer.\r\n")  # same text once normalised
    report = import_files(project, paths=[first, again])
    assert [o.status for o in report.outcomes] == [ImportStatus.IMPORTED, ImportStatus.DUPLICATE]
    assert report.outcomes[1].message == "'b.txt' has the same text as 'a', already in the project: skipped."
    assert report.outcomes[1].duplicate_of == report.outcomes[0].document_id
    assert count(project, Document) == 1
    copied = import_files(project, paths=[again, first], options=ImportOptions(duplicates="copy"))
    assert [o.name for o in copied.outcomes] == ["b", "a (2)"]
    assert "(a copy of 'a')" in copied.outcomes[0].message
    assert count(project, Document) == 3


def test_cancel_stops_before_the_next_file_and_keeps_finished_ones(project: Project, tmp_path: Path) -> None:
    paths = [write(tmp_path / f"P{i}.txt", f"I: Question {i}?\nR: Answer {i}.") for i in range(5)]
    report = import_files(project, paths=paths, progress=RecordingProgress(cancel_after=2))
    assert report.cancelled
    assert [o.status for o in report.outcomes] == [ImportStatus.IMPORTED] * 2 + [ImportStatus.NOT_STARTED] * 3
    assert report.summary() == "2 imported, cancelled before 3 more."
    assert count(project, Document) == 2


def test_a_failure_while_storing_leaves_nothing_of_that_file(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path / "P1.txt", "I: Hello?\nR: Hi.")
    too_long = "P" * 400  # the case is created after the document and its turns
    with pytest.raises(ValidationError, match="The case name is too long"), project.session() as session:
        import_document(session, path=path, options=ImportOptions(speaker_cases={"R": too_long}))
    assert count(project, Document) == 0 and count(project, Turn) == 0 and count(project, Case) == 0
    report = import_files(project, paths=[path], options=ImportOptions(speaker_cases={"R": too_long}))
    assert report.failed[0].message.startswith("'P1.txt': The case name is too long")
    assert count(project, Document) == 0


def test_speakers_map_to_cases_with_file_id_placeholders(project: Project, tmp_path: Path) -> None:
    one = write(tmp_path / "P01_wave1.txt", "Interviewer: Hi?\nR: Hello.\nInterviewer: And?\nR: More.")
    two = write(tmp_path / "P02-wave1.txt", "Interviewer: Hi?\nR: Hey.\nInterviewer: And?\nR: Less.")
    options = ImportOptions(speaker_cases={"R": "{id}"}, exclude_interviewer=True)
    report = import_files(project, paths=[one, two], options=options)
    with project.session() as session:
        listed = {c.name: c.document_ids for c in case_service.list_cases(session)}
        assert listed == {"P01": (report.document_ids[0],), "P02": (report.document_ids[1],)}
        first = report.document_ids[0]
        assert speaker_service.speakers_of(session, first) == ["Interviewer", "P01"]
        assert speaker_service.interviewer_speakers(session, first) == {"Interviewer"}
        text = document_service.document_text(session, first)
        kept = speaker_service.without_interviewer(session, document_id=first, start=0, end=len(text))
        assert [text[s.start : s.end].strip() for s in kept] == ["Interviewer:", "R: Hello.\nInterviewer:",
                                                                 "R: More."]


def test_an_existing_case_is_reused_not_duplicated(project: Project, tmp_path: Path) -> None:
    with project.session() as session:
        case_service.create_case(session, name="P7")
    path = write(tmp_path / "x.txt", "I: Hi?\nR: Hello.")
    import_files(project, paths=[path], options=ImportOptions(speaker_cases={"R": "p7"}))
    assert count(project, Case) == 1
    with project.session() as session:
        assert case_service.list_cases(session)[0].document_ids == (1,)


def test_autocode_speakers_codes_every_turn_once(project: Project, tmp_path: Path) -> None:
    with project.session() as session:
        coder = coder_service.ensure_coder(session, "ana")
    paths = [write(tmp_path / f"{n}.txt", "I: One?\nR: Two.\nI: Three?") for n in ("a", "b")]
    paths[1].write_text("I: Other?\nR: Words.", encoding="utf-8")
    import_files(project, paths=paths, options=ImportOptions(autocode_speakers=True, coder_id=coder.id))
    with project.session() as session:
        nodes = {n.name: n.id for n in node_service.list_nodes(session)}
        assert set(nodes) == {"Speaker: I", "Speaker: R"}
        quotes = [c.text for c in coding_service.codings_of_node(session, nodes["Speaker: I"])]
        assert sorted(quotes) == ["One?", "Other?", "Three?"]


def test_autocode_needs_a_coder(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "I: One?\nR: Two.")
    report = import_files(project, paths=[path], options=ImportOptions(autocode_speakers=True))
    assert report.failed[0].message == \
        "'a.txt': Auto-coding speakers needs a coder: choose who the codings belong to."


def test_every_import_step_can_be_undone(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path / "P01.txt", "I: One?\nR: Two.\nI: Three?\nR: Four.")
    stack = UndoStack()
    with project.session() as session:
        outcome = import_document(session, path=path, options=ImportOptions(
            speaker_cases={"R": "{id}"}, exclude_interviewer=True))
        for change in outcome.changes:
            stack.push(change)
    with project.session() as session:
        while stack.can_undo:
            stack.undo(session)
    assert count(project, Document) == 0 and count(project, Case) == 0 and count(project, Turn) == 0


def test_subtitle_turns_keep_their_times(project: Project, tmp_path: Path) -> None:
    path = write_vtt(tmp_path / "call.vtt", [("00:00:01.000", "00:00:02.000", "Hannah: Hello?"),
                                             ("00:00:02.500", "00:00:04.000", "Carol: Hi, Hannah.")], voice_tags=True)
    report = import_files(project, paths=[path])
    with project.session() as session:
        turns = document_service.list_turns(session, report.document_ids[0])
    assert [(t.speaker, t.timestamp) for t in turns] == [("Hannah", 1.0), ("Carol", 2.5)]


def test_preview_lists_speakers_and_suggests_the_interviewer() -> None:
    preview = preview_file(SAMPLES / "LW01_interview_wave1.txt")
    assert preview.format == "txt" and preview.encoding == "utf-8"
    assert [(s.speaker, s.turns, s.interviewer) for s in preview.speakers] == [("I", 23, True), ("R", 22, False)]
    assert preview.words > 1500
    assert preview.first_lines[0].startswith("Linkways Social Prescribing Evaluation")


def test_the_sample_transcripts_import_with_their_speakers(project: Project) -> None:
    paths = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".docx", ".vtt"))
    report = import_files(project, paths=paths)
    assert len(report.imported) == 6
    speakers = {o.name: o.speakers for o in report.outcomes}
    assert speakers == {
        "LW01_interview_wave1": ("I", "R"), "LW02_interview_wave1": ("Interviewer", "LW02"),
        "P01_interview_wave1": ("INTERVIEWER", "DENNIS"), "P02_interview_wave1": ("Hannah Fielding", "Carol Whitby"),
        "P03_followup_wave2": ("Speaker 1", "Speaker 2"), "P04_interview_wave1": ("Interviewer", "Amira Haddad"),
    }
    assert all(1500 <= len(p.read_text("utf-8").split()) <= 3000 for p in (SAMPLES / "source").iterdir())


def test_file_ids() -> None:
    assert [file_id(Path(p)) for p in ("P03_interview.docx", "LW01-wave 1.txt", "Dennis.vtt")] == \
        ["P03", "LW01", "Dennis"]
