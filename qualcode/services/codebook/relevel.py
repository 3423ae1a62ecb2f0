"""Re-level several nodes in one undoable step (after an import that inferred levels from nesting)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.domain.errors import ValidationError
from qualcode.domain.levels import Level, check_parent
from qualcode.services._common import require
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Node


def set_levels(session: Session, *, node_ids: Sequence[int], level: str | int | Level,
               coder_id: int | None = None) -> Change:
    """Give every node in `node_ids` the same level at once.

    The level rule is checked on the result, not node by node, so a whole layer of a code
    tree can move (e.g. every top-level code of an imported codebook becomes a global
    theme) even where changing them one at a time would pass through a forbidden state.
    """
    if not node_ids:
        raise ValidationError("Choose the codes or themes to re-level.")
    lvl = Level.parse(level)
    chosen = {node_id: require(session, Node, node_id, "node") for node_id in dict.fromkeys(node_ids)}
    levels = {node_id: Level(node.level) for node_id, node in chosen.items()}
    levels.update({node_id: lvl for node_id in chosen})
    for node_id, node in chosen.items():
        if node.parent_id is not None:
            parent = chosen.get(node.parent_id) or require(session, Node, node.parent_id, "node")
            check_parent(node.name, lvl, parent.name, levels.get(parent.id, Level(parent.level)))
        for child in session.scalars(select(Node).where(Node.parent_id == node_id)):
            check_parent(child.name, levels.get(child.id, Level(child.level)), node.name, lvl)

    def run(rec: Recorder) -> int:
        changed = 0
        for node_id, node in chosen.items():
            if node.level != int(lvl):
                rec.update(Node, node_id, level=int(lvl))
                changed += 1
        return changed

    return Command(f"Make {len(chosen)} node(s) {lvl.label.lower()}s", run, action="set node levels",
                   details={"nodes": [n.uid for n in chosen.values()], "level": int(lvl)},
                   coder_id=coder_id).apply(session)
