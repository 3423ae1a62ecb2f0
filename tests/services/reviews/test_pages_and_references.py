"""Pages of an attached PDF follow edits of its text; an import is one undoable step; a
reference list with duplicates inside one file; screening rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import ValidationError
from qualcode.domain.references import ReferenceRecord
from qualcode.io.pdf import read_pdf, read_pdf_pages
from qualcode.services import coders, documents
from qualcode.services.cases import cases as case_service
from qualcode.services.reviews import fulltexts, references, screening, tables
from qualcode.store.models import AttributeValue, Case, Reference
from qualcode.store.project import Project
from tests.filemakers import write_paged_pdf

PAGES = [["A study of waiting", "Page one text about the clinic."],
         ["Page two begins here and tells of the long wait for a referral."],
         ["Page three holds the discussion."]]


def test_pdf_pages_are_found_in_the_same_text_read_pdf_gives(tmp_path: Path) -> None:
    path = write_paged_pdf(tmp_path / "paper.pdf", PAGES)
    paged = read_pdf_pages(path)
    assert paged.text == read_pdf(path)
    assert [label for label, _, _ in paged.pages()] == ["1", "2", "3"]
    assert [paged.text[start:end].strip() for _, start, end in paged.pages()] == [
        "A study of waiting\nPage one text about the clinic.",
        "Page two begins here and tells of the long wait for a referral.",
        "Page three holds the discussion."]


@pytest.fixture
def file_project(tmp_path: Path) -> Iterator[Project]:
    """A project file: coder copies and their merge work on files (a team project checks out instead)."""
    with Project.create(tmp_path / "study.qualcode", title="Study") as opened:
        yield opened


def _study(project: Project, tmp_path: Path) -> tuple[int, int]:
    with project.session() as session:
        record = ReferenceRecord(title="A study of waiting", authors=("Okafor, C.", "Lee, S."), year=2021)
        references.import_references(session, records=[record], database="Scopus")
        reference_id = references.list_references(session)[0].id
        document_id = fulltexts.attach_pdf(session, reference_id=reference_id,
                                           path=write_paged_pdf(tmp_path / "okafor.pdf", PAGES)).result
    return reference_id, document_id


def test_page_citations_follow_an_edit_of_the_text(project: Project, tmp_path: Path) -> None:
    _, document_id = _study(project, tmp_path)
    with project.session() as session:
        text = documents.document_text(session, document_id)
        start = text.index("the long wait")
        assert tables.cite_passage(session, document_id=document_id, start=start, end=start + 13) == (
            "(Okafor & Lee 2021, p. 2)")
        # Inserting a paragraph on page 1 moves every later page boundary with the text.
        edit = documents.edit_document_text(session, document_id=document_id, start=0, end=0,
                                            replacement="Preface added later.\n")
        moved = start + len("Preface added later.\n")
        assert documents.document_text(session, document_id)[moved:moved + 13] == "the long wait"
        assert tables.cite_passage(session, document_id=document_id, start=moved, end=moved + 13) == (
            "(Okafor & Lee 2021, p. 2)")
        edit.command.revert(session)  # type: ignore[union-attr]
        pages = fulltexts.document_pages(session, document_id)
        assert pages[1].start <= start < pages[1].end


def test_an_import_is_one_undoable_step_and_duplicates_within_a_file_are_caught(project: Project) -> None:
    records = [ReferenceRecord(title="Link workers: a review", authors=("Smith, J.",), year=2018, doi="10.1000/AB"),
               ReferenceRecord(title="Link Workers — A Review", authors=("Smith, J.",), year=2018),
               ReferenceRecord(title="Other paper", authors=("Smith, J.",), year=2018, doi="https://doi.org/10.1000/ab"),
               ReferenceRecord(title="Another paper", authors=("Smith, K.",), year=2018)]
    with project.session() as session:
        change = references.import_references(session, records=records, database="Scopus")
        result = change.result
        assert result.imported == ("Smith 2018", "Smith 2018a")
        assert [(d.reason, d.kept_as) for d in result.duplicates] == [("title+year", "Smith 2018"),
                                                                       ("doi", "Smith 2018")]
        change.command.revert(session)  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(Reference)) == 0
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(AttributeValue)) == 0


def test_screening_rules_reasons_stages_and_duplicates(project: Project, tmp_path: Path) -> None:
    reference_id, _ = _study(project, tmp_path)
    with project.session() as session:
        ana = coders.ensure_coder(session, "Ana").id
        with pytest.raises(ValidationError, match="has not passed title/abstract screening \\(pending\\)"):
            screening.decide(session, reference_id=reference_id, stage="ft", decision="include", coder_id=ana)
        screening.decide(session, reference_id=reference_id, stage="ta", decision="include", coder_id=ana)
        with pytest.raises(ValidationError, match="A full-text exclusion needs a reason"):
            screening.decide(session, reference_id=reference_id, stage="ft", decision="exclude", coder_id=ana)
        with pytest.raises(ValidationError, match="Unknown screening decision 'maybe': use one of include, exclude"):
            screening.decide(session, reference_id=reference_id, stage="ta", decision="maybe", coder_id=ana)
        screening.decide(session, reference_id=reference_id, stage="ft", decision="exclude", reason="no data",
                         coder_id=ana)
        assert screening.screening_status(session) == {reference_id: "full text: excluded"}
        # Changing one's mind replaces the decision rather than adding a second one.
        screening.decide(session, reference_id=reference_id, stage="ft", decision="include", coder_id=ana)
        assert screening.screening_status(session) == {reference_id: "full text: included"}
        assert len(screening.decisions(session, stage="ft")) == 1


def test_deleting_a_study_case_keeps_its_record_and_undo_restores_the_link(project: Project, tmp_path: Path) -> None:
    reference_id, _ = _study(project, tmp_path)
    with project.session() as session:
        case_id = references.get_reference(session, reference_id).case_id
        assert case_id is not None
        change = case_service.delete_case(session, case_id=case_id)
        assert references.get_reference(session, reference_id).case_id is None
        change.command.revert(session)  # type: ignore[union-attr]
        assert references.get_reference(session, reference_id).case_id == case_id


def test_a_blind_coder_copy_keeps_only_that_screeners_decisions(file_project: Project, tmp_path: Path) -> None:
    project = file_project
    from qualcode.services.teamwork.distribute import export_coder_copy

    reference_id, _ = _study(project, tmp_path)
    with project.session() as session:
        for name, decision in (("Ana", "include"), ("Ben", "exclude")):
            coder = coders.ensure_coder(session, name).id
            screening.decide(session, reference_id=reference_id, stage="ta", decision=decision, coder_id=coder)
    project.close()
    export_coder_copy(project.path, tmp_path / "ben.qualcode", coder_name="Ben", blind=True)
    with Project.open(tmp_path / "ben.qualcode") as copy, copy.session() as session:
        assert [(d.coder, d.decision.value) for d in screening.decisions(session)] == [("Ben", "exclude")]
        assert len(references.list_references(session)) == 1


def test_a_pdf_attached_in_a_coder_copy_keeps_its_pages_when_merged(file_project: Project, tmp_path: Path) -> None:
    project = file_project
    from qualcode.services.teamwork.distribute import export_coder_copy
    from qualcode.services.teamwork.merge import merge_files

    with project.session() as session:
        record = ReferenceRecord(title="A study of waiting", authors=("Okafor, C.", "Lee, S."), year=2021)
        references.import_references(session, records=[record], database="Scopus")
    project.close()
    copy = tmp_path / "ana.qualcode"
    export_coder_copy(project.path, copy, coder_name="Ana")
    with Project.open(copy) as theirs, theirs.session() as session:
        reference_id = references.list_references(session)[0].id
        fulltexts.attach_pdf(session, reference_id=reference_id, path=write_paged_pdf(tmp_path / "okafor.pdf", PAGES))
    merge_files(project.path, [copy], output=tmp_path / "merged.qualcode")
    with Project.open(tmp_path / "merged.qualcode") as merged, merged.session() as session:
        (document,) = documents.list_documents(session)
        text = documents.document_text(session, document.id)
        start = text.index("the long wait")
        assert [p.label for p in fulltexts.document_pages(session, document.id)] == ["1", "2", "3"]
        assert tables.cite_passage(session, document_id=document.id, start=start, end=start + 13) == (
            "(Okafor & Lee 2021, p. 2)")
