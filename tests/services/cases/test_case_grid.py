"""The case sheet's services: the sheet as read, renaming and deleting attributes and setting a
case's documents, each one undoable step, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import pytest

from qualcode.domain.enums import AttributeType
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services.cases import cases
from qualcode.services.cases.case_grid import (
    CaseKind,
    delete_attribute,
    read_case_grid,
    rename_attribute,
    set_case_documents,
)
from qualcode.services.commands import UndoStack
from qualcode.store.project import Project
from tests.services.conftest import Ids, dump


def test_the_sheet_lists_cases_naturally_with_kinds_documents_values_and_choices(
        populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        p2 = cases.create_case(s, name="P2").result
        p10 = cases.create_case(s, name="P10").result
        cases.link_documents(s, case_id=p2, document_ids=[ids.p2_doc])
        site = cases.create_case(s, name="Site 2").result
        cases.link_documents(s, case_id=site, document_ids=[ids.p2_doc, ids.p1_doc])
        cases.set_attribute_value(s, attribute_id=ids.site, case_id=p2, value="Site 1")
        age = cases.create_attribute(s, name="age", type="number").result
        cases.set_attribute_value(s, attribute_id=age, case_id=p10, value="52")
        grid = read_case_grid(s)
    assert [r.name for r in grid.rows] == ["P1", "P2", "P10", "Site 2"]
    assert [r.kind for r in grid.rows] == [CaseKind.PARTICIPANT, CaseKind.PARTICIPANT, CaseKind.PARTICIPANT,
                                           CaseKind.SITE]
    assert [(c.name, c.type, c.choices) for c in grid.columns] == [
        ("age", AttributeType.NUMBER, ()), ("site", AttributeType.CATEGORY, ("Site 1", "Site 2"))]
    rows = {r.name: r for r in grid.rows}
    assert rows["P10"].values == {age: "52"} and rows["P1"].values == {ids.site: "Site 2"}
    assert grid.document_names(rows["Site 2"]) == "P1 interview, P2 interview"
    assert grid.document_names(rows["P10"]) == ""


def test_renaming_an_attribute_keeps_its_values_and_undoes(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    stack = UndoStack()
    with project.session() as s:
        with pytest.raises(ValidationError, match="An attribute needs a name"):
            rename_attribute(s, attribute_id=ids.site, name="  ")
        cases.create_attribute(s, name="age", type="number")
        with pytest.raises(ValidationError, match="already a case attribute named 'Age'"):
            rename_attribute(s, attribute_id=ids.site, name="Age")
        stack.push(rename_attribute(s, attribute_id=ids.site, name="  clinic "))
        assert cases.attribute_values(s, case_id=ids.case) == {"clinic": "Site 2"}
    with project.session() as s:
        stack.undo(s)
    with project.session() as s:
        assert cases.attribute_values(s, case_id=ids.case) == {"site": "Site 2"}


def test_deleting_an_attribute_takes_its_values_and_undo_brings_both_back(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    before = dump(project)
    stack = UndoStack()
    with project.session() as s:
        stack.push(delete_attribute(s, attribute_id=ids.site))
        assert cases.attribute_values(s, case_id=ids.case) == {}
        assert [a.name for a in cases.list_attributes(s)] == []
    with project.session() as s:
        stack.undo(s)
    assert dump(project) == before


def test_setting_a_cases_documents_links_and_unlinks_in_one_step(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    before = dump(project)
    stack = UndoStack()
    with project.session() as s:
        change = stack.push(set_case_documents(s, case_id=ids.case, document_ids=[ids.p2_doc, ids.p2_doc]))
        assert change.affects("case_document")
        assert cases.list_cases(s)[0].document_ids == (ids.p2_doc,)
        with pytest.raises(NotFoundError, match="no document with id 999"):
            set_case_documents(s, case_id=ids.case, document_ids=[999])
    with project.session() as s:
        stack.undo(s)
    assert dump(project) == before


def test_a_document_attribute_is_not_edited_as_a_case_column(populated: tuple[Project, Ids]) -> None:
    project, _ids = populated
    with project.session() as s:
        wave = cases.create_attribute(s, name="wave", type="category", scope="document").result
        with pytest.raises(ValidationError, match="'wave' is a document attribute"):
            rename_attribute(s, attribute_id=wave, name="round")
        assert [c.name for c in read_case_grid(s).columns] == ["site"]
