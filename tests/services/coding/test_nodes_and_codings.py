from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qualcode.domain.errors import LevelRuleError, NotFoundError, ValidationError
from qualcode.domain.levels import Level
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.store.models import Coding
from qualcode.store.project import Project
from tests.services.conftest import P1_TEXT, Ids


def test_tree_order_levels_and_paths(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        tree = nodes.list_nodes(s)
        assert [(n.name, n.level) for n in tree] == [
            ("Community connection", Level.GLOBAL),
            ("Support", Level.ORGANISING),
            ("Trust in the link worker", Level.BASIC),
            ("Walking group", Level.CODE),
            ("Loneliness", Level.CODE),
            ("Transport barriers", Level.BASIC),
        ]
        assert nodes.node_path(s, ids.walking) == [
            "Community connection",
            "Support",
            "Trust in the link worker",
            "Walking group",
        ]
        assert nodes.find_node(s, "support/trust in the link worker").id == ids.trust
        assert sorted(nodes.descendant_ids(s, ids.support)) == sorted([ids.support, ids.trust, ids.walking, ids.lonely])


def test_level_rule_refuses_with_a_clear_reason(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        with pytest.raises(LevelRuleError, match="'Loneliness' \\(code\\) cannot go under 'Walking group' \\(code\\)"):
            nodes.move_node(s, node_id=ids.lonely, parent_id=ids.walking)
        with pytest.raises(LevelRuleError, match="cannot go under itself or one of its own sub-themes"):
            nodes.move_node(s, node_id=ids.support, parent_id=ids.trust)
        with pytest.raises(LevelRuleError, match="a parent must be a higher level"):
            nodes.create_node(s, name="Hope", level="global", parent_id=ids.support)
        with pytest.raises(LevelRuleError):
            nodes.set_node_level(s, node_id=ids.trust, level="code")  # its codes would sit under a code
        with pytest.raises(ValidationError, match="already a node named 'Loneliness' under 'Trust in the link worker'"):
            nodes.create_node(s, name="loneliness", parent_id=ids.trust)
        with pytest.raises(NotFoundError, match="no node with id 999"):
            nodes.move_node(s, node_id=999, parent_id=None)


def test_moving_a_node_keeps_its_codings_and_retrieval_includes_descendants(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        nodes.move_node(s, node_id=ids.walking, parent_id=ids.transport)
        assert [c.node_name for c in codings.codings_of_node(s, ids.transport)] == ["Walking group"]
        assert [c.node_name for c in codings.codings_of_node(s, ids.support)] == ["Loneliness"]
        assert len(codings.codings_of_node(s, ids.community)) == 2
        assert codings.codings_of_node(s, ids.support, include_descendants=False) == []
        positions = [(n.name, n.position) for n in nodes.list_nodes(s) if n.parent_id == ids.transport]
        assert positions == [("Walking group", 0)]


def test_delete_node_with_a_choice_for_its_codings(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        nodes.delete_node(s, node_id=ids.walking, codings="move_to_parent")
        assert [c.node_id for c in codings.codings_of_node(s, ids.trust, include_descendants=False)] == [ids.trust]
        nodes.delete_node(s, node_id=ids.trust)  # its codes move up to Support; its own codings go
        assert {n.name for n in nodes.list_nodes(s) if n.parent_id == ids.support} == {"Loneliness"}
        assert s.scalar(select(func.count()).select_from(Coding)) == 1
        with pytest.raises(ValidationError, match="has no parent to receive its codings"):
            nodes.delete_node(s, node_id=ids.community, codings="move_to_parent")


def test_merge_combines_codings_drops_duplicates_and_keeps_definitions(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        nodes.update_node(s, node_id=ids.walking, definition="Group walks arranged by the link worker")
        nodes.update_node(s, node_id=ids.lonely, definition="Feeling alone")
        walk = codings.codings_of_node(s, ids.walking)[0]
        codings.apply_code(
            s, document_id=walk.document_id, start=walk.start, end=walk.end, node_id=ids.lonely, coder_id=walk.coder_id
        )
        moved = nodes.merge_nodes(s, source_id=ids.walking, target_id=ids.lonely).result
        merged = nodes.get_node(s, ids.lonely)
        assert moved == 0  # the only coding was already on the target: dropped as a duplicate
        assert len(codings.codings_of_node(s, ids.lonely)) == 2
        assert merged.definition == "Feeling alone\n\n[from 'Walking group'] Group walks arranged by the link worker"
        assert "Walking group" not in {n.name for n in nodes.list_nodes(s)}
        with pytest.raises(ValidationError, match="cannot be merged into itself"):
            nodes.merge_nodes(s, source_id=ids.lonely, target_id=ids.lonely)


def test_coding_rules(populated: tuple[Project, Ids]) -> None:
    project, ids = populated
    with project.session() as s:
        walk = codings.get_coding(s, ids.coding)
        assert walk.text == P1_TEXT[walk.start : walk.end]
        with pytest.raises(ValidationError, match="already coded to 'Walking group' by Ana"):
            codings.apply_code(
                s, document_id=walk.document_id, start=walk.start, end=walk.end, node_id=ids.walking, coder_id=ids.ana
            )
        with pytest.raises(ValidationError, match="passage 10-5 is empty or inverted"):
            codings.apply_code(s, document_id=ids.p1_doc, start=10, end=5, node_id=ids.walking, coder_id=ids.ana)
        with pytest.raises(ValidationError, match="lies outside the text"):
            codings.apply_code(s, document_id=ids.p1_doc, start=10, end=5000, node_id=ids.walking, coder_id=ids.ana)
        with pytest.raises(NotFoundError, match="no document with id 42"):
            codings.apply_code(s, document_id=42, start=0, end=5, node_id=ids.walking, coder_id=ids.ana)
        with pytest.raises(NotFoundError, match="no node with id 42"):
            codings.apply_code(s, document_id=ids.p1_doc, start=0, end=5, node_id=42, coder_id=ids.ana)
        # The same span by another coder, or to another node, is a separate coding.
        codings.apply_code(
            s, document_id=walk.document_id, start=walk.start, end=walk.end, node_id=ids.walking, coder_id=ids.ben
        )
        codings.update_coding(s, coding_id=ids.coding, memo="Broker role", exemplar=True, start=walk.start + 4)
        updated = codings.get_coding(s, ids.coding)
        assert (updated.memo, updated.exemplar, updated.text) == ("Broker role", True, walk.text[4:])
        assert [c.coder_name for c in codings.codings_of_node(s, ids.walking, coder_ids=[ids.ben])] == ["Ben"]
        added = codings.apply_codes(
            s, specs=[codings.CodingSpec(ids.p2_doc, 0, 3, ids.lonely)] * 2, coder_id=ids.ana
        ).result
        assert added == 1
        codings.uncode(s, coding_id=ids.coding)
        assert [c.coder_name for c in codings.codings_of_node(s, ids.walking)] == ["Ben"]
