from __future__ import annotations

import pytest

from qualcode.domain.errors import ValidationError
from qualcode.services import coders, memos
from qualcode.services import project as project_service
from qualcode.services.cases import cases
from qualcode.store.project import Project
from tests.services.conftest import Ids


def test_typed_attribute_values_are_checked_and_stored_canonically(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        age = cases.create_attribute(s, name="age", type="number").result
        joined = cases.create_attribute(s, name="joined", type="date").result
        cases.set_attribute_value(s, attribute_id=age, case_id=ids.case, value="41.0")
        cases.set_attribute_value(s, attribute_id=joined, case_id=ids.case, value="03/02/2024")
        assert cases.attribute_values(s, case_id=ids.case) == {"site": "Site 2", "age": "41", "joined": "2024-02-03"}
        with pytest.raises(ValidationError, match="'age' takes numbers; 'forty' is not a number"):
            cases.set_attribute_value(s, attribute_id=age, case_id=ids.case, value="forty")
        with pytest.raises(ValidationError, match="'joined' takes dates"):
            cases.set_attribute_value(s, attribute_id=joined, case_id=ids.case, value="spring")
        with pytest.raises(ValidationError, match="case attribute, not a document attribute"):
            cases.set_attribute_value(s, attribute_id=age, document_id=ids.p1_doc, value=3)
        with pytest.raises(ValidationError, match="already a case attribute named 'Age'"):
            cases.create_attribute(s, name="Age", type="number")
        with pytest.raises(ValidationError, match="Unknown attribute type 'colour'"):
            cases.create_attribute(s, name="eyes", type="colour")
        wave = cases.create_attribute(s, name="wave", type="category", scope="document").result
        cases.set_attribute_value(s, attribute_id=wave, document_id=ids.p1_doc, value=" first  ")
        assert cases.attribute_values(s, document_id=ids.p1_doc) == {"wave": "first"}
        assert [a.name for a in cases.list_attributes(s, scope="case")] == ["age", "joined", "site"]


def test_cases_link_documents_and_names_stay_unique(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        cases.link_documents(s, case_id=ids.case, document_ids=[ids.p1_doc, ids.p2_doc, ids.p2_doc])
        assert cases.list_cases(s)[0].document_ids == (ids.p1_doc, ids.p2_doc)
        assert [c.name for c in cases.cases_of_document(s, ids.p2_doc)] == ["P1"]
        with pytest.raises(ValidationError, match="already a case named 'p1'"):
            cases.create_case(s, name="p1")


def test_memos_journal_and_coders(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        memos.add_memo(s, target_type="document", target_uid="abc", title="Context", text="Noisy café")
        assert [m.text for m in memos.memos_for(s, target_type="document", target_uid="abc")] == ["Noisy café"]
        memos.add_journal_entry(s, coder_id=ids.ben, text="I notice my own bias towards walking groups.")
        assert [e.text for e in memos.journal(s, coder_id=ids.ben)] == ["I notice my own bias towards walking groups."]
        assert len(memos.journal(s)) == 2
        with pytest.raises(ValidationError, match="Unknown memo target 'nowhere'"):
            memos.add_memo(s, target_type="nowhere", text="x")
        assert coders.ensure_coder(s, " ana ").id == ids.ana
        with pytest.raises(ValidationError, match="already a coder named 'Ben'"):
            coders.add_coder(s, name="Ben")
        assert [c.name for c in coders.list_coders(s)] == ["Ana", "Ben"]


def test_summary_counts_and_audit_trail(populated: tuple[Project, Ids]) -> None:
    project, _ = populated
    with project.session() as s:
        facts = project_service.summary(s)
        trail = project_service.audit_trail(s, limit=3)
    assert facts.counts["documents"] == 2 and facts.counts["codings"] == 2 and facts.counts["nodes"] == 6
    assert [e.action for e in trail] == ["add journal entry", "add memo", "code"]
    assert trail[2].details["node"]


def test_the_cases_of_a_document_are_those_of_the_whole_list_that_hold_it(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        site = cases.create_case(s, name="a site").result
        cases.link_documents(s, case_id=ids.case, document_ids=[ids.p1_doc, ids.p2_doc])
        cases.link_documents(s, case_id=site, document_ids=[ids.p2_doc])
        every = cases.list_cases(s)
        for document_id in (ids.p1_doc, ids.p2_doc):
            assert cases.cases_of_document(s, document_id) == [c for c in every if document_id in c.document_ids]
        assert [c.name for c in cases.cases_of_document(s, ids.p2_doc)] == ["a site", "P1"]
        assert cases.cases_of_document(s, ids.p2_doc)[1].document_ids == (ids.p1_doc, ids.p2_doc)
