"""Undo/redo of every mutation returns the database to exactly the same state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from qualcode.services import coders, documents, memos
from qualcode.services import project as project_service
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.commands import Change, UndoStack
from qualcode.store.models import AuditEvent
from qualcode.store.project import Project
from tests.services.conftest import Ids, dump

Mutation = Callable[[Any, Ids], Change]

MUTATIONS: dict[str, Mutation] = {
    "add document": lambda s, i: documents.add_document(s, name="P3", text="New words é 😀"),
    "rename document": lambda s, i: documents.update_document(
        s, document_id=i.p1_doc, name="P1 first", kind="follow_up"
    ),
    "delete document": lambda s, i: documents.delete_document(s, document_id=i.p1_doc),
    "edit text": lambda s, i: documents.edit_document_text(
        s, document_id=i.p1_doc, start=12, end=60, replacement="[…]"
    ),
    "anonymise name": lambda s, i: documents.edit_document_text(
        s, document_id=i.p1_doc, start=100, end=103, replacement="[Link worker 1]"
    ),
    "create case": lambda s, i: cases.create_case(s, name="P2"),
    "rename case": lambda s, i: cases.update_case(s, case_id=i.case, name="Participant 1", memo="Keen gardener"),
    "delete case": lambda s, i: cases.delete_case(s, case_id=i.case),
    "link document": lambda s, i: cases.link_documents(s, case_id=i.case, document_ids=[i.p2_doc]),
    "unlink document": lambda s, i: cases.unlink_document(s, case_id=i.case, document_id=i.p1_doc),
    "create attribute": lambda s, i: cases.create_attribute(s, name="age", type="number"),
    "change value": lambda s, i: cases.set_attribute_value(s, attribute_id=i.site, case_id=i.case, value="Site 3"),
    "clear value": lambda s, i: cases.set_attribute_value(s, attribute_id=i.site, case_id=i.case, value=None),
    "create node": lambda s, i: nodes.create_node(s, name="Transport", level="basic", parent_id=i.support),
    "rename node": lambda s, i: nodes.update_node(s, node_id=i.trust, name="Trust", definition="d", color="#123456"),
    "move node": lambda s, i: nodes.move_node(s, node_id=i.walking, parent_id=i.support, position=0),
    "reorder node": lambda s, i: nodes.move_node(s, node_id=i.lonely, parent_id=i.trust, position=0),
    "level change": lambda s, i: nodes.set_node_level(s, node_id=i.transport, level="organising"),
    "delete node, codings deleted": lambda s, i: nodes.delete_node(s, node_id=i.trust),
    "delete node, codings moved up": lambda s, i: nodes.delete_node(s, node_id=i.walking, codings="move_to_parent"),
    "merge nodes": lambda s, i: nodes.merge_nodes(s, source_id=i.walking, target_id=i.lonely),
    "code": lambda s, i: codings.apply_code(s, document_id=i.p2_doc, start=0, end=5, node_id=i.lonely, coder_id=i.ben),
    "code many": lambda s, i: codings.apply_codes(
        s,
        specs=[codings.CodingSpec(i.p2_doc, 0, 3, i.walking), codings.CodingSpec(i.p2_doc, 4, 9, i.walking)],
        coder_id=i.ana,
    ),
    "uncode": lambda s, i: codings.uncode(s, coding_id=i.coding),
    "resize coding": lambda s, i: codings.update_coding(s, coding_id=i.coding, start=120, end=140),
    "coding memo and exemplar": lambda s, i: codings.update_coding(s, coding_id=i.coding, memo="key", exemplar=True),
    "add coder": lambda s, i: coders.add_coder(s, name="Chloe"),
    "rename coder": lambda s, i: coders.rename_coder(s, coder_id=i.ben, name="Benjamin"),
    "add memo": lambda s, i: memos.add_memo(s, target_type="document", target_uid="x", text="Memo"),
    "journal entry": lambda s, i: memos.add_journal_entry(s, coder_id=i.ben, text="Reflexive note"),
    "project info": lambda s, i: project_service.update_project_info(s, title="Renamed", methodology="Reflexive TA"),
}


@pytest.mark.parametrize("name", MUTATIONS)
def test_undo_and_redo_restore_the_exact_database(populated: tuple[Project, Ids], name: str) -> None:
    project, ids = populated
    before = dump(project)
    stack = UndoStack()
    with project.session() as s:
        stack.push(MUTATIONS[name](s, ids))
    after = dump(project)
    assert after != before, "the mutation changed nothing"
    with project.session() as s:
        stack.undo(s)
    assert dump(project) == before
    with project.session() as s:
        stack.redo(s)
    assert dump(project) == after
    with project.session() as s:
        stack.undo(s)
    assert dump(project) == before
    with project.session() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(4)))
    assert actions[0].startswith("undo ") and actions[1].startswith("redo ") and actions[2].startswith("undo ")


def test_memo_and_journal_updates_and_deletes_undo(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        memo_id = memos.memos_for(s, target_type="node")[0].id
        entry_id = memos.journal(s, coder_id=ids.ana)[0].id
    before = dump(project)
    stack = UndoStack()
    with project.session() as s:
        stack.push(memos.update_memo(s, memo_id=memo_id, text="Brokers and friends"))
        stack.push(memos.update_journal_entry(s, entry_id=entry_id, text="Edited"))
        stack.push(memos.delete_memo(s, memo_id=memo_id))
        stack.push(memos.delete_journal_entry(s, entry_id=entry_id))
        assert memos.memos_for(s, target_type="node") == []
    with project.session() as s:
        while stack.can_undo:
            stack.undo(s)
    assert dump(project) == before


def test_undo_of_many_rows_at_once_keeps_parents_and_children_in_order(populated: tuple[Project, Ids]) -> None:
    """Undo writes runs of rows in batches; a theme and the codes under it, added in one step,
    still go in child-before-parent order (a node's parent is RESTRICT)."""
    from uuid import uuid4

    from qualcode.services.commands import Command, Recorder
    from qualcode.store.models import Coding, Node

    project, ids = populated
    before = dump(project)

    def run(recorder: Recorder) -> None:
        theme = recorder.insert(Node, uid=str(uuid4()), name="Batch theme", level=2)
        codes = recorder.insert_many(Node, [{"uid": str(uuid4()), "name": f"Code {i}", "level": 1,
                                             "parent_id": theme} for i in range(30)])
        recorder.insert_many(Coding, [{"uid": str(uuid4()), "document_id": ids.p1_doc, "start": i, "end": i + 5,
                                       "node_id": code, "coder_id": ids.ana} for i, code in enumerate(codes)])

    stack = UndoStack()
    with project.session() as s:
        stack.push(Command("Add a theme with 30 codes", run, action="test").apply(s))
    after = dump(project)
    with project.session() as s:
        stack.undo(s)
    assert dump(project) == before
    with project.session() as s:
        stack.redo(s)
    assert dump(project) == after
    with project.session() as s:
        stack.undo(s)
    assert dump(project) == before
