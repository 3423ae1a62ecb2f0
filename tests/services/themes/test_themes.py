"""Theme operations: each one undoable as a single step, each refusing what breaks the level rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import LevelRuleError, ValidationError
from qualcode.domain.levels import Level
from qualcode.services import coders, documents
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.commands import UndoStack
from qualcode.services.themes import themes
from qualcode.store.models import Coding, Node
from qualcode.store.project import Project


def _snapshot(session: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    node_rows = session.execute(select(Node.id, Node.name, Node.level, Node.parent_id, Node.position,
                                       Node.definition).order_by(Node.id)).all()
    coding_rows = session.execute(select(Coding.id, Coding.node_id, Coding.start, Coding.end)
                                  .order_by(Coding.id)).all()
    return [tuple(r) for r in node_rows], [tuple(r) for r in coding_rows]


def _tree(session: Session) -> dict[str, tuple[str | None, int, Level]]:
    """name -> (parent name, position, level)."""
    infos = nodes.list_nodes(session)
    by_id = {n.id: n for n in infos}
    return {n.name: (by_id[n.parent_id].name if n.parent_id else None, n.position, n.level) for n in infos}


@pytest.fixture
def net(project: Project) -> Iterator[tuple[Project, dict[str, int]]]:
    """Global G; organising O1 (basic B1, B2), O2 (basic B3); basic B4 loose; codes C1 under B1, C2 under B4."""
    with project.session() as s:
        ids: dict[str, int] = {}

        def make(name: str, level: Level, parent: str | None = None, definition: str = "") -> None:
            ids[name] = nodes.create_node(s, name=name, level=level, parent_id=ids.get(parent or ""),
                                          definition=definition).result

        make("G", Level.GLOBAL)
        make("O1", Level.ORGANISING, "G", "Organising one")
        make("B1", Level.BASIC, "O1", "Basic one")
        make("B2", Level.BASIC, "O1", "Basic two")
        make("O2", Level.ORGANISING, "G")
        make("B3", Level.BASIC, "O2")
        make("B4", Level.BASIC, definition="Basic four")
        make("C1", Level.CODE, "B1")
        make("C2", Level.CODE, "B4")
        ids["coder"] = coders.add_coder(s, name="Ana").result
        ids["doc"] = documents.add_document(s, name="P1", text="alpha beta gamma delta epsilon zeta eta").result
        for node, (start, end) in (("B1", (0, 5)), ("B1", (6, 10)), ("B1", (11, 16)), ("B2", (0, 5)),
                                   ("C2", (17, 22))):
            ids[f"{node}@{start}"] = codings.apply_code(s, document_id=ids["doc"], start=start, end=end,
                                                        node_id=ids[node], coder_id=ids["coder"]).result
    yield project, ids


def test_group_basic_themes_into_new_organising_theme_under_the_common_global(net) -> None:
    project, ids = net
    with project.session() as s:
        change = themes.group_into_theme(s, node_ids=[ids["B2"], ids["B1"]], name="  New  organising ")
        tree = _tree(s)
    # O1 is organising, not higher than the new organising theme: it goes under the global theme G.
    assert tree["New organising"] == ("G", 1, Level.ORGANISING)  # right after O1, the branch it came from
    assert tree["B1"] == ("New organising", 0, Level.BASIC)
    assert tree["B2"] == ("New organising", 1, Level.BASIC)
    assert tree["O1"] == ("G", 0, Level.ORGANISING) and tree["O2"] == ("G", 2, Level.ORGANISING)
    assert sorted(p for name, (parent, p, _) in tree.items() if parent == "G") == [0, 1, 2]
    assert change.ids("node") >= {change.result, ids["B1"], ids["B2"]}


def test_group_is_one_undoable_step_and_redo_restores_same_ids(net) -> None:
    project, ids = net
    stack = UndoStack()
    with project.session() as s:
        before = _snapshot(s)
        stack.push(themes.group_into_theme(s, node_ids=[ids["B3"], ids["B1"]], name="Merged view"))
        after = _snapshot(s)
        stack.undo(s)
        assert _snapshot(s) == before
        stack.redo(s)
        assert _snapshot(s) == after


def test_group_default_level_is_one_above_the_highest_selected(net) -> None:
    project, ids = net
    with project.session() as s:
        new_id = themes.group_into_theme(s, node_ids=[ids["C1"], ids["B4"]], name="Umbrella").result
        info = nodes.get_node(s, new_id)
    assert info.level is Level.ORGANISING
    assert info.parent_id is None  # C1 and B4 share no ancestor above organising


def test_group_refuses_global_themes_nested_selection_and_low_levels(net) -> None:
    project, ids = net
    with project.session() as s:
        with pytest.raises(LevelRuleError, match="Global themes are the top level"):
            themes.group_into_theme(s, node_ids=[ids["G"]], name="X")
        with pytest.raises(ValidationError, match="'B1' is inside 'O1', which is also selected"):
            themes.group_into_theme(s, node_ids=[ids["O1"], ids["B1"]], name="X")
        with pytest.raises(LevelRuleError, match="a parent must be a higher level"):
            themes.group_into_theme(s, node_ids=[ids["B1"]], name="X", level="basic")
        with pytest.raises(ValidationError, match="needs a name"):
            themes.group_into_theme(s, node_ids=[ids["B1"]], name=" \n ")
        with pytest.raises(ValidationError, match="already a node named 'O2' under 'G'"):
            themes.group_into_theme(s, node_ids=[ids["B1"]], name="o2")
        with pytest.raises(ValidationError, match="at least one node"):
            themes.group_into_theme(s, node_ids=[], name="X")


def test_promote_basic_theme_moves_it_beside_its_former_parent(net) -> None:
    project, ids = net
    with project.session() as s:
        themes.promote_node(s, node_id=ids["B2"])
        tree = _tree(s)
    assert tree["B2"] == ("G", 1, Level.ORGANISING)
    assert tree["O2"] == ("G", 2, Level.ORGANISING)
    assert tree["B1"] == ("O1", 0, Level.BASIC)


def test_promote_code_moves_beside_its_basic_parent(net) -> None:
    project, ids = net
    with project.session() as s:
        themes.promote_node(s, node_id=ids["C1"])
        tree = _tree(s)
    # B1 is basic, so the promoted code (now basic) moves up beside B1 under O1.
    assert tree["C1"] == ("O1", 1, Level.BASIC)
    assert tree["B2"] == ("O1", 2, Level.BASIC)


def test_promote_and_demote_refuse_at_the_ends_and_over_children(net) -> None:
    project, ids = net
    with project.session() as s:
        with pytest.raises(LevelRuleError, match="already a global theme"):
            themes.promote_node(s, node_id=ids["G"])
        with pytest.raises(LevelRuleError, match="already a code"):
            themes.demote_node(s, node_id=ids["C1"])
        with pytest.raises(LevelRuleError, match="while it holds the basic theme 'B1'"):
            themes.demote_node(s, node_id=ids["O1"])


def test_demote_and_undo(net) -> None:
    project, ids = net
    stack = UndoStack()
    with project.session() as s:
        before = _snapshot(s)
        stack.push(themes.demote_node(s, node_id=ids["B2"]))
        assert nodes.get_node(s, ids["B2"]).level is Level.CODE
        stack.undo(s)
        assert _snapshot(s) == before


def test_split_moves_chosen_codings_to_a_new_sibling_and_undoes(net) -> None:
    project, ids = net
    stack = UndoStack()
    with project.session() as s:
        before = _snapshot(s)
        change = stack.push(themes.split_node(s, node_id=ids["B1"], coding_ids=[ids["B1@6"], ids["B1@11"]],
                                              name="B1 (second sense)", definition="Narrower"))
        new = nodes.get_node(s, change.result)
        left = [c.id for c in codings.codings_of_node(s, ids["B1"], include_descendants=False)]
        moved = [c.id for c in codings.codings_of_node(s, new.id)]
        tree = _tree(s)
        assert (new.level, new.parent_id, new.definition) == (Level.BASIC, ids["O1"], "Narrower")
        assert left == [ids["B1@0"]] and sorted(moved) == sorted([ids["B1@6"], ids["B1@11"]])
        assert tree["B1 (second sense)"] == ("O1", 1, Level.BASIC) and tree["B2"] == ("O1", 2, Level.BASIC)
        stack.undo(s)
        assert _snapshot(s) == before


def test_split_refuses_codings_of_other_nodes(net) -> None:
    project, ids = net
    with project.session() as s:
        with pytest.raises(ValidationError, match="coded to 'B2', not to 'B1'"):
            themes.split_node(s, node_id=ids["B1"], coding_ids=[ids["B2@0"]], name="X")
        with pytest.raises(ValidationError, match="sits below it"):
            themes.split_node(s, node_id=ids["B4"], coding_ids=[ids["C2@17"]], name="X")
        with pytest.raises(ValidationError, match="Choose the codings"):
            themes.split_node(s, node_id=ids["B1"], coding_ids=[], name="X")
        with pytest.raises(ValidationError, match="no coding with id 999"):
            themes.split_node(s, node_id=ids["B1"], coding_ids=[999], name="X")


def test_merge_several_into_one_combines_codings_drops_duplicates_and_concatenates(net) -> None:
    project, ids = net
    stack = UndoStack()
    with project.session() as s:
        before = _snapshot(s)
        change = stack.push(themes.merge_themes(s, source_ids=[ids["B2"], ids["B4"]], target_id=ids["B1"]))
        merged = nodes.get_node(s, ids["B1"])
        own = codings.codings_of_node(s, ids["B1"], include_descendants=False)
        tree = _tree(s)
        # B2's coding 0-5 duplicates B1's and is dropped; B4 had none of its own.
        assert change.result == 0
        assert [(c.start, c.end) for c in own] == [(0, 5), (6, 10), (11, 16)]
        assert "B2" not in tree and "B4" not in tree
        assert tree["C2"] == ("B1", 1, Level.CODE)
        assert merged.definition == "Basic one\n\n[from 'B2'] Basic two\n\n[from 'B4'] Basic four"
        assert s.scalar(select(Coding.id).where(Coding.id == ids["B2@0"])) is None
        stack.undo(s)
        assert _snapshot(s) == before
        assert not stack.can_undo  # the whole merge was one step


def test_merge_refuses_into_own_subtree_and_clashing_children(net) -> None:
    project, ids = net
    with project.session() as s:
        with pytest.raises(LevelRuleError, match="its own sub-theme"):
            themes.merge_themes(s, source_ids=[ids["O1"]], target_id=ids["C1"])
        with pytest.raises(ValidationError, match="into itself"):
            themes.merge_themes(s, source_ids=[ids["B1"]], target_id=ids["B1"])
        nodes.create_node(s, name="C1", level=Level.CODE, parent_id=ids["B4"])
        with pytest.raises(ValidationError, match="already a node named 'C1' under 'B2'"):
            themes.merge_themes(s, source_ids=[ids["B1"], ids["B4"]], target_id=ids["B2"])
        with pytest.raises(LevelRuleError, match="a parent must be a higher level"):
            themes.merge_themes(s, source_ids=[ids["O1"]], target_id=ids["B4"])


def test_bulk_move_is_one_step_keeps_tree_order_and_closes_gaps(net) -> None:
    project, ids = net
    stack = UndoStack()
    with project.session() as s:
        before = _snapshot(s)
        stack.push(themes.move_nodes(s, node_ids=[ids["B4"], ids["B1"]], parent_id=ids["O2"]))
        tree = _tree(s)
        assert tree["B3"] == ("O2", 0, Level.BASIC)
        assert tree["B1"] == ("O2", 1, Level.BASIC)  # tree order: B1 came before B4
        assert tree["B4"] == ("O2", 2, Level.BASIC)
        assert tree["B2"] == ("O1", 0, Level.BASIC)
        assert tree["C1"] == ("B1", 0, Level.CODE)
        stack.undo(s)
        assert _snapshot(s) == before


def test_bulk_move_refusals(net) -> None:
    project, ids = net
    with project.session() as s:
        with pytest.raises(LevelRuleError, match="cannot go under itself"):
            themes.move_nodes(s, node_ids=[ids["O1"]], parent_id=ids["B1"])
        with pytest.raises(LevelRuleError, match="a parent must be a higher level"):
            themes.move_nodes(s, node_ids=[ids["B3"], ids["O1"]], parent_id=ids["O2"])
        nodes.create_node(s, name="B1", level=Level.BASIC, parent_id=ids["O2"])
        with pytest.raises(ValidationError, match="already a node named 'B1' under 'O2'"):
            themes.move_nodes(s, node_ids=[ids["B1"]], parent_id=ids["O2"])
        themes.move_nodes(s, node_ids=[ids["O1"], ids["O2"]], parent_id=None)
        assert _tree(s)["O1"][0] is None and _tree(s)["O2"][0] is None
