"""Case sheets into a real project: cases, typed attributes, document links, unmatched rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.domain.enums import AttributeType
from qualcode.domain.errors import QualCodeError, ValidationError
from qualcode.services import documents as document_service
from qualcode.services.cases import cases as case_service
from qualcode.services.cases.case_sheets import CaseSheetOptions, import_case_sheet, preview_case_sheet
from qualcode.services.commands import UndoStack
from qualcode.store.models import Attribute, AttributeValue, Case, case_document
from qualcode.store.project import Project
from tests.filemakers import write_xlsx

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"


@pytest.fixture
def with_documents(project: Project) -> Project:
    with project.session() as session:
        for name, source in [("P01_interview_wave1", "P01_interview_wave1.docx"), ("P02 wave 1", "p02.vtt"),
                             ("LW01_interview_wave1", "LW01_interview_wave1.txt"), ("P010 other", "x.txt")]:
            document_service.add_document(session, name=name, text=f"Text of {name}.", source_filename=source)
    return project


def links(project: Project) -> dict[str, list[str]]:
    with project.session() as session:
        names = {d.id: d.name for d in document_service.list_documents(session)}
        return {c.name: [names[d] for d in c.document_ids] for c in case_service.list_cases(session) if c.document_ids}


def test_sample_participants_sheet(with_documents: Project) -> None:
    with with_documents.session() as session:
        change = import_case_sheet(session, path=SAMPLES / "participants.csv")
        result = change.result
        assert result.created == ("LW01", "LW02", "LW03", "P01", "P02", "P03", "P04", "P05", "P06")
        assert [(c.name, c.type) for c in result.columns] == [
            ("site", AttributeType.CATEGORY), ("gender", AttributeType.CATEGORY), ("age", AttributeType.NUMBER),
            ("role", AttributeType.CATEGORY), ("months_in_role", AttributeType.NUMBER),
            ("interview_wave", AttributeType.NUMBER)]
        assert result.unmatched == ("LW02", "LW03", "P03", "P04", "P05", "P06")
        p01 = next(c for c in case_service.list_cases(session) if c.name == "P01")
        assert case_service.attribute_values(session, case_id=p01.id) == {
            "site": "Northgate", "gender": "male", "age": "70", "role": "patient", "interview_wave": "1"}
    # "P01" is a word of "P01_interview_wave1" but not of "P010 other"
    assert links(with_documents) == {"LW01": ["LW01_interview_wave1"], "P01": ["P01_interview_wave1"],
                                     "P02": ["P02 wave 1"]}


def test_type_override_and_preview(with_documents: Project, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("participant,wave,joined\nP01,1,2024-03-01\nP02,2,01/04/2024\n", encoding="utf-8")
    with with_documents.session() as session:
        preview = preview_case_sheet(session, path=path, options=CaseSheetOptions(types={"wave": "category"}))
        assert preview.id_column == "participant"
        assert [(c.name, c.type, c.overridden) for c in preview.columns] == [
            ("wave", AttributeType.CATEGORY, True), ("joined", AttributeType.DATE, False)]
        import_case_sheet(session, path=path, options=CaseSheetOptions(types={"Wave": "category"}))
        p02 = next(c for c in case_service.list_cases(session) if c.name == "P02")
        assert case_service.attribute_values(session, case_id=p02.id) == {"wave": "2", "joined": "2024-04-01"}


def test_link_by_file_column_and_by_pattern(with_documents: Project, tmp_path: Path) -> None:
    sheet = tmp_path / "p.csv"
    sheet.write_text("id,transcript\nA,P01_interview_wave1.docx; p02.vtt\nB,missing.docx\n", encoding="utf-8")
    with with_documents.session() as session:
        result = import_case_sheet(session, path=sheet, options=CaseSheetOptions(file_column="transcript")).result
        assert result.links == 2 and result.unmatched == ("B",)
        assert "transcript" not in [c.name for c in result.columns]
    assert links(with_documents) == {"A": ["P01_interview_wave1", "P02 wave 1"]}
    other = tmp_path / "q.csv"
    other.write_text("code,site\nLW01,North\n", encoding="utf-8")
    with with_documents.session() as session:
        import_case_sheet(session, path=other, options=CaseSheetOptions(pattern="{code}_*"))
    assert links(with_documents)["LW01"] == ["LW01_interview_wave1"]


def test_xlsx_sheet_with_dates_and_numbers(with_documents: Project, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [["id", "age", "interviewed"], ["P01", 70, datetime(2024, 4, 2)],
                                             ["P02", 45.0, datetime(2024, 3, 28)]])
    with with_documents.session() as session:
        result = import_case_sheet(session, path=path).result
        assert [(c.name, c.type) for c in result.columns] == [("age", AttributeType.NUMBER),
                                                              ("interviewed", AttributeType.DATE)]
        p02 = next(c for c in case_service.list_cases(session) if c.name == "P02")
        assert case_service.attribute_values(session, case_id=p02.id) == {"age": "45", "interviewed": "2024-03-28"}


def test_reimport_updates_instead_of_duplicating(with_documents: Project, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,age\nP01,70\n", encoding="utf-8")
    with with_documents.session() as session:
        import_case_sheet(session, path=path)
    path.write_text("id,age\nP01,71\nP02,45\n", encoding="utf-8")
    with with_documents.session() as session:
        result = import_case_sheet(session, path=path).result
        assert result.created == ("P02",) and result.updated == ("P01",) and result.links == 1
        assert session.scalar(select(func.count()).select_from(Case)) == 2
        assert session.scalar(select(func.count()).select_from(Attribute)) == 1
        p01 = next(c for c in case_service.list_cases(session) if c.name == "P01")
        assert case_service.attribute_values(session, case_id=p01.id) == {"age": "71"}


def test_a_bad_cell_names_row_and_column_and_writes_nothing(with_documents: Project, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,age\nP01,70\nP02,forty\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught, with_documents.session() as session:
        import_case_sheet(session, path=path, options=CaseSheetOptions(types={"age": "number"}))
    assert str(caught.value) == "'p.csv' row 3, column 'age': 'age' takes numbers; 'forty' is not a number."
    with with_documents.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Attribute)) == 0


def test_mismatched_columns_and_repeated_cases_are_refused(with_documents: Project, tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("id,age\nP01,70,extra\n", encoding="utf-8")
    (tmp_path / "twice.csv").write_text("id,age\nP01,70\np01,71\n", encoding="utf-8")
    for name, message in [("bad.csv", "'bad.csv': row 2 has 3 cells"),
                          ("twice.csv", "'twice.csv' rows 2 and 3 both describe 'p01'")]:
        with pytest.raises(QualCodeError, match=message), with_documents.session() as session:
            import_case_sheet(session, path=tmp_path / name)
    with with_documents.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_unknown_column_options(with_documents: Project) -> None:
    with pytest.raises(ValidationError, match="has no column 'file'"), with_documents.session() as session:
        import_case_sheet(session, path=SAMPLES / "participants.csv", options=CaseSheetOptions(file_column="file"))


def test_import_is_one_undoable_step(with_documents: Project) -> None:
    stack = UndoStack()
    with with_documents.session() as session:
        stack.push(import_case_sheet(session, path=SAMPLES / "participants.csv"))
    with with_documents.session() as session:
        stack.undo(session)
        for model in (Case, Attribute, AttributeValue, case_document):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        stack.redo(session)
        assert session.scalar(select(func.count()).select_from(Case)) == 9
