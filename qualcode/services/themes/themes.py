"""Theme operations of a thematic network: group, promote, demote, split, merge, bulk move.

Each operation is one undoable command whose `run` does all its row work through the
Recorder, so a compound edit (moving six basic themes under a new organising theme) is
undone and redone as one step. Every operation checks the level rule before it writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.domain.errors import LevelRuleError, ValidationError
from qualcode.domain.levels import Level, check_parent
from qualcode.services._common import check_color, clean_name, require
from qualcode.services.codebook.nodes import (
    LEVEL_COLORS,
    _check_sibling_name,
    _merge_rows,
    _renumber,
    _siblings,
    descendant_ids,
)
from qualcode.services.commands import Change, Command, Recorder
from qualcode.store.models import Coding, Node


def _nodes(session: Session, node_ids: Sequence[int], what: str) -> list[Node]:
    if not node_ids:
        raise ValidationError(f"Select at least one node to {what}.")
    if len(set(node_ids)) != len(node_ids):
        raise ValidationError(f"A node was selected twice to {what}.")
    return [require(session, Node, node_id, "node") for node_id in node_ids]


def _ancestors(session: Session, node_id: int) -> list[Node]:
    """The node's parent, grandparent ... up to the top, nearest first."""
    chain: list[Node] = []
    current = require(session, Node, node_id, "node").parent_id
    while current is not None:
        node = require(session, Node, current, "node")
        chain.append(node)
        current = node.parent_id
    return chain


def _tree_order(session: Session) -> dict[int, int]:
    """Each node's index in tree order (parents before children, siblings by position)."""
    rows = session.execute(select(Node.id, Node.parent_id).order_by(Node.position, Node.id)).all()
    children: dict[int | None, list[int]] = {}
    for node_id, parent_id in rows:
        children.setdefault(parent_id, []).append(node_id)
    order: dict[int, int] = {}
    stack = list(reversed(children.get(None, [])))
    while stack:
        node_id = stack.pop()
        order[node_id] = len(order)
        stack.extend(reversed(children.get(node_id, [])))
    return order


def _check_distinct_names(nodes: Sequence[Node], where: str) -> None:
    seen: dict[str, str] = {}
    for node in nodes:
        key = node.name.lower()
        if key in seen:
            raise ValidationError(f"Two selected nodes are named '{node.name}': they cannot both go {where}.")
        seen[key] = node.name


def _detach(rec: Recorder, session: Session, moving: Sequence[int], parent_id: int | None) -> None:
    """Re-parent `moving` (in this order) at the end of `parent_id`'s children; close the gaps they leave."""
    old_parents = {
        row.parent_id for row in session.execute(select(Node.parent_id).where(Node.id.in_(moving)))
    }
    for node_id in moving:
        rec.update(Node, node_id, parent_id=parent_id)
    for old in old_parents - {parent_id}:
        _renumber(rec, session, old, _siblings(session, old))
    staying = [i for i in _siblings(session, parent_id) if i not in set(moving)]
    _renumber(rec, session, parent_id, staying + list(moving))


def group_into_theme(
    session: Session,
    *,
    node_ids: Sequence[int],
    name: str,
    level: str | int | Level | None = None,
    definition: str = "",
    color: str | None = None,
    coder_id: int | None = None,
) -> Change:
    """Create a theme one level above the selected nodes (or at `level`) and move them under it.

    The new theme goes under the nearest common ancestor that is a higher level still, at
    the place of the first selected node; otherwise at the top level. Result: the new id.
    """
    name = clean_name(name, "theme")
    nodes = _nodes(session, node_ids, "group")
    highest = max(Level(n.level) for n in nodes)
    if level is None:
        if highest is Level.GLOBAL:
            raise LevelRuleError("Global themes are the top level: they cannot be grouped under another theme.")
        lvl = Level(highest + 1)
    else:
        lvl = Level.parse(level)
    for node in nodes:
        check_parent(node.name, Level(node.level), name, lvl)
    selected = {n.id for n in nodes}
    for node in nodes:
        inside = next((a for a in _ancestors(session, node.id) if a.id in selected), None)
        if inside is not None:
            raise ValidationError(f"'{node.name}' is inside '{inside.name}', which is also selected: select only one.")
    _check_distinct_names(nodes, f"under '{name}'")
    order = _tree_order(session)
    nodes.sort(key=lambda n: order.get(n.id, 0))
    common = [a.id for a in _ancestors(session, nodes[0].id)]
    for node in nodes[1:]:
        theirs = {a.id for a in _ancestors(session, node.id)}
        common = [a for a in common if a in theirs]
    parent = next((require(session, Node, a, "node") for a in common
                   if Level(require(session, Node, a, "node").level) > lvl), None)
    parent_id = parent.id if parent is not None else None
    _check_sibling_name(session, name, parent_id)
    colour = check_color(color) if color else LEVEL_COLORS[lvl]
    moving = [n.id for n in nodes]
    # The new theme takes the place of the first selected node, or follows the branch holding it.
    siblings = _siblings(session, parent_id)
    first = nodes[0]
    branch = next(a for a in reversed([first, *_ancestors(session, first.id)]) if a.parent_id == parent_id)
    anchor = siblings.index(branch.id) + (0 if branch.id == first.id else 1)
    origin = nodes[0].origin

    def run(rec: Recorder) -> int:
        new_id = int(rec.insert(Node, name=name, level=int(lvl), parent_id=parent_id, position=len(siblings),
                                definition=definition, color=colour, origin=origin))
        _detach(rec, session, moving, new_id)
        remaining = [s for s in _siblings(session, parent_id) if s != new_id]
        remaining.insert(min(anchor, len(remaining)), new_id)
        _renumber(rec, session, parent_id, remaining)
        return new_id

    what = f"{len(nodes)} nodes" if len(nodes) > 1 else f"'{nodes[0].name}'"
    return Command(f"Group {what} into {lvl.label.lower()} '{name}'", run, action="group nodes",
                   details={"name": name, "level": lvl.name.lower(), "nodes": [n.uid for n in nodes],
                            "parent_id": parent_id}, coder_id=coder_id).apply(session)


def promote_node(session: Session, *, node_id: int, coder_id: int | None = None) -> Change:
    """Raise a node one level (a basic theme becomes an organising theme).

    When its parent would no longer be higher, the node moves up beside that parent, under
    the nearest ancestor that is still higher (or to the top level).
    """
    node = require(session, Node, node_id, "node")
    old = Level(node.level)
    if old is Level.GLOBAL:
        raise LevelRuleError(f"'{node.name}' is already a global theme, the highest level.")
    new = Level(old + 1)
    ancestors = _ancestors(session, node_id)
    home = next((a for a in ancestors if Level(a.level) > new), None)
    parent_id = home.id if home is not None else None
    moves = parent_id != node.parent_id
    after = 0
    if moves:
        _check_sibling_name(session, node.name, parent_id, exclude_id=node_id)
        # Place it right after the branch it came from.
        branch = next(a.id for a in reversed([node, *ancestors]) if a.parent_id == parent_id)
        after = _siblings(session, parent_id).index(branch) + 1
    old_parent = node.parent_id

    def run(rec: Recorder) -> None:
        rec.update(Node, node_id, level=int(new))
        if moves:
            rec.update(Node, node_id, parent_id=parent_id)
            _renumber(rec, session, old_parent, _siblings(session, old_parent))
            order = [s for s in _siblings(session, parent_id) if s != node_id]
            order.insert(after, node_id)
            _renumber(rec, session, parent_id, order)

    return Command(f"Promote '{node.name}' to {new.label.lower()}", run, action="promote node",
                   details={"node": node.uid, "from": int(old), "to": int(new), "parent_id": parent_id},
                   coder_id=coder_id).apply(session)


def demote_node(session: Session, *, node_id: int, coder_id: int | None = None) -> Change:
    """Lower a node one level, when none of its children is at that level or above."""
    node = require(session, Node, node_id, "node")
    old = Level(node.level)
    if old is Level.CODE:
        raise LevelRuleError(f"'{node.name}' is already a code, the lowest level.")
    new = Level(old - 1)
    for child in session.scalars(select(Node).where(Node.parent_id == node_id).order_by(Node.position)):
        if Level(child.level) >= new:
            raise LevelRuleError(
                f"'{node.name}' cannot become a {new.label.lower()} while it holds the "
                f"{Level(child.level).label.lower()} '{child.name}': move or demote that first."
            )
    return Command(f"Demote '{node.name}' to {new.label.lower()}",
                   lambda rec: rec.update(Node, node_id, level=int(new)), action="demote node",
                   details={"node": node.uid, "from": int(old), "to": int(new)},
                   coder_id=coder_id).apply(session)


def split_node(
    session: Session,
    *,
    node_id: int,
    coding_ids: Sequence[int],
    name: str,
    definition: str = "",
    coder_id: int | None = None,
) -> Change:
    """Move the chosen codings of a node to a new sibling of the same level. Result: the new id."""
    node = require(session, Node, node_id, "node")
    name = clean_name(name, "node")
    if not coding_ids:
        raise ValidationError(f"Choose the codings of '{node.name}' that go to '{name}'.")
    owners = dict(session.execute(select(Coding.id, Coding.node_id).where(Coding.id.in_(coding_ids))).tuples().all())
    for coding_id in coding_ids:
        if coding_id not in owners:
            raise ValidationError(f"There is no coding with id {coding_id} in this project.")
        if owners[coding_id] != node_id:
            other = require(session, Node, owners[coding_id], "node")
            below = other.id in descendant_ids(session, node_id)
            hint = " (it sits below it: split that node instead)" if below else ""
            raise ValidationError(f"Coding {coding_id} is coded to '{other.name}', not to '{node.name}'{hint}.")
    _check_sibling_name(session, name, node.parent_id)
    parent_id = node.parent_id
    chosen = sorted(set(coding_ids))

    def run(rec: Recorder) -> int:
        new_id = int(rec.insert(Node, name=name, level=node.level, parent_id=parent_id, position=0,
                                definition=definition, color=node.color, origin=node.origin,
                                memo=f"Split from '{node.name}'."))
        for coding_id in chosen:
            rec.update(Coding, coding_id, node_id=new_id)
        order = [s for s in _siblings(session, parent_id) if s != new_id]
        order.insert(order.index(node_id) + 1, new_id)
        _renumber(rec, session, parent_id, order)
        return new_id

    return Command(f"Split {len(chosen)} codings of '{node.name}' into '{name}'", run, action="split node",
                   details={"node": node.uid, "name": name, "codings": len(chosen)}, coder_id=coder_id).apply(session)


def merge_themes(
    session: Session, *, source_ids: Sequence[int], target_id: int, coder_id: int | None = None
) -> Change:
    """Merge several nodes into one in a single step: codings combined (duplicates dropped),
    children moved, definitions and criteria concatenated for review. Result: codings moved."""
    target = require(session, Node, target_id, "node")
    sources = _nodes(session, source_ids, "merge")
    if target_id in source_ids:
        raise ValidationError(f"'{target.name}' cannot be merged into itself.")
    source_set = set(source_ids)
    for source in sources:
        if target_id in descendant_ids(session, source.id):
            raise LevelRuleError(f"'{source.name}' cannot be merged into its own sub-theme '{target.name}'.")
    # Simulate the merges in order so clashes between the sources' children are found first.
    names = {n.name.lower(): n.id for n in session.scalars(select(Node).where(Node.parent_id == target_id))}
    for source in sources:
        for child in session.scalars(select(Node).where(Node.parent_id == source.id).order_by(Node.position)):
            if child.id in source_set:
                continue
            check_parent(child.name, Level(child.level), target.name, Level(target.level))
            if child.name.lower() in names:
                raise ValidationError(f"There is already a node named '{child.name}' under '{target.name}'.")
            names[child.name.lower()] = child.id
        names = {k: v for k, v in names.items() if v != source.id}
    ordered = [s.id for s in sources]

    def run(rec: Recorder) -> int:
        return sum(_merge_rows(rec, session, source_id, target_id) for source_id in ordered)

    what = f"{len(sources)} nodes" if len(sources) > 1 else f"'{sources[0].name}'"
    return Command(f"Merge {what} into '{target.name}'", run, action="merge nodes",
                   details={"sources": [s.uid for s in sources], "source_names": [s.name for s in sources],
                            "target": target.uid}, coder_id=coder_id).apply(session)


def move_nodes(
    session: Session, *, node_ids: Sequence[int], parent_id: int | None, coder_id: int | None = None
) -> Change:
    """Move several nodes under one parent (or to the top level) in one step, keeping their order."""
    nodes = _nodes(session, node_ids, "move")
    parent = require(session, Node, parent_id, "node") if parent_id is not None else None
    for node in nodes:
        if parent is not None:
            if parent.id in descendant_ids(session, node.id):
                raise LevelRuleError(f"'{node.name}' cannot go under itself or one of its own sub-themes.")
            check_parent(node.name, Level(node.level), parent.name, Level(parent.level))
    where = "to the top level" if parent is None else f"under '{parent.name}'"
    _check_distinct_names(nodes, where)
    moving_ids = {n.id for n in nodes}
    clash = session.scalar(select(Node.name).where(
        Node.parent_id.is_(None) if parent_id is None else Node.parent_id == parent_id,
        Node.id.not_in(moving_ids),
        func.lower(Node.name).in_([n.name.lower() for n in nodes])))
    if clash is not None:
        raise ValidationError(f"There is already a node named '{clash}' {where}.")
    order = _tree_order(session)
    moving = [n.id for n in sorted(nodes, key=lambda n: order.get(n.id, 0))]

    def run(rec: Recorder) -> None:
        _detach(rec, session, moving, parent_id)

    what = f"{len(nodes)} nodes" if len(nodes) > 1 else f"'{nodes[0].name}'"
    return Command(f"Move {what} {where}", run, action="move nodes",
                   details={"nodes": [n.uid for n in nodes], "to": parent_id}, coder_id=coder_id).apply(session)


__all__ = ["demote_node", "group_into_theme", "merge_themes", "move_nodes", "promote_node", "split_node"]
