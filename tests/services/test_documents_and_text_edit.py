from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.documents import TurnSpec
from qualcode.store.models import AttributeValue, Coding, Turn, case_document
from qualcode.store.project import Project
from tests.services.conftest import P1_TEXT, Ids


def test_documents_are_normalised_and_hashed(project: Project) -> None:
    with project.session() as s:
        doc_id = documents.add_document(s, name="  P9   notes ", text="\ufeffCafe\u0301 one\r\ntwo 😀").result
        info = documents.get_document(s, doc_id)
        assert info.name == "P9 notes"
        assert documents.document_text(s, doc_id) == "Café one\ntwo 😀"
        assert info.length == 14
        assert documents.find_by_hash(s, info.text_sha256) == [info]


def test_bad_documents_are_refused_with_a_reason(project: Project) -> None:
    with project.session() as s:
        with pytest.raises(ValidationError, match="has no text"):
            documents.add_document(s, name="Empty", text="  \n ")
        with pytest.raises(ValidationError, match="needs a name"):
            documents.add_document(s, name=" ", text="words")
        with pytest.raises(ValidationError, match="Unknown document kind 'podcast'"):
            documents.add_document(s, name="X", text="words", kind="podcast")
        with pytest.raises(ValidationError, match="speaker turn 0-99 lies outside"):
            documents.add_document(s, name="X", text="words", turns=[TurnSpec(0, 99, "P1")])
        with pytest.raises(NotFoundError, match="no document with id 77"):
            documents.update_document(s, document_id=77, name="Y")
        assert documents.list_documents(s) == []


def test_emoji_and_non_bmp_offsets_are_code_points(project: Project) -> None:
    text = "I 😀 love 𝄞 music, 你好!"
    with project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = documents.add_document(s, name="D", text=text).result
        node = nodes.create_node(s, name="Music").result
        start = text.index("love")
        codings.apply_code(s, document_id=doc, start=start, end=text.index(","), node_id=node, coder_id=ana)
        codings.apply_code(s, document_id=doc, start=text.index("你"), end=len(text), node_id=node, coder_id=ana)
        texts = [c.text for c in codings.codings_of_document(s, doc)]
    assert texts == ["love 𝄞 music", "你好!"]


def test_deleting_a_document_removes_everything_on_it(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        documents.delete_document(s, document_id=ids.p1_doc)
        assert s.scalars(select(Coding.id)).all() == []
        assert s.scalars(select(Turn.id)).all() == []
        assert s.execute(select(case_document)).all() == []
        assert [d.name for d in documents.list_documents(s)] == ["P2 interview"]
        assert [c.name for c in cases.list_cases(s)] == ["P1"]  # the case stays
        assert s.scalar(select(AttributeValue.value)) == "Site 2"


def test_text_edit_shifts_trims_and_drops_every_kind_of_span(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        before = {c.node_name: c.text for c in codings.codings_of_document(s, ids.p1_doc)}
        sam = P1_TEXT.index("Sam,")
        outcome = documents.edit_document_text(
            s, document_id=ids.p1_doc, start=sam, end=sam + 3, replacement="[Link worker 1]"
        ).result
        after = {c.node_name: c.text for c in codings.codings_of_document(s, ids.p1_doc)}
        new_text = documents.document_text(s, ids.p1_doc)
        turns = documents.list_turns(s, ids.p1_doc)
    assert "Sam," not in new_text and "[Link worker 1]," in new_text
    assert after == before  # both codings lie after the edit and keep their words
    assert outcome.shifted == 2 and outcome.dropped == 0
    assert new_text[turns[0].start : turns[0].end] == "Interviewer: How did you hear about the service?"


def _two_nested_codings(s: Session) -> tuple[int, int, int]:
    """A document with codings 0-20 and 0-24 of one node by one coder: (coder, document, longer coding)."""
    ana = coders.ensure_coder(s, "Ana").id
    doc = documents.add_document(s, name="D", text="We walked to the old park and back.").result
    node = nodes.create_node(s, name="Walking").result
    codings.apply_code(s, document_id=doc, start=0, end=20, node_id=node, coder_id=ana)
    return ana, doc, codings.apply_code(s, document_id=doc, start=0, end=24, node_id=node, coder_id=ana).result


def test_an_edit_that_makes_two_codings_identical_keeps_one(project: Project) -> None:
    with project.session() as s:
        _ana, doc, _longer = _two_nested_codings(s)
        outcome = documents.edit_document_text(s, document_id=doc, start=16, end=28, replacement="").result
        left = [(c.start, c.end) for c in codings.codings_of_document(s, doc)]
    assert left == [(0, 16)] and outcome.dropped == 1


def test_a_coding_the_edit_makes_a_duplicate_goes_with_its_memo_and_evidence_and_undo_restores_them(
        project: Project) -> None:
    from qualcode.services import memos
    from qualcode.services.commands import UndoStack
    from qualcode.services.realist import configurations as cmo
    from qualcode.services.realist import evidence as cmo_evidence
    from qualcode.store.models import CmoEvidence, Memo

    with project.session() as s:
        ana, doc, longer = _two_nested_codings(s)
        uid = codings.get_coding(s, longer).uid
        memos.add_memo(s, target_type="coding", target_uid=uid, text="the park matters")
        config = cmo.create_configuration(s, concept="Outdoors", statements=[("C", "Green space nearby")]).result
        component = cmo.get_configuration(s, config).components[0].id
        cmo_evidence.add_evidence(s, component_id=component, coder_id=ana, coding_id=longer)

        def rows() -> tuple[int, int, int]:
            return (len(codings.codings_of_document(s, doc)), len(s.scalars(select(CmoEvidence.id)).all()),
                    len(s.scalars(select(Memo.id).where(Memo.target_type == "coding")).all()))

        before = rows()
        stack = UndoStack()
        stack.push(documents.edit_document_text(s, document_id=doc, start=16, end=28, replacement=""))
        assert rows() == (1, 0, 0)  # nothing is left pointing at the dropped coding
        stack.undo(s)
        assert rows() == before == (2, 1, 1)
        assert [m.text for m in memos.memos_for(s, target_type="coding", target_uid=uid)] == ["the park matters"]


def test_text_edit_refuses_bad_ranges(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        with pytest.raises(ValidationError, match="outside the text"):
            documents.edit_document_text(s, document_id=ids.p1_doc, start=5, end=100_000, replacement="x")
        with pytest.raises(ValidationError, match="cannot remove all"):
            documents.edit_document_text(s, document_id=ids.p2_doc, start=0, end=44, replacement=" ")


WORDS = st.lists(st.sampled_from(["garden", "Sam", "😀", "café", "walk", "\n", "P1:", "𝄞"]), min_size=6, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=WORDS, data=st.data())
def test_codings_outside_an_edit_keep_exactly_their_text(tmp_path: Path, words: list[str], data: st.DataObject) -> None:
    text = "P1: " + " ".join(words)
    path = tmp_path / f"prop-{abs(hash((text, id(data))))}.qualcode"
    with Project.create(path) as project, project.session() as s:
        ana = coders.ensure_coder(s, "Ana").id
        doc = documents.add_document(s, name="D", text=text).result
        node = nodes.create_node(s, name="N").result
        spans = set()
        for _ in range(data.draw(st.integers(1, 6))):
            a = data.draw(st.integers(0, len(text) - 1))
            spans.add((a, data.draw(st.integers(a + 1, len(text)))))
        for a, b in spans:
            codings.apply_code(s, document_id=doc, start=a, end=b, node_id=node, coder_id=ana)
        e0 = data.draw(st.integers(0, len(text)))
        e1 = data.draw(st.integers(e0, len(text)))
        replacement = data.draw(st.sampled_from(["", "[P1]", "X😀"]))
        new_text = text[:e0] + replacement + text[e1:]
        if not new_text.strip():
            return
        documents.edit_document_text(s, document_id=doc, start=e0, end=e1, replacement=replacement)
        after = {c.text for c in codings.codings_of_document(s, doc)}
        for a, b in spans:
            if b < e0 or a > e1:
                assert text[a:b] in after
        for c in codings.codings_of_document(s, doc):
            assert 0 <= c.start < c.end <= len(new_text)
