"""Re-levelling an imported code tree one level at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.domain.errors import LevelRuleError
from qualcode.services.codebook import nodes
from qualcode.services.codebook.relevel import set_levels
from qualcode.services.commands import UndoStack
from qualcode.services.exchange import refi as exchange
from qualcode.store.project import Project
from tests.exchange.test_refi_codebook_and_merge import ATLAS_QDC


def test_inferred_levels_can_be_changed_a_whole_layer_at_a_time(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "atlas.qdc"
    path.write_text(ATLAS_QDC, encoding="utf-8")
    with project.session() as s:
        exchange.import_qdc(s, path=path)
        by_name = {n.name: n for n in nodes.list_nodes(s)}
        stack = UndoStack()
        # Motivation (organising) should be global, Health (basic) organising: one step each.
        stack.push(set_levels(s, node_ids=[by_name["Motivation"].id], level="global"))
        stack.push(set_levels(s, node_ids=[by_name["Health"].id], level="organising"))
        stack.push(set_levels(s, node_ids=[by_name["Weight"].id, by_name["Friends"].id], level="basic"))
        levels = {n.name: n.level.label for n in nodes.list_nodes(s)}
        assert levels == {"Motivation": "Global theme", "Friends": "Basic theme", "Health": "Organising theme",
                          "Weight": "Basic theme", "Misc": "Code"}
        with pytest.raises(LevelRuleError, match="cannot go under"):
            set_levels(s, node_ids=[by_name["Weight"].id], level="global")
        stack.undo(s)
        assert nodes.get_node(s, by_name["Weight"].id).level.label == "Code"
